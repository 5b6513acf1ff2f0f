package dev.sonde.api;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a response's headers say about retrying and limits: {@code x-should-retry} (null when
 * absent), the wait the server asked for, and every {@code anthropic-ratelimit-*} header as sent
 * (lower-case names); and whether Sonde's emulator said the answer is generated filler because no
 * rule matched ({@value #EMULATOR_FILLER}{@code : true}).
 *
 * <p>The filler header is believed only from a loopback endpoint ({@link EndpointPolicy#isLoopback}:
 * the embedded emulator, or {@code sonde emulator} on this machine): any other server that sends it
 * is ignored, so a remote API or gateway can never mark live answers as filler. Any value but
 * {@code true} (case and surrounding spaces aside) is no mark.
 *
 * <p>The wait is read as the official SDKs read it: {@code retry-after-ms}, else (when that is
 * absent, unreadable or 0) {@code retry-after} in seconds or as an HTTP date; a wait that is not
 * more than 0 and less than 60 s is no wait at all ({@link #NO_WAIT}), so the default backoff
 * applies. A server that says 0, a date in the past or an hour does not make three attempts burn
 * in a millisecond, nor park a run.
 *
 * <p>Amazon Bedrock's own account of the call, when it gave one (the
 * {@code amazon-bedrock-invocationMetrics} of a stream's last chunk, or the
 * {@code x-amzn-bedrock-invocation-latency} header of a complete answer): {@code serverFirstByteMs}
 * and {@code serverLatencyMs}, in milliseconds as the server measured them, NaN when absent. A value
 * that is not a finite number of at least 0 is no value (a hostile server's word).
 */
public record ServerHints(Boolean shouldRetry, long retryAfterNanos, Map<String, String> rateLimits,
        boolean emulatorFiller, double serverFirstByteMs, double serverLatencyMs) {
    public static final long NO_WAIT = -1;
    /** The header Sonde's emulator sets on an answer no rule matched. */
    public static final String EMULATOR_FILLER = "sonde-emulator-filler";
    /** The longest wait a server may ask for; a longer one falls back to the default backoff. */
    public static final long MAX_WAIT_NANOS = 60_000_000_000L;
    public static final ServerHints NONE = new ServerHints(null, NO_WAIT, Map.of());

    /** The header Bedrock sends on a complete (not streamed) answer: the server's latency in ms. */
    static final String BEDROCK_LATENCY_HEADER = "x-amzn-bedrock-invocation-latency";

    public ServerHints {
        rateLimits = Map.copyOf(rateLimits);
        serverFirstByteMs = measure(serverFirstByteMs);
        serverLatencyMs = measure(serverLatencyMs);
    }

    /** Hints without the server's own timings. */
    public ServerHints(Boolean shouldRetry, long retryAfterNanos, Map<String, String> rateLimits, boolean emulatorFiller) {
        this(shouldRetry, retryAfterNanos, rateLimits, emulatorFiller, Double.NaN, Double.NaN);
    }

    /** Hints about retries and limits only: the answer is not marked as emulator filler. */
    public ServerHints(Boolean shouldRetry, long retryAfterNanos, Map<String, String> rateLimits) {
        this(shouldRetry, retryAfterNanos, rateLimits, false);
    }

    /** These hints with the server's own timings (ms; NaN, negative or infinite: absent). */
    public ServerHints withServerTimings(double firstByteMs, double latencyMs) {
        return new ServerHints(shouldRetry, retryAfterNanos, rateLimits, emulatorFiller, firstByteMs, latencyMs);
    }

    /** These hints with other rate-limit headers (a masked copy), the rest kept. */
    ServerHints withRateLimits(Map<String, String> limits) {
        return new ServerHints(shouldRetry, retryAfterNanos, limits, emulatorFiller, serverFirstByteMs, serverLatencyMs);
    }

    /** A server's measurement in ms: a finite number of at least 0, else NaN. */
    private static double measure(double ms) {
        return Double.isFinite(ms) && ms >= 0 ? ms : Double.NaN;
    }

    public boolean hasRetryAfter() {
        return retryAfterNanos != NO_WAIT;
    }

    /** Reads the hints from a server that is not loopback (no filler mark is believed). */
    static ServerHints from(HttpHeaders headers, Instant now) {
        return from(headers, now, false);
    }

    /**
     * Reads the hints; {@code now} resolves an HTTP-date {@code retry-after}.
     *
     * @param loopback the response came from a loopback endpoint, the only kind whose
     *     {@value #EMULATOR_FILLER} header is believed
     */
    static ServerHints from(HttpHeaders headers, Instant now, boolean loopback) {
        boolean filler = loopback && headers.firstValue(EMULATOR_FILLER)
                .map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
        Boolean should = headers.firstValue("x-should-retry")
                .map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> v.equals("true") || v.equals("false"))
                .map(Boolean::valueOf)
                .orElse(null);
        double waitMs = headers.firstValue("retry-after-ms").map(ServerHints::number).orElse(Double.NaN);
        if (Double.isNaN(waitMs) || waitMs == 0) {
            waitMs = headers.firstValue("retry-after").map(v -> secondsAsMillis(v, now)).orElse(Double.NaN);
        }
        long wait = waitMs > 0 && waitMs * 1e6 < MAX_WAIT_NANOS ? (long) (waitMs * 1e6) : NO_WAIT;
        Map<String, String> limits = new TreeMap<>();
        headers.map().forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith("anthropic-ratelimit-") && !values.isEmpty()) {
                limits.put(n, values.get(0));
            }
        });
        double latencyMs = headers.firstValue(BEDROCK_LATENCY_HEADER).map(ServerHints::number).orElse(Double.NaN);
        if (should == null && wait == NO_WAIT && limits.isEmpty() && !filler && Double.isNaN(measure(latencyMs))) {
            return NONE;
        }
        return new ServerHints(should, wait, limits, filler, Double.NaN, latencyMs);
    }

    /** The header as a number, or NaN. */
    private static double number(String v) {
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** {@code retry-after} (seconds, or an HTTP date taken from {@code now}) in milliseconds, or NaN. */
    private static double secondsAsMillis(String v, Instant now) {
        double s = number(v);
        if (!Double.isNaN(s)) {
            return s * 1000;
        }
        try {
            Instant at = ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return java.time.Duration.between(now, at).toNanos() / 1e6;
        } catch (DateTimeParseException notDate) {
            return Double.NaN;
        }
    }
}
