package dev.sonde.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one response misbehaves, from a rule's {@code fault:} mapping or the {@value #HEADER}
 * request header (same keys; the header wins key by key). Grammar of the header: {@code key=value}
 * pairs separated by {@code ;} (spaces ignored), e.g. {@code status=529; retry_after=0} or
 * {@code drop_after_deltas=5}. Keys:
 * <ul>
 *   <li>{@code status}, {@code type}, {@code message}: an HTTP error before any byte (either of
 *       status/type derives the other);</li>
 *   <li>{@code retry_after} (s), {@code retry_after_ms}, {@code should_retry} (true|false): the
 *       {@code retry-after}, {@code retry-after-ms}, {@code x-should-retry} headers, on whatever
 *       response goes out;</li>
 *   <li>{@code first_byte_delay_ms}: nothing at all (not even headers) for that long;</li>
 *   <li>{@code error_after_events|deltas=N}: HTTP 200, N events (or N content deltas), then
 *       {@code event: error} ({@code type}/{@code message}, default {@code overloaded_error}) and
 *       the body ends;</li>
 *   <li>{@code drop_after_events|deltas=N}: the TCP connection is aborted after N events;</li>
 *   <li>{@code stall_after_events|deltas=N} with {@code stall_ms=M}: no bytes for M ms, then the
 *       stream goes on;</li>
 *   <li>{@code malformed_after_events|deltas=N}: a truncated, unparseable {@code data:} line is
 *       sent after N events, then the stream goes on.</li>
 * </ul>
 * All waits are on the emulator's clock. A non-streamed request gets the HTTP error for
 * {@code error_after_*}, an aborted connection for {@code drop_*}, a delay before the body for
 * {@code stall_*}, and a body cut in half for {@code malformed_*}. Immutable.
 */
record Faults(ApiError httpError, Map<String, String> headers, long firstByteDelayNanos, List<StreamFault> stream) {
    static final String HEADER = "x-sonde-fault";
    static final Faults NONE = new Faults(null, Map.of(), 0, List.of());
    static final Set<String> KEYS = Set.of("status", "type", "message", "retry_after", "retry_after_ms", "should_retry",
            "first_byte_delay_ms", "error_after_events", "error_after_deltas", "drop_after_events", "drop_after_deltas",
            "stall_after_events", "stall_after_deltas", "stall_ms", "malformed_after_events", "malformed_after_deltas");

    /** A fault at a point of the stream: after {@code after} events, or content deltas when {@code deltas}. */
    sealed interface StreamFault {
        int after();

        boolean deltas();

        record ErrorEvent(int after, boolean deltas, ApiError error) implements StreamFault {}

        record Drop(int after, boolean deltas) implements StreamFault {}

        record Stall(int after, boolean deltas, long nanos) implements StreamFault {}

        record Malformed(int after, boolean deltas) implements StreamFault {}
    }

    boolean isNone() {
        return httpError == null && headers.isEmpty() && firstByteDelayNanos == 0 && stream.isEmpty();
    }

    /** Parses the {@value #HEADER} value; a malformed value is a 400 naming the header. */
    static Faults header(String value) {
        Map<String, String> spec = new LinkedHashMap<>();
        for (String part : value.split(";")) {
            String pair = part.trim();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw ApiError.invalid(HEADER + ": expected key=value pairs separated by ';', got '" + pair + "'");
            }
            spec.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        try {
            return of(spec);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(HEADER + ": " + e.getMessage());
        }
    }

    /** Builds faults from key/value text; throws {@link IllegalArgumentException} naming the bad key. */
    static Faults of(Map<String, String> spec) {
        for (String key : spec.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(key + ": unknown key (expected one of " + KEYS.stream().sorted().toList() + ")");
            }
        }
        Map<String, String> headers = new HashMap<>();
        if (spec.containsKey("retry_after")) {
            headers.put("retry-after", spec.get("retry_after"));
        }
        if (spec.containsKey("retry_after_ms")) {
            headers.put("retry-after-ms", spec.get("retry_after_ms"));
        }
        if (spec.containsKey("should_retry")) {
            String v = spec.get("should_retry");
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("should_retry: must be true or false");
            }
            headers.put("x-should-retry", v);
        }
        List<StreamFault> stream = new ArrayList<>();
        ApiError error = null;
        if (spec.containsKey("status") || spec.containsKey("type")) {
            int status = spec.containsKey("status") ? number(spec, "status") : 0;
            error = ApiError.of(status, spec.get("type"), spec.get("message"), headers);
        }
        for (String unit : List.of("events", "deltas")) {
            boolean deltas = unit.equals("deltas");
            if (spec.containsKey("error_after_" + unit)) {
                ApiError event = error != null ? error
                        : ApiError.of(0, spec.getOrDefault("type", "overloaded_error"), spec.get("message"), headers);
                stream.add(new StreamFault.ErrorEvent(number(spec, "error_after_" + unit), deltas, event));
                error = null;
            }
            if (spec.containsKey("drop_after_" + unit)) {
                stream.add(new StreamFault.Drop(number(spec, "drop_after_" + unit), deltas));
            }
            if (spec.containsKey("stall_after_" + unit)) {
                if (!spec.containsKey("stall_ms")) {
                    throw new IllegalArgumentException("stall_after_" + unit + ": needs stall_ms");
                }
                stream.add(new StreamFault.Stall(number(spec, "stall_after_" + unit), deltas,
                        number(spec, "stall_ms") * 1_000_000L));
            }
            if (spec.containsKey("malformed_after_" + unit)) {
                stream.add(new StreamFault.Malformed(number(spec, "malformed_after_" + unit), deltas));
            }
        }
        long delay = spec.containsKey("first_byte_delay_ms") ? number(spec, "first_byte_delay_ms") * 1_000_000L : 0;
        return new Faults(error, Map.copyOf(headers), delay, List.copyOf(stream));
    }

    /** These faults with every part {@code override} sets replaced by the override's. */
    Faults overriddenBy(Faults override) {
        if (override.isNone()) {
            return this;
        }
        if (isNone()) {
            return override;
        }
        Map<String, String> merged = new HashMap<>(headers);
        merged.putAll(override.headers);
        return new Faults(override.httpError != null ? override.httpError : httpError, Map.copyOf(merged),
                override.firstByteDelayNanos != 0 ? override.firstByteDelayNanos : firstByteDelayNanos,
                override.stream.isEmpty() ? stream : override.stream);
    }

    private static int number(Map<String, String> spec, String key) {
        try {
            int n = Integer.parseInt(spec.get(key));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": must be a whole number >= 0, was '" + spec.get(key) + "'");
        }
    }
}
