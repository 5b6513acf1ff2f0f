package dev.sonde.emulator;

import dev.sonde.metrics.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per API key and model RPM / ITPM / OTPM token buckets (API-SPEC §5.3) on the injected clock.
 * Each bucket holds at most its per-minute limit and refills continuously at limit/60 per
 * second. A request is admitted when one request, its ITPM tokens (uncached input plus cache
 * writes) and one output token are available; it then takes the request, the input and its
 * actual output tokens (the output bucket may go into debt, delaying later requests). Otherwise
 * it is a 429 {@code rate_limit_error} whose {@code retry-after} is the whole seconds until the
 * short bucket holds enough, so a retry after that long succeeds when nothing else spends in
 * between. Every decision carries the {@code anthropic-ratelimit-*} headers; a model without a
 * configured limit reports {@value #UNLIMITED} remaining of {@value #UNLIMITED}. Thread-safe.
 */
final class RateLimiter {
    static final long UNLIMITED = 1_000_000_000L;
    private static final double NANOS_PER_MINUTE = 60e9;
    private static final String[] KINDS = {"requests", "input-tokens", "output-tokens"};

    /** The headers to send, and the 429 to answer with instead when not admitted. */
    record Decision(Map<String, String> headers, ApiError rejection) {}

    private final Clock clock;
    private final List<RateLimit> limits;
    private final List<Glob> globs;
    private final ConcurrentHashMap<String, Buckets> buckets = new ConcurrentHashMap<>();

    RateLimiter(Clock clock, List<RateLimit> limits) {
        this.clock = clock;
        this.limits = List.copyOf(limits);
        this.globs = this.limits.stream().map(l -> Glob.of(l.model())).toList();
    }

    /** Admits (and charges) or rejects one request of {@code inputTokens} in and {@code outputTokens} out. */
    Decision admit(String apiKey, String model, long inputTokens, long outputTokens) {
        RateLimit limit = limitFor(model);
        if (limit == null) {
            return new Decision(unlimitedHeaders(), null);
        }
        Buckets b = buckets.computeIfAbsent(apiKey + "\u0000" + model, k -> new Buckets(limit, clock.nanoTime()));
        synchronized (b) {
            long now = clock.nanoTime();
            b.refill(now);
            long[] need = {1, inputTokens, 1};
            long waitNanos = 0;
            int shortBucket = -1;
            for (int i = 0; i < 3; i++) {
                long wait = b.waitNanos(i, need[i]);
                if (wait > waitNanos) {
                    waitNanos = wait;
                    shortBucket = i;
                }
            }
            if (shortBucket >= 0) {
                Map<String, String> headers = headers(b, now);
                long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
                headers.put("retry-after", Long.toString(seconds));
                String what = switch (shortBucket) {
                    case 0 -> "requests";
                    case 1 -> "input tokens";
                    default -> "output tokens";
                };
                ApiError error = new ApiError(429, "rate_limit_error", "This request would exceed the rate limit for your "
                        + "organization of " + b.capacity[shortBucket] + " " + what + " per minute. For details, refer to: "
                        + "https://docs.claude.com/en/api/rate-limits.", headers);
                return new Decision(headers, error);
            }
            b.take(0, 1);
            b.take(1, inputTokens);
            b.take(2, outputTokens);
            return new Decision(headers(b, now), null);
        }
    }

    private RateLimit limitFor(String model) {
        for (int i = 0; i < globs.size(); i++) {
            if (globs.get(i).matches(model)) {
                return limits.get(i);
            }
        }
        return null;
    }

    private Map<String, String> headers(Buckets b, long now) {
        Instant wall = clock.now();
        Map<String, String> headers = new LinkedHashMap<>();
        int tightest = 1;
        for (int i = 0; i < 3; i++) {
            long cap = b.capacity[i] == 0 ? UNLIMITED : b.capacity[i];
            long remaining = b.capacity[i] == 0 ? UNLIMITED : Math.max(0, (long) Math.floor(b.level[i]));
            String reset = stamp(wall.plusNanos(b.capacity[i] == 0 ? 0 : b.waitNanos(i, b.capacity[i])));
            headers.put("anthropic-ratelimit-" + KINDS[i] + "-limit", Long.toString(cap));
            headers.put("anthropic-ratelimit-" + KINDS[i] + "-remaining", Long.toString(remaining));
            headers.put("anthropic-ratelimit-" + KINDS[i] + "-reset", reset);
            if (i == 2 && b.capacity[2] != 0 && (b.capacity[1] == 0 || b.level[2] / b.capacity[2] < b.level[1] / b.capacity[1])) {
                tightest = 2;
            }
        }
        for (String part : new String[] {"limit", "remaining", "reset"}) {
            headers.put("anthropic-ratelimit-tokens-" + part, headers.get("anthropic-ratelimit-" + KINDS[tightest] + "-" + part));
        }
        return headers;
    }

    private Map<String, String> unlimitedHeaders() {
        String reset = stamp(clock.now());
        String max = Long.toString(UNLIMITED);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String kind : new String[] {"requests", "input-tokens", "output-tokens", "tokens"}) {
            headers.put("anthropic-ratelimit-" + kind + "-limit", max);
            headers.put("anthropic-ratelimit-" + kind + "-remaining", max);
            headers.put("anthropic-ratelimit-" + kind + "-reset", reset);
        }
        return headers;
    }

    /** RFC 3339 in whole seconds, rounded up (a reset is never earlier than stated). */
    private static String stamp(Instant instant) {
        Instant up = instant.getNano() == 0 ? instant : instant.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        return up.toString();
    }

    /** The three buckets of one key and model: requests, input tokens, output tokens. Guarded by itself. */
    private static final class Buckets {
        final long[] capacity;
        final double[] level;
        long lastNanos;

        Buckets(RateLimit limit, long now) {
            capacity = new long[] {limit.requestsPerMinute(), limit.inputTokensPerMinute(), limit.outputTokensPerMinute()};
            level = new double[] {capacity[0], capacity[1], capacity[2]};
            lastNanos = now;
        }

        void refill(long now) {
            long elapsed = Math.max(0, now - lastNanos);
            for (int i = 0; i < 3; i++) {
                level[i] = Math.min(capacity[i], level[i] + elapsed * capacity[i] / NANOS_PER_MINUTE);
            }
            lastNanos = now;
        }

        /**
         * Nanoseconds until bucket {@code i} holds {@code amount} (or is full, for an amount above
         * the limit, which is then admitted into debt); 0 when it does or is unlimited.
         */
        long waitNanos(int i, long amount) {
            double missing = Math.min(amount, capacity[i]) - level[i];
            return capacity[i] == 0 || missing <= 0 ? 0 : (long) Math.ceil(missing * NANOS_PER_MINUTE / capacity[i]);
        }

        void take(int i, long amount) {
            if (capacity[i] != 0) {
                level[i] -= amount;
            }
        }
    }
}
