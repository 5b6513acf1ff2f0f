package dev.sonde.baseline;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded percentile bootstrap for a model comparison: {@value #REPLICATES} resamples with
 * replacement, the 95 % interval from the 2.5th and 97.5th percentiles of the replicates. Each
 * call starts a {@link SplittableRandom} (sequence specified by the JDK) at {@value #SEED}, so the
 * same inputs give the same interval on every machine, and two calls over the same number of units
 * draw the same resamples — a baseline and a candidate statistic computed in separate calls are
 * resampled as pairs of cases. Pure; thread-safe.
 */
final class CaseBootstrap {
    static final int REPLICATES = 2000;
    static final long SEED = 0x5EED_CA5EL;

    private CaseBootstrap() {}

    /** A statistic of one resample, given as the indices drawn; NaN when undefined for that draw. */
    interface Statistic {
        double of(int[] drawn);
    }

    /** A statistic of two independent resamples (sizes n1 and n2). */
    interface TwoSampleStatistic {
        double of(int[] drawn1, int[] drawn2);
    }

    /** {@code [low, high]}, or null with fewer than 2 units or when under 90 % of replicates are defined. */
    static double[] ci(int n, Statistic statistic) {
        if (n < 2) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] replicates = new double[REPLICATES];
        int[] drawn = new int[n];
        int valid = 0;
        for (int r = 0; r < REPLICATES; r++) {
            draw(rng, drawn);
            double v = statistic.of(drawn);
            if (Double.isFinite(v)) {
                replicates[valid++] = v;
            }
        }
        return interval(replicates, valid);
    }

    /** As {@link #ci(int, Statistic)} for a statistic of two samples resampled independently. */
    static double[] ci(int n1, int n2, TwoSampleStatistic statistic) {
        if (n1 < 2 || n2 < 2) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] replicates = new double[REPLICATES];
        int[] drawn1 = new int[n1];
        int[] drawn2 = new int[n2];
        int valid = 0;
        for (int r = 0; r < REPLICATES; r++) {
            draw(rng, drawn1);
            draw(rng, drawn2);
            double v = statistic.of(drawn1, drawn2);
            if (Double.isFinite(v)) {
                replicates[valid++] = v;
            }
        }
        return interval(replicates, valid);
    }

    /** The mean of {@code values} weighted by {@code weights} over the drawn units; NaN when the weights sum to 0. */
    static double weightedMean(double[] values, double[] weights, int[] drawn) {
        double sum = 0;
        double w = 0;
        for (int i : drawn) {
            sum += values[i] * weights[i];
            w += weights[i];
        }
        return w > 0 ? sum / w : Double.NaN;
    }

    /** The nearest-rank quantile ({@code ceil(q·n)}-th smallest) of the drawn values. */
    static double quantile(double[] values, int[] drawn, double q) {
        double[] picked = new double[drawn.length];
        for (int i = 0; i < drawn.length; i++) {
            picked[i] = values[drawn[i]];
        }
        return quantile(picked, q);
    }

    /** The nearest-rank quantile of all {@code values}; NaN when empty. */
    static double quantile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.max(1, Math.ceil(q * sorted.length));
        return sorted[rank - 1];
    }

    /** Every unit once, in order: the statistic on the observed sample. */
    static int[] all(int n) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }

    private static void draw(SplittableRandom rng, int[] into) {
        for (int i = 0; i < into.length; i++) {
            into[i] = rng.nextInt(into.length);
        }
    }

    private static double[] interval(double[] replicates, int valid) {
        if (valid < REPLICATES * 0.9) {
            return null;
        }
        Arrays.sort(replicates, 0, valid);
        return new double[] {replicates[(int) Math.floor(0.025 * (valid - 1))],
            replicates[(int) Math.ceil(0.975 * (valid - 1))]};
    }
}
