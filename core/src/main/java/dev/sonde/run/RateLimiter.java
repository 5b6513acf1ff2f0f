package dev.sonde.run;

import dev.sonde.api.ServerHints;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.RateLimitSpec;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Client-side rate limits for one scope (the endpoint, or one model): Bucket4j token buckets for
 * requests, input tokens and output tokens per minute, refilled greedily, on Sonde's clock.
 *
 * <p>Requests are paced: their bucket holds one request, so sends start at least a minute / limit
 * apart and no 60-second window ever holds more than the limit (a bucket holding a minute's worth
 * let {@code requests_per_minute: 120} send 30 requests in 0.17 s, and a window see twice the
 * limit). The token buckets hold a minute's worth, as the API's own buckets do, so one large
 * request can go at once.
 *
 * <p>Reserve-then-settle: {@link #acquire} takes one request, the input estimate and the output
 * estimate ({@code max_tokens}) before a send, waiting on the clock as long as the buckets say;
 * {@link #settle} then returns what was over-reserved or takes what was under-reserved (possibly
 * into debt, which later requests wait out). Input counts as the API's ITPM does:
 * {@code input_tokens + cache_creation_input_tokens} (cache reads are free). An estimate larger
 * than a bucket is capped at its size so a single large request can still go.
 *
 * <p>Adaptive: when a response says a limit is exhausted ({@code anthropic-ratelimit-*-remaining:
 * 0}) or a 429 names a {@code retry-after}, every later send in this scope waits until the reset,
 * so the client slows down before the server has to refuse it. Thread-safe.
 */
final class RateLimiter {
    /** The longest adaptive pause: a minute, the API's window (shorter when {@code max_retry_after_s} is). */
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

    private final Clock clock;
    private final Bucket requests;
    private final Bucket inputTokens;
    private final Bucket outputTokens;
    private final Integer inputCapacity;
    private final Integer outputCapacity;
    private final boolean adaptive;
    private final long maxPauseNanos;
    private volatile long pausedUntilNanos;

    RateLimiter(RateLimitSpec spec, Clock clock) {
        this(spec, clock, MAX_PAUSE);
    }

    /** @param maxRetryAfter the run's {@code max_retry_after_s}: no adaptive pause lasts longer */
    RateLimiter(RateLimitSpec spec, Clock clock, Duration maxRetryAfter) {
        this.clock = clock;
        this.maxPauseNanos = Math.min(MAX_PAUSE.toNanos(), maxRetryAfter.toNanos());
        this.pausedUntilNanos = clock.nanoTime(); // monotonic time has no zero: start "not paused" from now
        TimeMeter meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.nanoTime();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        this.requests = bucket(spec.requestsPerMinute(), 1, meter);
        this.inputTokens = bucket(spec.inputTokensPerMinute(), spec.inputTokensPerMinute(), meter);
        this.outputTokens = bucket(spec.outputTokensPerMinute(), spec.outputTokensPerMinute(), meter);
        this.inputCapacity = spec.inputTokensPerMinute();
        this.outputCapacity = spec.outputTokensPerMinute();
        this.adaptive = spec.adaptive();
    }

    /** A bucket refilled with {@code perMinute} a minute, holding at most {@code capacity}; null without a limit. */
    private static Bucket bucket(Integer perMinute, Integer capacity, TimeMeter meter) {
        if (perMinute == null) {
            return null;
        }
        return Bucket.builder()
                .addLimit(l -> l.capacity(capacity).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .withCustomTimePrecision(meter)
                .build();
    }

    /** Waits until one request with these estimates may go; returns the nanoseconds waited. */
    long acquire(long inputEstimate, long outputEstimate) throws InterruptedException {
        long start = clock.nanoTime();
        long in = cap(inputEstimate, inputCapacity);
        long out = cap(outputEstimate, outputCapacity);
        while (true) {
            long pause = pausedUntilNanos - clock.nanoTime();
            if (pause > 0) {
                clock.sleepNanos(pause);
                continue;
            }
            long wait = take(requests, 1);
            if (wait == 0) {
                wait = take(inputTokens, in);
                if (wait > 0) {
                    giveBack(requests, 1);
                } else {
                    wait = take(outputTokens, out);
                    if (wait > 0) {
                        giveBack(requests, 1);
                        giveBack(inputTokens, in);
                    }
                }
            }
            if (wait == 0) {
                return clock.nanoTime() - start;
            }
            clock.sleepNanos(wait);
        }
    }

    /** Replaces the estimates by what the response used; {@code usage} may be empty (a failure). */
    void settle(long inputEstimate, long outputEstimate, Usage usage) {
        adjust(inputTokens, cap(inputEstimate, inputCapacity), usage.inputTokens() + usage.cacheCreationInputTokens());
        adjust(outputTokens, cap(outputEstimate, outputCapacity), usage.outputTokens());
    }

    /** Reads a response's limit headers and retry-after; pauses the scope when a limit ran out. */
    void observe(int status, ServerHints hints) {
        if (!adaptive) {
            return;
        }
        long now = clock.nanoTime();
        if (status == 429 && hints.hasRetryAfter()) {
            pauseUntil(now + Math.min(hints.retryAfterNanos(), maxPauseNanos));
        }
        Map<String, String> limits = hints.rateLimits();
        for (String kind : new String[] {"requests", "input-tokens", "output-tokens", "tokens"}) {
            String remaining = limits.get("anthropic-ratelimit-" + kind + "-remaining");
            String reset = limits.get("anthropic-ratelimit-" + kind + "-reset");
            if ("0".equals(remaining) && reset != null) {
                try {
                    Instant at = OffsetDateTime.parse(reset).toInstant();
                    long wait = Duration.between(clock.now(), at).toNanos();
                    if (wait > 0) {
                        pauseUntil(now + Math.min(wait, maxPauseNanos));
                    }
                } catch (DateTimeParseException ignored) {
                    // an unreadable reset time tells us nothing to wait for
                }
            }
        }
    }

    private synchronized void pauseUntil(long nanos) {
        if (nanos > pausedUntilNanos) {
            pausedUntilNanos = nanos;
        }
    }

    private static long take(Bucket bucket, long tokens) {
        if (bucket == null || tokens <= 0) {
            return 0;
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(tokens);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    private static void giveBack(Bucket bucket, long tokens) {
        if (bucket != null && tokens > 0) {
            bucket.addTokens(tokens);
        }
    }

    private static void adjust(Bucket bucket, long reserved, long actual) {
        if (bucket == null) {
            return;
        }
        if (actual > reserved) {
            bucket.consumeIgnoringRateLimits(actual - reserved);
        } else if (reserved > actual) {
            bucket.addTokens(reserved - actual);
        }
    }

    private static long cap(long estimate, Integer capacity) {
        return capacity == null ? estimate : Math.min(estimate, capacity);
    }
}
