package dev.sonde.stats;

import java.util.SplittableRandom;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.FisherExactTest;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * The statistical tests of a comparison, all one-sided in the direction of "worse than the
 * baseline", and the bootstrap confidence intervals. Deterministic: the bootstrap uses a fixed
 * seed ({@link SplittableRandom}, whose sequence the JDK specifies), so the same inputs give the
 * same interval on every machine and JDK.
 *
 * <ul>
 *   <li>{@link #passRateDropP}: Fisher's exact test (commons-statistics) on the 2×2 table
 *       baseline/run × pass/not pass; small p = the run passes less often.
 *   <li>{@link #shiftUpP}: Mann-Whitney U (commons-statistics; exact p for small samples without
 *       ties, normal approximation with tie and continuity correction otherwise); small p = run
 *       values are stochastically larger.
 *   <li>{@link #ratioCi}: percentile bootstrap of {@code statistic(run) / statistic(baseline)},
 *       resampling both sides independently from their histograms.
 * </ul>
 */
public final class Significance {
    public static final int BOOTSTRAP_REPLICATES = 2000;
    public static final long BOOTSTRAP_SEED = 0x5EED_BA5EL;

    private Significance() {}

    public static double passRateDropP(long basePass, long baseTotal, long runPass, long runTotal) {
        int[][] table = {
            {(int) basePass, (int) (baseTotal - basePass)},
            {(int) runPass, (int) (runTotal - runPass)}
        };
        // Odds ratio (basePass·runFail)/(baseFail·runPass) > 1 ⇔ the run passes less often.
        return FisherExactTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN).test(table).getPValue();
    }

    /** One-sided p that {@code run} is stochastically larger than {@code base}; 1 when either is empty. */
    public static double shiftUpP(double[] run, double[] base) {
        if (run.length == 0 || base.length == 0) {
            return 1;
        }
        return MannWhitneyUTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN).test(run, base).getPValue();
    }

    /**
     * The smallest one-sided p the exact Mann-Whitney test can give with these sample sizes,
     * {@code 1 / C(n1 + n2, n1)}: when it exceeds the significance level, no shift can ever be
     * significant and a gate based on it cannot fail.
     */
    public static double smallestP(long n1, long n2) {
        double logC = 0;
        long k = Math.min(n1, n2);
        for (long i = 1; i <= k; i++) {
            logC += Math.log(n1 + n2 - k + i) - Math.log(i);
        }
        return Math.exp(-logC);
    }

    /** A statistic of a resampled distribution given as counts over sorted distinct values. */
    public interface Statistic {
        double of(double[] values, long[] counts, long total);
    }

    /** The value at quantile {@code q} (0–1) the way HdrHistogram reports percentiles. */
    public static Statistic quantile(double q) {
        return (values, counts, total) -> {
            long rank = Percentiles.rank(q, total);
            long seen = 0;
            for (int i = 0; i < values.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return values[i];
                }
            }
            return values.length == 0 ? Double.NaN : values[values.length - 1];
        };
    }

    public static final Statistic MEAN = (values, counts, total) -> {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i] * counts[i];
        }
        return total == 0 ? Double.NaN : sum / total;
    };

    /** {@code statistic(run) / statistic(base)} on the full samples; NaN when undefined. */
    public static double ratio(Samples.Distinct run, Samples.Distinct base, Statistic statistic) {
        double b = statistic.of(base.values(), base.counts(), base.total());
        double r = statistic.of(run.values(), run.counts(), run.total());
        return b > 0 ? r / b : Double.NaN;
    }

    /**
     * The 95 % percentile-bootstrap interval of {@code statistic(run) / statistic(base)}, or null
     * when either side has fewer than two values or the baseline statistic can be 0.
     */
    public static double[] ratioCi(Samples.Distinct run, Samples.Distinct base, Statistic statistic) {
        if (run.total() < 2 || base.total() < 2) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(BOOTSTRAP_SEED);
        double[] ratios = new double[BOOTSTRAP_REPLICATES];
        long[] baseCum = cumulative(base.counts());
        long[] runCum = cumulative(run.counts());
        long[] baseDraw = new long[base.counts().length];
        long[] runDraw = new long[run.counts().length];
        int valid = 0;
        for (int i = 0; i < BOOTSTRAP_REPLICATES; i++) {
            resample(rng, baseCum, base.total(), baseDraw);
            resample(rng, runCum, run.total(), runDraw);
            double b = statistic.of(base.values(), baseDraw, base.total());
            if (b > 0) {
                ratios[valid++] = statistic.of(run.values(), runDraw, run.total()) / b;
            }
        }
        return CaseBootstrap.interval(ratios, valid);
    }

    private static long[] cumulative(long[] counts) {
        long[] cum = new long[counts.length];
        long s = 0;
        for (int i = 0; i < counts.length; i++) {
            s += counts[i];
            cum[i] = s;
        }
        return cum;
    }

    /** Draws {@code total} values with replacement into {@code draw} (counts per distinct value). */
    private static void resample(SplittableRandom rng, long[] cum, long total, long[] draw) {
        java.util.Arrays.fill(draw, 0);
        for (long n = 0; n < total; n++) {
            long u = rng.nextLong(total);
            int lo = 0;
            int hi = cum.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cum[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            draw[lo]++;
        }
    }
}
