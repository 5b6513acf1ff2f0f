package dev.sonde.stats;

import java.util.List;

/**
 * A latency distribution recorded from nanoseconds, quantised to microseconds, summarised in
 * milliseconds with the one statistics rule of {@link Samples}: HdrHistogram percentiles (3
 * significant digits), the exact mean and its 95 % confidence interval by Student's t (null below
 * two values). The run summary, the load steps and the aggregates all compute their figures this
 * way, so one metric has one mean and one interval wherever it is shown. Bounded memory. Not
 * thread-safe: callers guard it.
 */
public final class LatencyHistogram {
    private final Samples samples = Samples.dense(Samples.MILLIS);

    /** Records one latency; a negative value (an event that never happened) is ignored. */
    public void recordNanos(long nanos) {
        if (nanos >= 0) {
            samples.record(Math.max(1, (nanos + 500) / 1_000) / 1_000.0);
        }
    }

    /**
     * The values at {@code percents} (each 0–100), in milliseconds at histogram resolution, in the
     * order asked; empty when nothing was recorded.
     */
    public List<Double> percentiles(List<Double> percents) {
        if (samples.count() == 0) {
            return List.of();
        }
        return percents.stream().map(samples::percentile).toList();
    }

    /** The distribution in milliseconds; {@link LatencyStats#EMPTY} when nothing was recorded. */
    public LatencyStats stats() {
        DistributionStats d = samples.stats();
        if (d.count() == 0) {
            return LatencyStats.EMPTY;
        }
        return new LatencyStats(d.count(), d.mean(), d.ci95(), d.p50(), d.p90(), d.p95(), d.p99(), d.max());
    }
}
