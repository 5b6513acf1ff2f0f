package dev.sonde.stats;

/**
 * The nearest-rank percentile, the one definition Sonde uses wherever it reports a percentile of
 * raw values: the {@code ceil(q·n)}-th smallest of {@code n} values (the smallest for {@code q = 0}),
 * so the result is always one of the observed values. Pure; thread-safe.
 */
public final class Percentiles {

    private Percentiles() {}

    /** The 1-based rank of the nearest-rank {@code q}-quantile (0–1) among {@code n ≥ 1} values. */
    public static long rank(double q, long n) {
        return Math.min(n, Math.max(1, (long) Math.ceil(q * n)));
    }

    /** The nearest-rank {@code q}-quantile of values already sorted ascending; NaN when empty. */
    public static double nearestRank(double[] sorted, double q) {
        return nearestRank(sorted, sorted.length, q);
    }

    /** As {@link #nearestRank(double[], double)} over the first {@code n} entries of {@code sorted}. */
    public static double nearestRank(double[] sorted, int n, double q) {
        return n == 0 ? Double.NaN : sorted[(int) rank(q, n) - 1];
    }
}
