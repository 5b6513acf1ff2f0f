package dev.sonde.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seeded paired bootstrap of a baseline comparison: the ratio {@code statistic(run) /
 * statistic(baseline)} over cases measured on both sides, with its interval. Each replicate draws
 * the cases with replacement — a drawn case brings its run trials and its baseline trials together,
 * so both sides of every replicate hold the same mix of cases — and, when the baseline holds several
 * runs, draws the baseline's runs with replacement too, so the interval carries the baseline's own
 * run-to-run spread (its noise floor). With one baseline run nothing is drawn for runs.
 *
 * <p>A run is one draw too: with several baseline runs, a replicate of a quantile also stands the run
 * in for one of them, drawn at random — each case's run values are scaled by how far that baseline
 * run sat from the baseline's centre on that case (the geometric mean of the case's trials in that
 * run over the mean of those per run, in logs), the same drawn run for every case, so a slow day
 * moves every case together. The interval then holds the run's own run-to-run deviation as well as
 * the baseline's, which resampling the baseline's runs alone would leave out. With one baseline run
 * there is nothing to learn it from, and nothing is scaled.
 *
 * <p>Two statistics, each in one pass over the values per replicate (no sort):
 * <ul>
 *   <li>{@link #quantileRatio}: the nearest-rank quantile ({@link Percentiles}) of all the trials of
 *       the drawn cases (in the drawn baseline runs), run over baseline — a latency percentile of a
 *       model's trials, kept as the estimand whatever the case mix;
 *   <li>{@link #meanRatio}: the sum over drawn cases of each case's mean on the run side over the
 *       same on the baseline side — the ratio of the mean per-case means, a case weighing the same
 *       however many repeats it ran. Cases whose baseline mean is undefined in a replicate's drawn
 *       runs leave both sums of that replicate.
 * </ul>
 *
 * <p>Deterministic: every call starts a {@link SplittableRandom} (whose sequence the JDK specifies)
 * at {@value #SEED}, so the same inputs give the same interval on every machine, and calls over the
 * same number of cases and runs draw the same replicates. Values the same on both sides give a ratio
 * of exactly 1 in every replicate (both sides are summed in the same order), hence an interval of
 * exactly [1, 1]. The interval at level {@code L} is the pair of replicates at 0-based ranks
 * {@code floor(a·(V−1))} and {@code ceil((1−a)·(V−1))}, {@code a = (1 − L)/2}, of the {@code V}
 * sorted defined replicates ({@link CaseBootstrap}'s rule at 95 %). Pure; thread-safe.
 */
public final class PairedBootstrap {
    public static final int REPLICATES = Significance.BOOTSTRAP_REPLICATES;
    public static final long SEED = 0x5EED_9A1DL;

    private PairedBootstrap() {}

    /**
     * The observed ratio and its interval at {@code level}; {@code low} and {@code high} are null
     * with fewer than two cases or when under 90 % of the replicates are defined.
     */
    public record Ratio(double ratio, Double low, Double high, double level, int cases, int baselineRuns) {
        public boolean hasInterval() {
            return low != null && high != null;
        }
    }

    /**
     * One side's trials as one sorted array, each value with its case, its baseline run (0 on the
     * run side) and the number of trials it stands for (more than 1 for a bounded sample of a case,
     * {@link Reservoir#weight()}). Build with {@link #builder()}. Immutable.
     */
    public static final class Trials {
        final double[] values;
        final int[] cases;
        final int[] runs;
        final double[] weights;
        final boolean unitWeights;

        private Trials(double[] values, int[] cases, int[] runs, double[] weights) {
            this.values = values;
            this.cases = cases;
            this.runs = runs;
            this.weights = weights;
            boolean unit = true;
            for (double w : weights) {
                unit &= w == 1;
            }
            this.unitWeights = unit;
        }

        public static Builder builder() {
            return new Builder();
        }

        public int size() {
            return values.length;
        }

        /**
         * The nearest-rank {@code q}-quantile (0–1) of every trial, each counted by its weight; NaN
         * when there is none. With unit weights this is {@link Percentiles#nearestRank} exactly.
         */
        public double quantile(double q) {
            if (values.length == 0) {
                return Double.NaN;
            }
            if (unitWeights) {
                return Percentiles.nearestRank(values, q);
            }
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            double target = q * total * (1 - 1e-12);
            double seen = 0;
            for (int k = 0; k < values.length; k++) {
                seen += weights[k];
                if (seen >= target) {
                    return values[k];
                }
            }
            return values[values.length - 1];
        }

        /** Accumulates values in any order. Not thread-safe. */
        public static final class Builder {
            private double[] values = new double[16];
            private int[] cases = new int[16];
            private int[] runs = new int[16];
            private double[] weights = new double[16];
            private int size;

            private Builder() {}

            /** One trial of {@code caseIndex} in baseline run {@code run}, standing for {@code weight} trials. */
            public Builder add(int caseIndex, int run, double value, double weight) {
                if (!Double.isFinite(value) || !(weight > 0)) {
                    throw new IllegalArgumentException("a finite value with a positive weight");
                }
                if (size == values.length) {
                    int n = size * 2;
                    values = Arrays.copyOf(values, n);
                    cases = Arrays.copyOf(cases, n);
                    runs = Arrays.copyOf(runs, n);
                    weights = Arrays.copyOf(weights, n);
                }
                values[size] = value;
                cases[size] = caseIndex;
                runs[size] = run;
                weights[size] = weight;
                size++;
                return this;
            }

            public Trials build() {
                Integer[] order = new Integer[size];
                Arrays.setAll(order, i -> i);
                // by value, then case and run, so equal inputs in another order build the same array
                Arrays.sort(order, (x, y) -> {
                    int c = Double.compare(values[x], values[y]);
                    c = c != 0 ? c : Integer.compare(cases[x], cases[y]);
                    return c != 0 ? c : Integer.compare(runs[x], runs[y]);
                });
                double[] v = new double[size];
                int[] c = new int[size];
                int[] r = new int[size];
                double[] w = new double[size];
                for (int i = 0; i < size; i++) {
                    v[i] = values[order[i]];
                    c[i] = cases[order[i]];
                    r[i] = runs[order[i]];
                    w[i] = weights[order[i]];
                }
                return new Trials(v, c, r, w);
            }
        }
    }

    /**
     * The ratio of the nearest-rank {@code q}-quantiles (0–1) of the run's and the baseline's trials
     * over {@code cases} cases and {@code baselineRuns} baseline runs, with its interval at
     * {@code level}. Every case index must have trials on both sides.
     */
    public static Ratio quantileRatio(Trials run, Trials base, int cases, int baselineRuns, double q, double level) {
        double[][] deviation = baselineRuns > 1 ? deviations(base, cases, baselineRuns) : null;
        double[] scratch = deviation == null ? null : new double[run.values.length];
        return bootstrap(cases, baselineRuns, level, (caseDraws, runDraws, stand) -> {
            double b = quantile(base, caseDraws, runDraws, q);
            double r = stand < 0 || deviation == null ? quantile(run, caseDraws, null, q)
                    : scaledQuantile(run, caseDraws, deviation, stand, q, scratch);
            return b > 0 ? r / b : Double.NaN;
        });
    }

    /**
     * [case][baseline run]: how far the run sat from the baseline's centre on the case, as a factor —
     * exp(mean log of the case's values in that run − the mean of those over the runs holding the
     * case); 1 where the run has no value of the case.
     */
    static double[][] deviations(Trials base, int cases, int runs) {
        double[][] logSum = new double[cases][runs];
        long[][] count = new long[cases][runs];
        for (int k = 0; k < base.values.length; k++) {
            if (base.values[k] > 0) {
                logSum[base.cases[k]][base.runs[k]] += Math.log(base.values[k]);
                count[base.cases[k]][base.runs[k]]++;
            }
        }
        double[][] out = new double[cases][runs];
        for (int i = 0; i < cases; i++) {
            double centre = 0;
            int held = 0;
            for (int j = 0; j < runs; j++) {
                if (count[i][j] > 0) {
                    centre += logSum[i][j] / count[i][j];
                    held++;
                }
            }
            centre = held == 0 ? 0 : centre / held;
            for (int j = 0; j < runs; j++) {
                out[i][j] = count[i][j] == 0 ? 1 : Math.exp(logSum[i][j] / count[i][j] - centre);
            }
        }
        return out;
    }

    /**
     * The nearest-rank {@code q}-quantile of the run's trials of the drawn cases, each scaled by its
     * case's deviation in baseline run {@code stand}; weighted trials (a bounded sample) count by their
     * weight. {@code scratch} holds at least as many values as the run has trials.
     */
    static double scaledQuantile(Trials t, int[] caseDraws, double[][] deviation, int stand, double q,
            double[] scratch) {
        if (!t.unitWeights) {
            Trials.Builder scaled = Trials.builder();
            for (int k = 0; k < t.values.length; k++) {
                int c = t.cases[k];
                if (caseDraws[c] > 0) {
                    scaled.add(c, 0, t.values[k] * deviation[c][stand], t.weights[k] * caseDraws[c]);
                }
            }
            return scaled.build().quantile(q);
        }
        // unit weights: each drawn trial's scaled value as often as its case was drawn, sorted
        int n = 0;
        for (int k = 0; k < t.values.length; k++) {
            n += caseDraws[t.cases[k]];
        }
        double[] values = n <= scratch.length ? scratch : new double[n];
        int at = 0;
        for (int k = 0; k < t.values.length; k++) {
            int c = t.cases[k];
            double v = t.values[k] * deviation[c][stand];
            for (int d = 0; d < caseDraws[c]; d++) {
                values[at++] = v;
            }
        }
        Arrays.sort(values, 0, n);
        return Percentiles.nearestRank(values, n, q);
    }

    /**
     * The ratio of the summed per-case means, run over baseline, with its interval at {@code level}.
     *
     * @param runMeans each case's mean on the run side
     * @param baseSums [case][baseline run]: the sum of the case's values in that run
     * @param baseCounts [case][baseline run]: how many values that sum holds
     */
    public static Ratio meanRatio(double[] runMeans, double[][] baseSums, long[][] baseCounts, double level) {
        int cases = runMeans.length;
        int runs = cases == 0 ? 1 : baseSums[0].length;
        return bootstrap(cases, runs, level, (caseDraws, runDraws, stand) -> {
            double r = 0;
            double b = 0;
            for (int i = 0; i < cases; i++) {
                if (caseDraws[i] == 0) {
                    continue;
                }
                double sum = 0;
                long count = 0;
                for (int j = 0; j < runs; j++) {
                    int times = runDraws == null ? 1 : runDraws[j];
                    if (times > 0 && baseCounts[i][j] > 0) {
                        sum += baseSums[i][j] * times;
                        count += baseCounts[i][j] * times;
                    }
                }
                if (count > 0) {
                    r += runMeans[i] * caseDraws[i];
                    b += sum / count * caseDraws[i];
                }
            }
            return b > 0 ? r / b : Double.NaN;
        });
    }

    /**
     * A statistic of one replicate: how often each case and each baseline run was drawn (runs null:
     * once each), and the baseline run the run stands in for ({@code -1}: none, the observed value).
     */
    private interface Replicate {
        double of(int[] caseDraws, int[] runDraws, int stand);
    }

    private static Ratio bootstrap(int cases, int runs, double level, Replicate statistic) {
        if (!(level > 0 && level < 1) || runs < 1) {
            throw new IllegalArgumentException("a level between 0 and 1 and at least one baseline run");
        }
        int[] once = new int[cases];
        Arrays.fill(once, 1);
        double observed = cases == 0 ? Double.NaN : statistic.of(once, null, -1);
        if (cases < 2) {
            return new Ratio(observed, null, null, level, cases, runs);
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        int[] caseDraws = new int[cases];
        int[] runDraws = runs > 1 ? new int[runs] : null;
        double[] replicates = new double[REPLICATES];
        int valid = 0;
        for (int b = 0; b < REPLICATES; b++) {
            Arrays.fill(caseDraws, 0);
            for (int i = 0; i < cases; i++) {
                caseDraws[rng.nextInt(cases)]++;
            }
            int stand = -1;
            if (runDraws != null) {
                Arrays.fill(runDraws, 0);
                for (int j = 0; j < runs; j++) {
                    runDraws[rng.nextInt(runs)]++;
                }
                stand = rng.nextInt(runs);
            }
            double v = statistic.of(caseDraws, runDraws, stand);
            if (Double.isFinite(v)) {
                replicates[valid++] = v;
            }
        }
        double[] ci = interval(replicates, valid, level);
        return new Ratio(observed, ci == null ? null : ci[0], ci == null ? null : ci[1], level, cases, runs);
    }

    /**
     * The nearest-rank {@code q}-quantile of the trials of the drawn cases and runs, each trial
     * counted {@code caseDraws[case] · runDraws[run] · weight} times; NaN when none was drawn. With
     * unit weights this is {@link Percentiles#rank}'s value exactly; otherwise the smallest value
     * whose cumulative weight reaches {@code q} of the drawn weight.
     */
    static double quantile(Trials t, int[] caseDraws, int[] runDraws, double q) {
        double total = 0;
        for (int k = 0; k < t.values.length; k++) {
            total += t.weights[k] * caseDraws[t.cases[k]] * (runDraws == null ? 1 : runDraws[t.runs[k]]);
        }
        if (total == 0) {
            return Double.NaN;
        }
        double target = t.unitWeights ? Percentiles.rank(q, Math.round(total)) : q * total * (1 - 1e-12);
        double seen = 0;
        for (int k = 0; k < t.values.length; k++) {
            seen += t.weights[k] * caseDraws[t.cases[k]] * (runDraws == null ? 1 : runDraws[t.runs[k]]);
            if (seen > 0 && seen >= target) {
                return t.values[k];
            }
        }
        return t.values[t.values.length - 1];
    }

    /** The interval of the first {@code valid} replicates at {@code level} (sorted in place); null under 90 % defined. */
    static double[] interval(double[] replicates, int valid, double level) {
        if (valid < REPLICATES * 0.9) {
            return null;
        }
        Arrays.sort(replicates, 0, valid);
        double a = (1 - level) / 2;
        return new double[] {replicates[(int) Math.floor(a * (valid - 1))],
            replicates[(int) Math.ceil((1 - a) * (valid - 1))]};
    }
}
