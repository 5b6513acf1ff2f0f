package dev.sonde.emulator;

import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test clock: a {@link ManualClock} whose {@link #sleepNanos} blocks until {@link #open()}, so a
 * test can hold many requests inside their modelled latency at once, then let them all go.
 */
final class GatedClock implements Clock {
    private final ManualClock time = new ManualClock();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger sleepers = new AtomicInteger();

    @Override
    public long nanoTime() {
        return time.nanoTime();
    }

    @Override
    public Instant now() {
        return time.now();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        sleepers.incrementAndGet();
        gate.await();
        time.sleepNanos(nanos);
    }

    void advanceMillis(long millis) {
        time.advanceMillis(millis);
    }

    /** Waits (up to 30 s of real time) until {@code n} sleeps have started. */
    void awaitSleepers(int n) throws InterruptedException {
        for (int i = 0; i < 3_000 && sleepers.get() < n; i++) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        if (sleepers.get() < n) {
            throw new IllegalStateException("only " + sleepers.get() + " of " + n + " requests reached their sleep");
        }
    }

    void open() {
        gate.countDown();
    }
}
