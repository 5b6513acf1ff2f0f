package dev.sonde.run;

import dev.sonde.metrics.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A stop asked of a run from outside it (Ctrl-C or SIGTERM, see {@code cli/RunSignals}): the run
 * that is going sends nothing more, cancels its requests in flight, journals their trials and the
 * rest as {@code skipped} with the reason (so {@code --resume} sends them again), and ends as a
 * budget stop does ({@link RunAborted}, partial reports written). What stopping means depends on how
 * the run sends, so each runner attaches its own action while it runs ({@link #onRequest}).
 *
 * <p>The first reason wins; a request before any runner attached is kept, and the runner stops as
 * soon as it attaches (its trials are all journaled as skipped). {@link #request} never waits on
 * the run: it sets the reason and interrupts the threads waiting on requests, so a signal handler
 * may call it. Thread-safe.
 */
public final class RunStop {
    /** How often a stoppable wait looks at the stop ({@link #sleep}). */
    static final long POLL_NANOS = 100_000_000L;

    private final List<Consumer<String>> actions = new ArrayList<>();
    private String reason;

    /** A stop nobody has asked for yet. */
    public RunStop() {}

    /**
     * Stops the run that is going (and any started later) for {@code why}.
     *
     * @param why one line for the journal's {@code skipped} and the console, e.g. {@code "interrupted (SIGINT)"}
     * @return false when a stop was asked before (its reason stays)
     */
    public boolean request(String why) {
        List<Consumer<String>> now;
        synchronized (this) {
            if (reason != null) {
                return false;
            }
            reason = why;
            now = List.copyOf(actions);
        }
        now.forEach(a -> a.accept(why));
        return true;
    }

    /** Why the run was asked to stop, or null while nobody has asked. */
    public synchronized String reason() {
        return reason;
    }

    /** Whether a stop was asked. */
    public boolean requested() {
        return reason() != null;
    }

    /** Detaches a runner's action ({@link #onRequest}). */
    public interface Attached extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Attaches what stopping means to the run now going: {@code action} runs once, with the reason,
     * when a stop is asked — at once if one was asked already — until the returned handle is closed.
     * It must not wait on the run (it runs on the thread that asks).
     */
    public Attached onRequest(Consumer<String> action) {
        String already;
        synchronized (this) {
            already = reason;
            if (already == null) {
                actions.add(action);
            }
        }
        if (already != null) {
            action.accept(already);
            return () -> { };
        }
        return () -> {
            synchronized (this) {
                actions.remove(action);
            }
        };
    }

    /**
     * Sleeps {@code nanos} on {@code clock} unless {@code stopped} becomes true first, looking every
     * {@value #POLL_NANOS} ns: a run's own waits (a cache sequence's gap, an open-loop arrival, a
     * batch's poll) end soon after a stop without interrupting the thread that runs the plan.
     */
    static void sleep(Clock clock, long nanos, BooleanSupplier stopped) throws InterruptedException {
        long end = clock.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !stopped.getAsBoolean(); left = end - clock.nanoTime()) {
            clock.sleepNanos(Math.min(left, POLL_NANOS));
        }
    }
}
