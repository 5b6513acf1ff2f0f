package dev.sonde.run;

import java.util.HashSet;
import java.util.Set;

/**
 * The threads of a run that are sending a trial's requests, so that a stop ({@link RunStop}) can
 * cancel them: {@link #cancel()} interrupts each, which ends its wait for a slot, a rate limit, a
 * backoff or a response (the HTTP exchange is cancelled with it). A thread registers only while
 * it sends ({@link #enter} … {@link #leave}): once its last response is in, it is no longer
 * interrupted, so checking, grading and journaling what arrived are never cut short. Thread-safe.
 */
final class InFlight {
    private final Set<Thread> sending = new HashSet<>();
    private boolean cancelled;

    /**
     * Registers the calling thread as sending.
     *
     * @return false once {@link #cancel()} was called: the trial must not be sent
     */
    synchronized boolean enter() {
        if (cancelled) {
            return false;
        }
        sending.add(Thread.currentThread());
        return true;
    }

    /**
     * Unregisters the calling thread (nothing if it was not registered). After a cancel, the interrupt
     * it may have sent this thread is cleared: from here on the thread only records what it has.
     */
    void leave() {
        boolean interruptedHere;
        synchronized (this) {
            interruptedHere = sending.remove(Thread.currentThread()) && cancelled;
        }
        if (interruptedHere) {
            Thread.interrupted(); // no interrupt comes after the removal above: this clears only ours
        }
    }

    /** Interrupts every thread sending now and refuses every later {@link #enter}. */
    synchronized void cancel() {
        cancelled = true;
        sending.forEach(Thread::interrupt);
    }

    /** Whether {@link #cancel()} was called. */
    synchronized boolean cancelled() {
        return cancelled;
    }
}
