package dev.sonde.metrics;

import org.HdrHistogram.Histogram;

/**
 * A fixed-memory latency distribution (HdrHistogram, 3 significant digits, auto-resizing),
 * recorded in microseconds from nanosecond inputs. Not thread-safe: {@link RunSummary} guards it.
 */
final class LatencyHistogram {
    private final Histogram histogram = new Histogram(3);

    void recordNanos(long nanos) {
        if (nanos >= 0) {
            histogram.recordValue(Math.max(1, (nanos + 500) / 1_000));
        }
    }

    LatencyStats stats() {
        long n = histogram.getTotalCount();
        if (n == 0) {
            return LatencyStats.EMPTY;
        }
        double ci = n > 1 ? 1.96 * histogram.getStdDeviation() / Math.sqrt(n) : 0;
        return new LatencyStats(
                n,
                ms(histogram.getMean()),
                ms(ci),
                ms(histogram.getValueAtPercentile(50)),
                ms(histogram.getValueAtPercentile(90)),
                ms(histogram.getValueAtPercentile(95)),
                ms(histogram.getValueAtPercentile(99)),
                ms(histogram.getMaxValue()));
    }

    private static Double ms(double micros) {
        return Math.round(micros) / 1_000.0;
    }
}
