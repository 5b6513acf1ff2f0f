package dev.sonde.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded percentile bootstrap for a model comparison: {@value #REPLICATES} resamples with
 * replacement, the 95 % interval from the 2.5th and 97.5th percentiles of the replicates. Each
 * call starts a {@link SplittableRandom} (sequence specified by the JDK) at {@value #SEED}, so the
 * same inputs give the same interval on every machine, and two calls over the same number of units
 * draw the same resamples — a baseline and a candidate statistic computed in separate calls are
 * resampled as pairs of cases. The units are cases; a statistic over trials (a latency
 * percentile) draws cases and takes all their trials ({@link #clusterQuantile}). The interval's
 * ends are the replicates at 0-based ranks {@code floor(0.025·(R−1))} and {@code ceil(0.975·(R−1))}
 * of the {@code R} sorted defined replicates. Pure; thread-safe.
 */
public final class CaseBootstrap {
    public static final int REPLICATES = Significance.BOOTSTRAP_REPLICATES;
    public static final long SEED = 0x5EED_CA5EL;

    private CaseBootstrap() {}

    /** A statistic of one resample, given as the indices drawn; NaN when undefined for that draw. */
    public interface Statistic {
        double of(int[] drawn);
    }

    /** {@code [low, high]}, or null with fewer than 2 units or when under 90 % of replicates are defined. */
    public static double[] ci(int n, Statistic statistic) {
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

    /** The mean of {@code values} weighted by {@code weights} over the drawn units; NaN when the weights sum to 0. */
    public static double weightedMean(double[] values, double[] weights, int[] drawn) {
        double sum = 0;
        double w = 0;
        for (int i : drawn) {
            sum += values[i] * weights[i];
            w += weights[i];
        }
        return w > 0 ? sum / w : Double.NaN;
    }

    /**
     * The nearest-rank quantile of the samples of the drawn clusters (a case's trials), each drawn
     * cluster contributing all its samples as often as it was drawn: a cluster (case) bootstrap,
     * which keeps the repeats of a case together so their correlation widens the interval as it
     * should. NaN when the drawn clusters hold no sample.
     */
    public static double clusterQuantile(double[][] clusters, int[] drawn, double q) {
        int size = 0;
        for (int i : drawn) {
            size += clusters[i].length;
        }
        double[] picked = new double[size];
        int at = 0;
        for (int i : drawn) {
            System.arraycopy(clusters[i], 0, picked, at, clusters[i].length);
            at += clusters[i].length;
        }
        return quantile(picked, q);
    }

    /**
     * As {@link #clusterQuantile(double[][], int[], double)} when each cluster's samples stand for
     * {@code weights[i]} values each (a {@link Reservoir} of a case with more values than it keeps):
     * the smallest drawn sample whose cumulative weight reaches {@code q} of the drawn weight. With
     * every weight 1 this is the plain nearest-rank quantile, exactly.
     */
    public static double clusterQuantile(double[][] clusters, double[] weights, int[] drawn, double q) {
        boolean unit = true;
        for (int i : drawn) {
            unit &= weights[i] == 1 || clusters[i].length == 0;
        }
        if (unit) {
            return clusterQuantile(clusters, drawn, q);
        }
        int size = 0;
        for (int i : drawn) {
            size += clusters[i].length;
        }
        double[][] picked = new double[size][];
        int at = 0;
        double total = 0;
        for (int i : drawn) {
            for (double v : clusters[i]) {
                picked[at++] = new double[] {v, weights[i]};
                total += weights[i];
            }
        }
        if (size == 0) {
            return Double.NaN;
        }
        Arrays.sort(picked, (x, y) -> Double.compare(x[0], y[0]));
        double target = q * total;
        double cumulative = 0;
        for (double[] p : picked) {
            cumulative += p[1];
            if (cumulative >= target * (1 - 1e-12)) {
                return p[0];
            }
        }
        return picked[size - 1][0];
    }

    /** The nearest-rank quantile of all {@code values} ({@link Percentiles#nearestRank}); NaN when empty. */
    public static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return Percentiles.nearestRank(sorted, q);
    }

    /** Every unit once, in order: the statistic on the observed sample. */
    public static int[] all(int n) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }

    private static void draw(SplittableRandom rng, int[] into) {
        for (int i = 0; i < into.length; i++) {
            into[i] = rng.nextInt(into.length);
        }
    }

    /**
     * The percentile interval of the first {@code valid} replicates (sorted in place): the 2.5 % and
     * 97.5 % order statistics; null when fewer than 90 % of the {@value #REPLICATES} draws gave a value.
     */
    public static double[] interval(double[] replicates, int valid) {
        if (valid < REPLICATES * 0.9) {
            return null;
        }
        Arrays.sort(replicates, 0, valid);
        return new double[] {replicates[(int) Math.floor(0.025 * (valid - 1))],
            replicates[(int) Math.ceil(0.975 * (valid - 1))]};
    }
}
