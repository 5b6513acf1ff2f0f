package dev.sonde.metrics;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to (or when something sleeps on it). Thread-safe. */
public final class ManualClock implements Clock {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return EPOCH.plusNanos(nanos.get());
    }

    @Override
    public void sleepNanos(long n) {
        nanos.addAndGet(Math.max(0, n));
    }

    public void advanceMillis(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }

    public void advanceNanos(long n) {
        nanos.addAndGet(n);
    }
}
