package dev.sonde.run;

/**
 * The number of trials in flight, adjusted additive-increase / multiplicative-decrease: a 429
 * halves the limit (at most once per {@code max}-sized batch of completions, so one burst of 429s
 * counts once), each success adds {@code 1/limit}, up to the configured concurrency. Acquire
 * blocks while the limit is reached. Thread-safe.
 */
final class AdaptiveLimit {
    private final int max;
    private double limit;
    private int inFlight;
    private int lowest;
    private int throttles;
    private long completionsSinceDecrease;

    AdaptiveLimit(int max) {
        this.max = Math.max(1, max);
        this.limit = this.max;
        this.lowest = this.max;
    }

    synchronized void acquire() throws InterruptedException {
        while (inFlight >= (int) limit) {
            wait();
        }
        inFlight++;
    }

    synchronized void release() {
        inFlight--;
        completionsSinceDecrease++;
        notifyAll();
    }

    /** A 429: halve the limit unless it was just halved. Returns the new limit if it changed, else 0. */
    synchronized int throttled() {
        throttles++;
        if (completionsSinceDecrease < Math.max(1, (int) limit) && limit < max) {
            return 0;
        }
        limit = Math.max(1, Math.floor(limit / 2));
        lowest = Math.min(lowest, (int) limit);
        completionsSinceDecrease = 0;
        return (int) limit;
    }

    synchronized void succeeded() {
        if (limit < max) {
            limit = Math.min(max, limit + 1 / limit);
            notifyAll();
        }
    }

    synchronized int current() {
        return (int) limit;
    }

    /** The lowest limit reached, and how many 429s were seen. */
    synchronized int lowest() {
        return lowest;
    }

    synchronized int throttles() {
        return throttles;
    }
}
