package dev.sonde.run;

import dev.sonde.metrics.Clock;
import java.util.function.BooleanSupplier;

/**
 * Waits on a {@link Clock} until an instant, to within a few microseconds on an idle core: it
 * sleeps ({@link RunStop#sleep}, so a stop ends the wait) until {@value #SPIN_NANOS} ns before the
 * instant, then spins ({@link Thread#onSpinWait}) reading the clock. A sleep alone wakes late: the
 * kernel's timer slack (50 µs by default on Linux) and the wake-up add ~60 µs to every park, more
 * when the thread must be scheduled again; the spin costs that much CPU per wait instead. Never
 * returns before the instant unless {@code stopped} became true. A clock that does not move while
 * read ({@value #STILL_READS} reads; a manual clock in tests, which moves only when slept on) is
 * slept on for what is left, so the wait ends exactly at the instant. Stateless; any thread may
 * call it, but it is meant for a platform thread: a virtual thread's wake-up waits for a carrier.
 */
final class StartTimer {
    /** How long before the instant the sleep ends and the spin begins. */
    static final long SPIN_NANOS = 200_000L;

    /**
     * Reads of an unchanged clock after which it is taken for one that moves only when slept on:
     * the system clock moves every read (nanoseconds, ~20 ns a read), so only a manual clock gets here.
     */
    static final int STILL_READS = 100;

    private StartTimer() {}

    /**
     * Returns once {@code clock} reads {@code atNanos} or later, or once {@code stopped} is true
     * (looked at during the sleep and once after it). The spin does not look at {@code stopped}: it
     * lasts at most {@value #SPIN_NANOS} ns, and a stop flag behind a lock (the runner's
     * {@code InFlight}) read every few nanoseconds would hold up the threads that start requests.
     */
    static void awaitUntil(Clock clock, long atNanos, BooleanSupplier stopped) throws InterruptedException {
        long now = clock.nanoTime();
        if (atNanos - now > SPIN_NANOS) {
            RunStop.sleep(clock, atNanos - now - SPIN_NANOS, stopped);
            if (stopped.getAsBoolean()) {
                return;
            }
            now = clock.nanoTime();
        }
        for (int still = 0; now < atNanos; ) {
            Thread.onSpinWait();
            long later = clock.nanoTime();
            still = later == now ? still + 1 : 0;
            if (still == STILL_READS) {
                clock.sleepNanos(atNanos - later);
                later = clock.nanoTime();
            }
            now = later;
        }
    }
}
