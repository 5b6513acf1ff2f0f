package dev.sonde.run;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.journal.AttemptRecord;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.suite.RetrySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.DoubleSupplier;

/**
 * Runs one trial's attempts under a Failsafe retry policy, waiting on Sonde's clock.
 *
 * <p>What is retried (API-NOTES, issue 4): 408, 409, 429, 5xx and 529 responses, connections that
 * failed or timed out before or during the body (including a stream broken after HTTP 200 and a
 * mid-stream {@code error} event of a retryable type), first-token and idle timeouts. Never
 * retried: 400, 401, 402, 403, 404, 413, 422 and the total timeout. {@code x-should-retry}
 * overrides for everything not on the never list. The wait is the server's
 * {@code retry-after-ms}/{@code retry-after} when given (a trial gives up rather than wait longer
 * than {@link RetrySpec#maxRetryAfter()}), else {@code min(base·2^(n-1), max)} less a random share
 * of up to {@code jitter} — never more than the server asked, never less.
 */
final class Retrier {
    private static final Set<Integer> NEVER = Set.of(400, 401, 402, 403, 404, 413, 422);

    /** The last exchange, every attempt, and the backoff waited between them. */
    record Attempts(Exchange last, List<AttemptRecord> attempts, long backoffNanos) {}

    /**
     * Sends one attempt, or returns null to refuse it (a budget forbids it): then the trial ends
     * with the previous attempt's exchange, or with none ({@link Attempts#last()} null) if it was
     * the first.
     */
    @FunctionalInterface
    interface Attempt {
        Exchange send(int attemptNumber) throws InterruptedException;
    }

    private final RetrySpec spec;
    private final Clock clock;
    private final DoubleSupplier random;

    Retrier(RetrySpec spec, Clock clock, DoubleSupplier random) {
        this.spec = spec;
        this.clock = clock;
        this.random = random;
    }

    Attempts run(Attempt attempt) throws InterruptedException {
        ClockScheduler scheduler = new ClockScheduler(clock);
        List<AttemptRecord> log = Collections.synchronizedList(new ArrayList<>());
        long[] lastWaited = {0};
        java.util.concurrent.atomic.AtomicBoolean refused = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Exchange> previous = new java.util.concurrent.atomic.AtomicReference<>();
        RetryPolicy<Exchange> policy = RetryPolicy.<Exchange>builder()
                .handleResultIf(ex -> ex != null && !ex.ok())
                .abortIf(ex -> refused.get() || ex == null || (!ex.ok() && !retryable(ex)))
                .withMaxAttempts(Math.max(1, spec.maxAttempts()))
                .withDelayFn(ctx -> delay(ctx.getLastResult(), ctx.getAttemptCount()))
                .build();
        Exchange last;
        CompletableFuture<Exchange> running = null;
        try {
            running = Failsafe.with(policy).with(scheduler).getAsync(ctx -> {
                int n = ctx.getAttemptCount() + 1;
                long waited = scheduler.waitedNanos();
                long backoff = waited - lastWaited[0];
                lastWaited[0] = waited;
                Exchange ex = attempt.send(n);
                if (ex == null) {
                    refused.set(true); // a budget forbids this attempt: the trial ends with what it had
                    return previous.get();
                }
                previous.set(ex);
                {
                    ApiFailure f = ex.failure();
                    log.add(new AttemptRecord(n, ex.status(), f == null ? null : f.errorClass().wireName(),
                            f == null ? null : f.type(), ex.requestId(), TimingsMillis.millis(backoff),
                            ex.timings().has(ex.timings().e2eNanos()) ? TimingsMillis.millis(ex.timings().e2eNanos()) : null));
                }
                return ex;
            });
            last = running.get();
        } catch (InterruptedException e) {
            // the trial is cancelled (a stop from outside): so is its attempt, and with it the request
            running.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException("an attempt crashed: " + cause, cause);
        }
        return new Attempts(last, List.copyOf(log), scheduler.waitedNanos());
    }

    /** Whether a failed exchange may be tried again (see the class comment). */
    boolean retryable(Exchange ex) {
        ApiFailure f = ex.failure();
        int s = ex.status();
        boolean byStatus = s == 408 || s == 409 || s == 429 || s >= 500;
        if (NEVER.contains(s) || !byStatus && f.errorClass().retry() == ErrorClass.Retry.NEVER) {
            return false;
        }
        if (ex.hints().hasRetryAfter() && ex.hints().retryAfterNanos() > spec.maxRetryAfter().toNanos()) {
            return false;
        }
        if (ex.hints().shouldRetry() != null) {
            return ex.hints().shouldRetry();
        }
        return byStatus || f.errorClass().retry() == ErrorClass.Retry.RETRIED;
    }

    /** The wait before attempt {@code failedAttempts + 1}. */
    Duration delay(Exchange last, int failedAttempts) {
        if (last != null && last.hints().hasRetryAfter()) {
            return Duration.ofNanos(last.hints().retryAfterNanos());
        }
        double base = spec.baseDelay().toNanos() * Math.pow(2, Math.max(0, failedAttempts - 1));
        double capped = Math.min(base, spec.maxDelay().toNanos());
        return Duration.ofNanos((long) (capped * (1 - spec.jitter() * random.getAsDouble())));
    }
}
