package dev.sonde.suite;

import java.time.Duration;
import java.util.List;

/**
 * A latency benchmark's load model (suite {@code load:}). {@code closed}: a fixed number of
 * workers, each sending its next request when the last one ends; a list of concurrencies is a
 * sweep, one step each. {@code open}: requests start at intended times, at {@code ratesPerSecond}
 * with constant or Poisson gaps, whatever the server does (no coordinated omission); a list of rates
 * is a sweep. Every step lasts {@code duration} (the first {@code warmup} excluded from statistics)
 * and sends at most {@code maxRequests}. Requests cycle through the suite's planned trials.
 *
 * @param maxInFlight open loop only: requests allowed in flight at once (a client-side limit; when
 *     reached, later requests start late and their response time shows it)
 * @param slo bounds a request must meet to count toward goodput; null fields are not bounded
 * @param maxErrorRate the share of a step's requests finished in its measured window that may fail
 *     before the step is marked failed (and the run exits 1); 0 to 1, default {@value #DEFAULT_MAX_ERROR_RATE}
 */
@com.fasterxml.jackson.databind.annotation.JsonNaming(
        com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LoadSpec(String mode, List<Integer> concurrencies, List<Double> ratesPerSecond, boolean poisson,
        Duration duration, Duration warmup, int maxRequests, int maxInFlight, Slo slo, long seed,
        double maxErrorRate) {
    /** The error rate a step may reach without failing, when the suite sets none (5 %). */
    public static final double DEFAULT_MAX_ERROR_RATE = 0.05;


    /** Per-request service-level bounds in milliseconds. */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(
            com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Slo(Double ttftMs, Double itlMs, Double e2eMs) {
        public static final Slo NONE = new Slo(null, null, null);

        /**
         * Whether a success with these timings (nanoseconds, negative when absent) meets every bound:
         * an absent timing fails a bound set on it. The inter-token bound applies to the TPOT.
         */
        public boolean met(long ttftNanos, long tpotNanos, long e2eNanos) {
            return within(ttftMs, ttftNanos) && within(itlMs, tpotNanos) && within(e2eMs, e2eNanos);
        }

        private static boolean within(Double boundMs, long nanos) {
            return boundMs == null || (nanos >= 0 && nanos <= boundMs * 1e6);
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean open() {
        return "open".equals(mode);
    }

    /** How many steps the sweep has. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int steps() {
        return open() ? ratesPerSecond.size() : concurrencies.size();
    }
}
