package dev.sonde.suite;

import java.time.Duration;

/**
 * How failed attempts are retried (suite {@code run.retry}). Defaults follow the official SDKs:
 * 3 attempts in all, backoff {@code min(base·2^(n-1), max)} less up to {@code jitter} of it, and a
 * server's {@code retry-after} honoured up to {@code maxRetryAfter} (beyond it the trial gives up
 * rather than wait).
 */
public record RetrySpec(int maxAttempts, Duration baseDelay, Duration maxDelay, double jitter, Duration maxRetryAfter) {
    public static final RetrySpec DEFAULT =
            new RetrySpec(3, Duration.ofMillis(500), Duration.ofSeconds(8), 0.25, Duration.ofMinutes(5));

    /** No retries: every trial is exactly one attempt. */
    public static final RetrySpec NONE = new RetrySpec(1, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);
}
