package dev.sonde.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@link Timings} as written to files: milliseconds with microsecond resolution, {@code null}
 * where the event never happened. Serialises as {@code ttfb_ms, ttft_ms, ttft_any_ms, e2e_ms,
 * itl_ms, deltas, tpot_ms, output_tps, dispatch_ms} (METRICS.md): the first five count from the
 * request on the wire, {@code dispatch_ms} is the time from the call to the wire (null in journals
 * written before it was recorded, whose times count from the call: {@code RunInfo.timing_origin}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TimingsMillis(
        Double ttfbMs,
        Double ttftMs,
        Double ttftAnyMs,
        Double e2eMs,
        double[] itlMs,
        int deltas,
        Double tpotMs,
        Double outputTps,
        Double dispatchMs) {

    /** Figures without a dispatch time. */
    public TimingsMillis(Double ttfbMs, Double ttftMs, Double ttftAnyMs, Double e2eMs, double[] itlMs, int deltas,
            Double tpotMs, Double outputTps) {
        this(ttfbMs, ttftMs, ttftAnyMs, e2eMs, itlMs, deltas, tpotMs, outputTps, null);
    }

    public static TimingsMillis of(Timings t, long outputTokens) {
        double[] itl = new double[t.itlNanos().length];
        for (int i = 0; i < itl.length; i++) {
            itl[i] = millis(t.itlNanos()[i]);
        }
        double tps = t.outputTokensPerSecond(outputTokens);
        return new TimingsMillis(
                orNull(t.ttfbNanos()),
                orNull(t.ttftNanos()),
                orNull(t.ttftAnyNanos()),
                orNull(t.e2eNanos()),
                itl,
                t.deltas(),
                orNull(t.tpotNanos(outputTokens)),
                Double.isNaN(tps) ? null : Math.round(tps * 100) / 100.0,
                orNull(t.dispatchNanos()));
    }

    /** Nanoseconds to milliseconds rounded to the microsecond. */
    public static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** {@link #millis}, or null for {@link Timings#ABSENT} (an event that never happened). */
    public static Double orNull(long nanos) {
        return nanos == Timings.ABSENT ? null : millis(nanos);
    }

    /** Back to nanoseconds, {@link Timings#ABSENT} for null: the inverse of {@link #orNull}. */
    public static long nanosOrAbsent(Double ms) {
        return ms == null ? Timings.ABSENT : Math.round(ms * 1e6);
    }
}
