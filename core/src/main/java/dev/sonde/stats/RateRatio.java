package dev.sonde.stats;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * The ratio of two event rates, each a count over an exposure (requests that met the SLO over the
 * seconds of a measured window), with an exact interval: treating the counts as Poisson, the run's
 * share of the two counts is binomial given their total, with probability
 * {@code e_r·λ_r / (e_r·λ_r + e_b·λ_b)}; its Clopper-Pearson interval (commons-math3's beta
 * quantiles) maps one-to-one onto the rate ratio {@code λ_r / λ_b}. A closed loop's count varies
 * less than a Poisson count does, so there the interval is conservative (wider than the truth): a
 * drop it calls real is real. Pure; thread-safe.
 */
public final class RateRatio {
    private RateRatio() {}

    /**
     * The observed ratio and its interval at {@code level}; {@code high} is null (unbounded) when the
     * baseline counted nothing, {@code ratio} NaN then.
     */
    public record Interval(double ratio, double low, Double high, double level) {}

    /**
     * @param runCount events in the run, ≥ 0
     * @param runExposure the run's exposure (seconds), > 0
     * @param baseCount events in the baseline, ≥ 0
     * @param baseExposure the baseline's exposure, > 0
     * @param level two-sided, between 0 and 1
     */
    public static Interval of(long runCount, double runExposure, long baseCount, double baseExposure, double level) {
        if (runCount < 0 || baseCount < 0 || !(runExposure > 0) || !(baseExposure > 0) || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("counts ≥ 0, exposures > 0 and a level between 0 and 1");
        }
        double scale = baseExposure / runExposure;
        double ratio = baseCount == 0 ? Double.NaN : (double) runCount / baseCount * scale;
        long n = runCount + baseCount;
        if (n == 0) {
            return new Interval(ratio, 0, null, level);
        }
        double tail = (1 - level) / 2;
        double pLow = runCount == 0 ? 0 : new BetaDistribution(runCount, n - runCount + 1).inverseCumulativeProbability(tail);
        double pHigh = runCount == n ? 1
                : new BetaDistribution(runCount + 1, n - runCount).inverseCumulativeProbability(1 - tail);
        return new Interval(ratio, pLow / (1 - pLow) * scale, pHigh >= 1 ? null : pHigh / (1 - pHigh) * scale, level);
    }
}
