package dev.sonde.api;

import dev.sonde.metrics.Timings;
import java.util.Arrays;

/**
 * The timing half of a stream decoder, shared by every protocol (METRICS.md): TTFB when the
 * headers arrive, TTFT at the first text delta with text, {@code ttftAny} and the inter-token gaps
 * over content deltas of any kind that carry a payload, e2e at the end marker. All arguments are
 * arrival times on the client's clock. Not thread-safe (its decoder serialises).
 */
final class DeltaTimer {
    private final long startNanos;
    private long ttfbNanos = Timings.ABSENT;
    private long ttftNanos = Timings.ABSENT;
    private long ttftAnyNanos = Timings.ABSENT;
    private long e2eNanos = Timings.ABSENT;
    private long lastDeltaNanos;
    private long[] gaps = new long[64];
    private int gapCount;
    private int deltas;

    DeltaTimer(long startNanos) {
        this.startNanos = startNanos;
    }

    void headersAt(long at) {
        ttfbNanos = at - startNanos;
    }

    /** A content delta arrived; empty ones (framing, like a tool block's opening "") are not timed. */
    void delta(long at, boolean text, boolean hasPayload) {
        if (!hasPayload) {
            return;
        }
        if (text && ttftNanos == Timings.ABSENT) {
            ttftNanos = at - startNanos;
        }
        if (ttftAnyNanos == Timings.ABSENT) {
            ttftAnyNanos = at - startNanos;
        } else {
            if (gapCount == gaps.length) {
                gaps = Arrays.copyOf(gaps, gapCount * 2);
            }
            gaps[gapCount++] = at - lastDeltaNanos;
        }
        lastDeltaNanos = at;
        deltas++;
    }

    void endAt(long at) {
        e2eNanos = at - startNanos;
    }

    boolean hasContent() {
        return ttftAnyNanos != Timings.ABSENT;
    }

    Timings timings() {
        return new Timings(ttfbNanos, ttftNanos, ttftAnyNanos, e2eNanos, Arrays.copyOf(gaps, gapCount), deltas);
    }
}
