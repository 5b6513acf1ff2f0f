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
 * absent), the wait the server asked for ({@code retry-after-ms}, else {@code retry-after} in
 * seconds or as an HTTP date; {@link #NO_WAIT} when absent or unreadable), and every
 * {@code anthropic-ratelimit-*} header as sent (lower-case names).
 */
public record ServerHints(Boolean shouldRetry, long retryAfterNanos, Map<String, String> rateLimits) {
    public static final long NO_WAIT = -1;
    public static final ServerHints NONE = new ServerHints(null, NO_WAIT, Map.of());

    public ServerHints {
        rateLimits = Map.copyOf(rateLimits);
    }

    public boolean hasRetryAfter() {
        return retryAfterNanos != NO_WAIT;
    }

    /** Reads the hints; {@code now} resolves an HTTP-date {@code retry-after}. */
    static ServerHints from(HttpHeaders headers, Instant now) {
        Boolean should = headers.firstValue("x-should-retry")
                .map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> v.equals("true") || v.equals("false"))
                .map(Boolean::valueOf)
                .orElse(null);
        long wait = headers.firstValue("retry-after-ms").map(ServerHints::millis).orElse(NO_WAIT);
        if (wait == NO_WAIT) {
            wait = headers.firstValue("retry-after").map(v -> seconds(v, now)).orElse(NO_WAIT);
        }
        Map<String, String> limits = new TreeMap<>();
        headers.map().forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith("anthropic-ratelimit-") && !values.isEmpty()) {
                limits.put(n, values.get(0));
            }
        });
        if (should == null && wait == NO_WAIT && limits.isEmpty()) {
            return NONE;
        }
        return new ServerHints(should, wait, limits);
    }

    private static long millis(String v) {
        try {
            double ms = Double.parseDouble(v.strip());
            return ms >= 0 && Double.isFinite(ms) ? (long) (ms * 1e6) : NO_WAIT;
        } catch (NumberFormatException e) {
            return NO_WAIT;
        }
    }

    private static long seconds(String v, Instant now) {
        try {
            double s = Double.parseDouble(v.strip());
            return s >= 0 && Double.isFinite(s) ? (long) (s * 1e9) : NO_WAIT;
        } catch (NumberFormatException notNumber) {
            try {
                Instant at = ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, java.time.Duration.between(now, at).toNanos());
            } catch (DateTimeParseException notDate) {
                return NO_WAIT;
            }
        }
    }
}
