package dev.sonde.suite;

import java.time.Duration;

/** How to run a suite: parallel requests, repeats of each case × model, and the per-request time limit. */
public record RunSpec(int concurrency, int repeat, Duration timeout) {
    public static final RunSpec DEFAULT = new RunSpec(4, 1, Duration.ofSeconds(60));
}
