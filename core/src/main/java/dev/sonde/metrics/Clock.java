package dev.sonde.metrics;

import java.time.Instant;

/**
 * The one source of time in Sonde. Nothing else calls {@code System.nanoTime()} or
 * {@code Instant.now()}: runner, client, emulator and limits take a {@code Clock}, so tests
 * can drive a schedule by hand and assert exact timings.
 *
 * <p>{@link #nanoTime()} is monotonic and only meaningful as a difference between two reads of
 * the same clock; {@link #now()} is wall-clock time for timestamps in files. Implementations are
 * thread-safe.
 */
public interface Clock {

    /** Monotonic nanoseconds, for durations. */
    long nanoTime();

    /** Wall-clock instant, for timestamps written to journals and reports. */
    Instant now();

    /**
     * Blocks the calling thread for at least {@code nanos} of this clock's time. A manual clock
     * advances itself instead of sleeping.
     */
    void sleepNanos(long nanos) throws InterruptedException;

    /** The real clock: {@link System#nanoTime()} and {@link Instant#now()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
