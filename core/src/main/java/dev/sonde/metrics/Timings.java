package dev.sonde.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * The timings of one HTTP exchange, in nanoseconds from the moment the request was on the wire (the
 * HTTP client's request-commit event). {@code dispatchNanos} is the time before that, from the
 * request handed to the client (after any queue, rate-limit wait or backoff) to the wire: connection
 * set-up, TLS, the client's own work; it is never part of TTFB, TTFT or E2E. A value of
 * {@link #ABSENT} means
 * the event never happened (no text arrived, the stream broke first, …). Definitions are those of
 * METRICS.md: {@code ttft} ends at the first {@code content_block_delta} carrying non-empty text,
 * {@code ttftAny} at the first content delta of any kind, {@code itlNanos} are the gaps between
 * consecutive content deltas (pings excluded), {@code e2e} ends at {@code message_stop} (stream)
 * or a complete body (JSON).
 *
 * <p>{@code decodeNanos} is the generation time TPOT and output speed divide by: {@link #ABSENT}
 * (every single exchange) means {@code e2e - ttft}; a conversation of several requests (a tool
 * loop) sets it to the sum of its requests' own {@code e2e - ttft}, since its e2e spans several
 * prefills.
 *
 * <p>{@code unmeasured} is null for an exchange that was timed (whatever arrived), and otherwise says
 * why nothing could be: an answer taken from a Message Batches result or replayed from the response
 * cache was never timed by this client, so every figure is {@link #ABSENT} by design, not because
 * an event failed to happen. Checks that need a timing are then not applicable rather than failed.
 *
 * <p>{@code dispatchNanos} is {@link #ABSENT} when the request never reached the wire and for
 * timings that never passed through the HTTP client (a test's, a journal written before 2026-12).
 */
public record Timings(
        long ttfbNanos, long ttftNanos, long ttftAnyNanos, long e2eNanos, long[] itlNanos, int deltas,
        long decodeNanos, String unmeasured, long dispatchNanos) {

    public static final long ABSENT = -1;
    public static final Timings NONE = new Timings(ABSENT, ABSENT, ABSENT, ABSENT, new long[0], 0);

    /** Timings without a dispatch time. */
    public Timings(long ttfbNanos, long ttftNanos, long ttftAnyNanos, long e2eNanos, long[] itlNanos, int deltas,
            long decodeNanos, String unmeasured) {
        this(ttfbNanos, ttftNanos, ttftAnyNanos, e2eNanos, itlNanos, deltas, decodeNanos, unmeasured, ABSENT);
    }

    /** The same timings with their call-to-wire time. */
    public Timings withDispatch(long nanos) {
        return new Timings(ttfbNanos, ttftNanos, ttftAnyNanos, e2eNanos, itlNanos, deltas, decodeNanos, unmeasured,
                nanos);
    }

    /** The timings of one exchange: its generation time is {@code e2e - ttft}. */
    public Timings(long ttfbNanos, long ttftNanos, long ttftAnyNanos, long e2eNanos, long[] itlNanos, int deltas) {
        this(ttfbNanos, ttftNanos, ttftAnyNanos, e2eNanos, itlNanos, deltas, ABSENT);
    }

    /** Measured timings with their generation time given (a conversation of several requests). */
    public Timings(long ttfbNanos, long ttftNanos, long ttftAnyNanos, long e2eNanos, long[] itlNanos, int deltas,
            long decodeNanos) {
        this(ttfbNanos, ttftNanos, ttftAnyNanos, e2eNanos, itlNanos, deltas, decodeNanos, null);
    }

    /**
     * No timings, by design: {@code why} says how the answer came without being timed (e.g. "sent
     * through Message Batches, which report no timings"), in words a report can show as is.
     */
    public static Timings unmeasured(String why) {
        return new Timings(ABSENT, ABSENT, ABSENT, ABSENT, new long[0], 0, ABSENT, why);
    }

    public boolean has(long nanos) {
        return nanos != ABSENT;
    }

    /**
     * Decode time per output token, vLLM's TPOT: {@code (e2e - ttft) / (outputTokens - 1)} (the
     * decode time instead of {@code e2e - ttft} when set), or {@link #ABSENT} when there is no
     * TTFT or at most one output token.
     */
    public long tpotNanos(long outputTokens) {
        long decode = decode();
        if (decode == ABSENT || outputTokens <= 1) {
            return ABSENT;
        }
        return decode / (outputTokens - 1);
    }

    /**
     * Decode speed {@code outputTokens / (e2e - ttft)} (or over the decode time when set) in tokens
     * per second, or NaN.
     */
    public double outputTokensPerSecond(long outputTokens) {
        long decode = decode();
        if (decode == ABSENT || decode <= 0) {
            return Double.NaN;
        }
        return outputTokens * 1e9 / decode;
    }

    private long decode() {
        if (decodeNanos != ABSENT) {
            return decodeNanos;
        }
        return has(ttftNanos) && has(e2eNanos) ? e2eNanos - ttftNanos : ABSENT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timings t
                && t.ttfbNanos == ttfbNanos && t.ttftNanos == ttftNanos && t.ttftAnyNanos == ttftAnyNanos
                && t.e2eNanos == e2eNanos && t.deltas == deltas && t.decodeNanos == decodeNanos
                && t.dispatchNanos == dispatchNanos
                && Arrays.equals(t.itlNanos, itlNanos) && Objects.equals(t.unmeasured, unmeasured);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ttftNanos) * 31 + Long.hashCode(e2eNanos) * 17 + Arrays.hashCode(itlNanos);
    }

    @Override
    public String toString() {
        return unmeasured != null ? "Timings[unmeasured: " + unmeasured + "]"
                : "Timings[dispatch=%d, ttfb=%d, ttft=%d, ttftAny=%d, e2e=%d, deltas=%d, decode=%d]ns"
                        .formatted(dispatchNanos, ttfbNanos, ttftNanos, ttftAnyNanos, e2eNanos, deltas, decodeNanos);
    }
}
