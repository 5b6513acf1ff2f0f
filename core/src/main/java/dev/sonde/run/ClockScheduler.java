package dev.sonde.run;

import dev.failsafe.spi.Scheduler;
import dev.sonde.metrics.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failsafe's scheduler on Sonde's {@link Clock}: each scheduled attempt runs on a virtual thread
 * that first sleeps the delay on the clock (so a manual clock makes backoff instant and exact in
 * tests). Sums the delays it waited: that is the trial's backoff time, never part of its latency.
 * One instance per trial; thread-safe.
 */
final class ClockScheduler implements Scheduler {
    private final Clock clock;
    private final AtomicLong waitedNanos = new AtomicLong();

    ClockScheduler(Clock clock) {
        this.clock = clock;
    }

    long waitedNanos() {
        return waitedNanos.get();
    }

    /**
     * Runs {@code callable} on a new virtual thread after sleeping {@code delay} on the clock, adding
     * the slept time to {@link #waitedNanos()}; cancelling with interruption interrupts that thread.
     */
    @Override
    public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
        long nanos = unit.toNanos(delay);
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("sonde-attempt").start(() -> {
            try {
                if (nanos > 0) {
                    clock.sleepNanos(nanos);
                    waitedNanos.addAndGet(nanos);
                }
                result.complete(callable.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return new Scheduled(result, thread, nanos);
    }

    private record Scheduled(CompletableFuture<Object> result, Thread thread, long delayNanos)
            implements ScheduledFuture<Object> {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(delayNanos, o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (mayInterruptIfRunning) {
                thread.interrupt();
            }
            return result.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return result.isCancelled();
        }

        @Override
        public boolean isDone() {
            return result.isDone();
        }

        @Override
        public Object get() throws InterruptedException, ExecutionException {
            return result.get();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return result.get(timeout, unit);
        }
    }
}
