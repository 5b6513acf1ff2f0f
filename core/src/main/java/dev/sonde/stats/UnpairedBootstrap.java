package dev.sonde.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The ratio of two independent samples' nearest-rank quantiles, run over baseline, with a
 * percentile-bootstrap interval at a given level: for samples that are not paired (a benchmark
 * step's requests in two runs have nothing in common but their load), each replicate redraws
 * both sides with replacement. Deterministic: a fixed seed ({@link SplittableRandom}), so the
 * same samples give the same interval on every machine.
 *
 * <p>A baseline of several runs is resampled as a whole and by run: each replicate draws the
 * baseline's runs with replacement (and each drawn run's values), and lets the run sit where one of
 * the baseline's runs sat — its values scaled by that run's deviation from the baseline's centre
 * (the run's own quantile over the geometric mean of every run's) — so the baseline's run-to-run
 * spread widens the interval as it does for the paired gates of an evaluation
 * ({@link PairedBootstrap}). Each replicate costs one pass over each side's values (a count per
 * sorted position, no sort). Pure; thread-safe.
 */
public final class UnpairedBootstrap {
    public static final int REPLICATES = Significance.BOOTSTRAP_REPLICATES;
    public static final long SEED = 0x5EED_B7C4L;

    private UnpairedBootstrap() {}

    /**
     * The observed ratio and its interval at {@code level}; {@code low} and {@code high} are null
     * when a side has fewer than two values or under 90 % of the replicates are defined (a baseline
     * quantile of 0). {@code run} and {@code base} are the observed quantiles (the baseline's over
     * all its runs' values).
     */
    public record Ratio(double ratio, Double low, Double high, double level, double run, double base, int runCount,
            int baseCount, int baselineRuns) {
        public boolean hasInterval() {
            return low != null && high != null;
        }
    }

    /**
     * @param run the run's values (any order; non-finite and negative values are dropped)
     * @param baseRuns each baseline run's values (at least one run)
     * @param q the quantile, 0–1
     * @param level the interval's two-sided level, between 0 and 1
     */
    public static Ratio quantileRatio(double[] run, double[][] baseRuns, double q, double level) {
        if (!(level > 0 && level < 1) || baseRuns.length < 1 || !(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("a level and a quantile between 0 and 1, and at least one baseline run");
        }
        double[] r = clean(run);
        int runs = baseRuns.length;
        double[][] b = new double[runs][];
        int total = 0;
        for (int j = 0; j < runs; j++) {
            b[j] = clean(baseRuns[j]);
            total += b[j].length;
        }
        // every baseline value in one sorted array; each run's values as positions in it
        double[] pooled = new double[total];
        int[] owner = new int[total];
        Integer[] order = new Integer[total];
        double[] flat = new double[total];
        int at = 0;
        for (int j = 0; j < runs; j++) {
            for (double v : b[j]) {
                flat[at] = v;
                owner[at] = j;
                order[at] = at;
                at++;
            }
        }
        Arrays.sort(order, (x, y) -> Double.compare(flat[x], flat[y]));
        int[][] positions = new int[runs][];
        int[] filled = new int[runs];
        for (int j = 0; j < runs; j++) {
            positions[j] = new int[b[j].length];
        }
        for (int p = 0; p < total; p++) {
            int k = order[p];
            pooled[p] = flat[k];
            positions[owner[k]][filled[owner[k]]++] = p;
        }
        double observedBase = Percentiles.nearestRank(pooled, q);
        double observedRun = Percentiles.nearestRank(r, q);
        double observed = observedBase > 0 ? observedRun / observedBase : Double.NaN;
        if (r.length < 2 || total < 2) {
            return new Ratio(observed, null, null, level, observedRun, observedBase, r.length, total, runs);
        }
        double[] deviation = runs > 1 ? deviations(b, q) : null;
        SplittableRandom rng = new SplittableRandom(SEED);
        int[] runCounts = new int[r.length];
        int[] baseCounts = new int[total];
        double[] replicates = new double[REPLICATES];
        int valid = 0;
        for (int i = 0; i < REPLICATES; i++) {
            Arrays.fill(baseCounts, 0);
            long drawn = 0;
            for (int d = 0; d < runs; d++) {
                int[] pos = positions[runs == 1 ? 0 : rng.nextInt(runs)];
                for (int n = 0; n < pos.length; n++) {
                    baseCounts[pos[rng.nextInt(pos.length)]]++;
                }
                drawn += pos.length;
            }
            double base = quantile(pooled, baseCounts, drawn, q);
            Arrays.fill(runCounts, 0);
            for (int n = 0; n < r.length; n++) {
                runCounts[rng.nextInt(r.length)]++;
            }
            double value = quantile(r, runCounts, r.length, q) * (deviation == null ? 1 : deviation[rng.nextInt(runs)]);
            if (base > 0 && Double.isFinite(value)) {
                replicates[valid++] = value / base;
            }
        }
        double[] ci = PairedBootstrap.interval(replicates, valid, level);
        return new Ratio(observed, ci == null ? null : ci[0], ci == null ? null : ci[1], level, observedRun, observedBase,
                r.length, total, runs);
    }

    /** Each baseline run's quantile over the geometric mean of every run's (1 for a run without values). */
    static double[] deviations(double[][] runs, double q) {
        double[] quantiles = new double[runs.length];
        double logSum = 0;
        int held = 0;
        for (int j = 0; j < runs.length; j++) {
            quantiles[j] = Percentiles.nearestRank(runs[j], q);
            if (quantiles[j] > 0) {
                logSum += Math.log(quantiles[j]);
                held++;
            }
        }
        double centre = held == 0 ? 1 : Math.exp(logSum / held);
        double[] out = new double[runs.length];
        for (int j = 0; j < runs.length; j++) {
            out[j] = quantiles[j] > 0 ? quantiles[j] / centre : 1;
        }
        return out;
    }

    /** The nearest-rank quantile of a resample given as a count per sorted position; NaN when empty. */
    private static double quantile(double[] sorted, int[] counts, long total, double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Percentiles.rank(q, total);
        long seen = 0;
        for (int i = 0; i < sorted.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return sorted[i];
            }
        }
        return sorted[sorted.length - 1];
    }

    /** The finite, non-negative values, sorted ascending. */
    private static double[] clean(double[] values) {
        return Arrays.stream(values).filter(v -> v >= 0 && Double.isFinite(v)).sorted().toArray();
    }
}
