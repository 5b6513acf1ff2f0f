package dev.sonde.run;

import dev.sonde.metrics.Clock;
import dev.sonde.metrics.VirtualClock;
import java.time.Instant;

/**
 * The clock retry backoff waits on in an offline cache-variant run: it reads the
 * {@link VirtualClock} the sequencer and the emulator share, and a wait skips that clock forward
 * instead of sleeping. So a {@code retry-after: 30} costs no real time yet is 30 s for the
 * emulator's cache TTLs and rate-limit buckets — the same as the gaps between arrivals. Without it
 * the backoff was slept for real: consistent (the virtual clock runs with the real one) but slow.
 *
 * <p>Unlike a gap, a backoff may be skipped while other requests of the same arrival are in
 * flight. That moves nothing measured: requests are timed on the client's own (real) clock, and the
 * emulator paces its responses with real sleeps; only TTLs and buckets see the skip, as they would
 * see a real wait. Thread-safe.
 */
final class VirtualWaits implements Clock {
    private final VirtualClock virtual;

    VirtualWaits(VirtualClock virtual) {
        this.virtual = virtual;
    }

    /** The shared virtual clock's reading: its base clock's plus every skip so far, in nanoseconds. */
    @Override
    public long nanoTime() {
        return virtual.nanoTime();
    }

    /** Wall-clock time on the shared virtual clock, skips included. */
    @Override
    public Instant now() {
        return virtual.now();
    }

    /** Skips {@code nanos} on the virtual clock at once. */
    @Override
    public void sleepNanos(long nanos) {
        if (nanos > 0) {
            virtual.advanceNanos(nanos);
        }
    }
}
