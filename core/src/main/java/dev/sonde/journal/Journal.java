package dev.sonde.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sonde.metrics.Jackson;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The append-only JSONL record of a run ({@code trials.jsonl}). Each {@link #append} writes one
 * complete line and flushes it to the operating system before returning, so a killed run keeps
 * every trial it counted. Reading tolerates a torn last line (a crash mid-write) and skips it.
 * {@code append} is thread-safe, and an interrupted appending thread (a run cancelling its requests
 * in flight) still writes its whole line and leaves the journal open for the others.
 */
public final class Journal implements Closeable {
    /** The mapper for journal lines: snake_case records, ISO instants, unknown fields ignored. */
    public static final ObjectMapper JSON = Jackson.mapper()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Journal reads since the process started (tests hold a run to one read with it). */
    private static final java.util.concurrent.atomic.AtomicLong READS = new java.util.concurrent.atomic.AtomicLong();

    private final Path path;
    private final OutputStream out;
    /** Orders the appends and the close (a lock, not a monitor: a virtual thread waiting here unmounts). */
    private final ReentrantLock lock = new ReentrantLock();
    private final Tap tap;

    private Journal(Path path, OutputStream out, Consumer<TrialResult> tap) {
        this.path = path;
        this.out = out;
        this.tap = tap == null ? null : new Tap(tap);
    }

    /**
     * Opens {@code path} for appending, creating it (and its folder) if needed. A torn last line
     * left by a crash mid-write is cut off first, so the next record starts on a line of its own.
     */
    public static Journal open(Path path) throws IOException {
        return open(path, null);
    }

    /**
     * As {@link #open(Path)}, handing each record to {@code tap} once it is written, in journal
     * order: whoever learns from the run's trials (its analysis, its reports) sees them as a later
     * read of the file would, without that read. The tap runs on a thread of its own, one record
     * at a time, so the trials that append never wait for it — unless it falls
     * 1,024 records behind; {@link #close()} returns once it has taken the last one.
     * The tap must not throw.
     *
     * @param tap null for none
     */
    public static Journal open(Path path, Consumer<TrialResult> tap) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        cutTornTail(path);
        // A FileOutputStream, not a channel: a run cancels its requests in flight by interrupting their
        // threads, and an interrupt reaching a channel's write closes the channel for every trial.
        OutputStream out = new FileOutputStream(path.toFile(), true);
        return new Journal(path, out, tap);
    }

    /**
     * Cuts whatever follows the last {@code '\n'} of the journal {@code path}, if it exists: a record
     * whose write was cut short — unless it reads as a whole trial record (only its newline was
     * lost), which {@link #read} counted: that one gets its newline. Read backwards in blocks, so a
     * long torn tail (or junk appended without a newline) is found in a few reads.
     */
    public static void cutTornTail(Path path) throws IOException {
        cutTornTail(path, tail -> {
            try {
                TrialLines.record(tail, tail.length);
                return true;
            } catch (TrialLines.NotARecord e) {
                return false;
            }
        });
    }

    /** The longest unterminated last line looked at as a possibly whole record (no record is longer). */
    private static final int MAX_WHOLE_TAIL = 64 << 20;

    /**
     * As {@link #cutTornTail(Path)} for any JSONL file: a last line without its {@code '\n'} that
     * {@code whole} accepts (a complete record whose newline alone was lost) gets its newline
     * instead of being cut, since a reader counted it; anything else after the last newline is cut.
     */
    public static void cutTornTail(Path path, java.util.function.Predicate<byte[]> whole) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(64 << 10);
            search:
            while (keep > 0) {
                long from = Math.max(0, keep - block.capacity());
                block.clear().limit((int) (keep - from));
                while (block.hasRemaining()) {
                    if (ch.read(block, from + block.position()) < 0) {
                        throw new IOException(path + " shrank while it was read");
                    }
                }
                for (int i = block.limit() - 1; i >= 0; i--) {
                    if (block.get(i) == '\n') {
                        keep = from + i + 1;
                        break search;
                    }
                }
                keep = from;
            }
            if (keep < size) {
                if (size - keep <= MAX_WHOLE_TAIL) {
                    java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate((int) (size - keep));
                    while (tail.hasRemaining()) {
                        if (ch.read(tail, keep + tail.position()) < 0) {
                            throw new IOException(path + " shrank while it was read");
                        }
                    }
                    if (whole.test(tail.array())) {
                        ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), size);
                        return;
                    }
                }
                ch.truncate(keep);
            }
        }
    }

    /** The journal file this instance appends to, as given to {@link #open}. */
    public Path path() {
        return path;
    }

    /** How many times {@link #read} has opened a journal in this process. */
    public static long reads() {
        return READS.get();
    }

    /**
     * Appends {@code result} as one JSON line, handed to the operating system before returning (not
     * forced to disk: it survives a killed process, not a power cut). Thread-safe: lines never
     * interleave; only the write itself is done one append at a time.
     */
    public void append(TrialResult result) throws IOException {
        // One write of the record and its newline: with two, a kill between them left a whole record
        // without '\n', which read() counted as done and open() then cut off as torn (a lost trial).
        byte[] json = JSON.writeValueAsBytes(result);
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        lock.lock();
        try {
            out.write(line);
            out.flush();
            if (tap != null) {
                tap.put(result);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the file, once an append in progress is written (no line is cut short) and the tap, if
     * any, has taken every record.
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            out.close();
            if (tap != null) {
                tap.finish();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A journal's tap on a thread of its own: the records in journal order through a bounded queue.
     * If the tap fails with an error (it must not throw an exception), the rest are let through
     * untapped so that appends never wait on it, and {@link #finish()} throws that error.
     */
    private static final class Tap {
        static final int CAPACITY = 1024;
        private static final TrialResult END = TrialResult.builder("", "", "", "", 0).build();
        private final BlockingQueue<TrialResult> queue = new ArrayBlockingQueue<>(CAPACITY);
        private final Thread thread;
        private volatile Throwable failure;

        Tap(Consumer<TrialResult> consumer) {
            thread = Thread.ofPlatform().name("sonde-journal-tap").daemon().start(() -> {
                for (TrialResult r = take(); r != END; r = take()) {
                    if (failure == null) {
                        try {
                            consumer.accept(r);
                        } catch (Throwable e) {
                            failure = e;
                        }
                    }
                }
            });
        }

        private TrialResult take() {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    // the tap ends only at END, so that no record is lost
                }
            }
        }

        /**
         * Hands over a record the journal has written, waiting while the tap is full, however often the
         * waiting thread is interrupted (then interrupted again on return): a written record the tap
         * missed would be a trial the run's reports never saw.
         */
        void put(TrialResult r) {
            boolean interrupted = false;
            while (true) {
                try {
                    queue.put(r);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        void finish() throws IOException {
            boolean interrupted = false;
            while (true) {
                try {
                    queue.put(END);
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof Error e) {
                throw e;
            } else if (failure != null) {
                throw new IOException("the journal's tap failed: " + failure, failure);
            }
        }
    }

    /**
     * Streams the trials of a journal, in file order, one line in memory at a time (a line is held
     * only up to 64 MB: a longer one is damage, not a heap's worth of junk). A last line without its
     * newline that is not a record (a torn write) is skipped; any other line that is not an intact
     * record — not UTF-8, not JSON, not a trial record, missing {@code trial_id}, {@code case},
     * {@code model} or {@code model_id}, too long — ends the stream with a {@link JournalDamage} (in
     * an {@link UncheckedIOException}) naming the file and the line. Close the stream to release the
     * file.
     */
    public static Stream<TrialResult> read(Path path) throws IOException {
        READS.incrementAndGet();
        JsonlLines lines = JsonlLines.open(path);
        Iterator<TrialResult> it = new Iterator<>() {
            private TrialResult next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                try {
                    while (lines.next()) {
                        if (lines.blank()) {
                            continue;
                        }
                        try {
                            String unreadable = lines.unreadable();
                            if (unreadable != null) {
                                throw new TrialLines.NotARecord(unreadable);
                            }
                            next = TrialLines.record(lines.bytes(), lines.length());
                            return true;
                        } catch (TrialLines.NotARecord e) {
                            if (lines.terminated()) {
                                throw new JournalDamage(path, lines.number(), e.getMessage());
                            }
                            // torn last line from a crash mid-write: the trial was never counted
                        }
                    }
                    done = true;
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public TrialResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                TrialResult r = next;
                next = null;
                return r;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false)
                .onClose(() -> {
                    try {
                        lines.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * Rewrites the journal at {@code path} keeping every intact record, in order, and sets each
     * damaged line aside in {@code trials.damaged.jsonl} beside it ({@link JsonlRepair}, with the
     * rule {@link #read} applies). A trial journaled with a result more than once keeps its first
     * result (the one the run counted, and {@code --resume} takes as done); the later ones are set
     * aside. A {@code skipped} line is kept wherever it is: {@code --resume} appends the result of a
     * skipped trial after it. A clean journal is left untouched. No other process may append to it
     * meanwhile.
     */
    public static JsonlRepair.Outcome repair(Path path) throws IOException {
        return JsonlRepair.repair(path, TrialLines.RULE);
    }
}
