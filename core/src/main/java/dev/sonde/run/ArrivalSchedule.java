package dev.sonde.run;

import java.util.SplittableRandom;

/**
 * The intended starts of one open-loop step, in nanoseconds from the step's start: request
 * {@code i} at {@code i / rate} (constant arrivals), or after cumulative exponential gaps of mean
 * {@code 1 / rate} drawn from {@code seed} (Poisson arrivals), so the same suite gives the same
 * schedule. The first request is due at 0. Not thread-safe: one schedule per step, read by the
 * thread that sends the step's requests.
 */
final class ArrivalSchedule {
    private final double gapNanos;
    private final SplittableRandom poisson;
    private double offsetNanos;

    /**
     * @param ratePerSecond arrivals per second, above 0
     * @param poisson exponential gaps instead of constant ones
     * @param seed the gaps' seed (Poisson only)
     */
    ArrivalSchedule(double ratePerSecond, boolean poisson, long seed) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("an arrival rate must be a positive number, not " + ratePerSecond);
        }
        this.gapNanos = 1e9 / ratePerSecond;
        this.poisson = poisson ? new SplittableRandom(seed) : null;
    }

    /** The next request's intended start, nanoseconds from the step's start (0 for the first). */
    long next() {
        long at = (long) offsetNanos;
        offsetNanos += poisson == null ? gapNanos : -Math.log(1 - poisson.nextDouble()) * gapNanos;
        return at;
    }
}
