package dev.sonde.run;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Appends a benchmark's requests to its {@link Journal} on one thread of its own
 * ({@code sonde-journal}), so the threads that send and time requests never build a record, encode
 * it or wait on the journal's lock and write: under hundreds of streams those threads are the
 * carriers every request start waits for. Records are built ({@link #append}'s supplier) and
 * written in the order they were handed over.
 *
 * <p>The queue holds at most {@code capacity} records; {@link #append} waits for room when it is
 * full (the writer is behind), so memory stays bounded. {@link #close} returns once every record
 * handed over is written; the first failure to write is thrown there (after it, later records
 * are dropped, never waited for). Thread-safe.
 */
final class JournalWriter implements AutoCloseable {
    private static final Supplier<TrialResult> END = () -> null;

    private final Journal journal;
    private final BlockingQueue<Supplier<TrialResult>> queue;
    private final Thread writer;
    private volatile Throwable failure;

    JournalWriter(Journal journal, int capacity) {
        this.journal = journal;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().name("sonde-journal").daemon().start(this::drain);
    }

    /** Hands over a record to build and append; waits only while the queue is full. */
    void append(Supplier<TrialResult> record) throws InterruptedException {
        queue.put(record);
    }

    private void drain() {
        while (true) {
            Supplier<TrialResult> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                continue; // nothing may end the writer but END: senders and close() wait on the queue it empties
            }
            if (next == END) {
                return;
            }
            if (failure == null) {
                try {
                    journal.append(next.get());
                } catch (Throwable e) { // an Error too: the writer goes on emptying the queue, so nobody hangs
                    failure = e;
                }
            }
        }
    }

    /** Writes every record handed over, stops the writer, and throws the first write failure. */
    @Override
    public void close() throws IOException {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(END);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the records handed over are still written: a stop keeps what finished
            }
        }
        while (true) {
            try {
                writer.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure;
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
    }
}
