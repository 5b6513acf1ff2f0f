package dev.sonde.metrics;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that runs with its base clock but can be skipped forward: {@link #nanoTime()} and
 * {@link #now()} are the base's plus every {@link #advanceNanos skip} so far, and
 * {@link #sleepNanos} really sleeps on the base. An offline cache-variant run gives it to the
 * runner's sequencer and to the embedded emulator, so a seven-minute gap between arrivals costs
 * nothing yet expires a five-minute cache entry. The caller skips only while nothing is being
 * timed, so every measured interval (TTFT, e2e) is real elapsed time. Thread-safe.
 */
public final class VirtualClock implements Clock {
    private final Clock base;
    private final AtomicLong skippedNanos = new AtomicLong();

    public VirtualClock(Clock base) {
        this.base = base;
    }

    @Override
    public long nanoTime() {
        return base.nanoTime() + skippedNanos.get();
    }

    @Override
    public Instant now() {
        return base.now().plusNanos(skippedNanos.get());
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        base.sleepNanos(nanos);
    }

    /** Moves this clock {@code nanos} forward at once (a wait that nobody has to sit through). */
    public void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a clock does not go back");
        }
        skippedNanos.addAndGet(nanos);
    }

    /** Everything skipped so far, in nanoseconds. */
    public long skippedNanos() {
        return skippedNanos.get();
    }
}
