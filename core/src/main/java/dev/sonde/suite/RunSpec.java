package dev.sonde.suite;

import java.time.Duration;

/**
 * How to run a suite: parallel requests, repeats of each case × model, per-request time limits
 * (total, to the first token of a stream, idle between chunks, to connect), retries, and whether
 * the plan goes through Message Batches ({@code mode: batch}: half price, no latency figures).
 */
public record RunSpec(int concurrency, int repeat, Duration timeout, Duration firstTokenTimeout, Duration idleTimeout,
        Duration connectTimeout, RetrySpec retry, boolean batch) {
    public static final RunSpec DEFAULT = new RunSpec(4, 1, Duration.ofSeconds(60), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ofSeconds(10), RetrySpec.DEFAULT, false);

    /** Concurrency, repeats and a total timeout; other limits as {@link #DEFAULT}, capped by the total. */
    public RunSpec(int concurrency, int repeat, Duration timeout) {
        this(concurrency, repeat, timeout, min(timeout, DEFAULT.firstTokenTimeout), min(timeout, DEFAULT.idleTimeout),
                DEFAULT.connectTimeout, RetrySpec.DEFAULT, false);
    }

    /** This spec with {@code repeat} repeats of each case × model ({@code sonde run --repeat}). */
    public RunSpec withRepeat(int repeat) {
        return new RunSpec(concurrency, repeat, timeout, firstTokenTimeout, idleTimeout, connectTimeout, retry, batch);
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
