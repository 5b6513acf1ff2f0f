package dev.sonde.history.duckdb;

import dev.sonde.metrics.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * One writer per store: the operating system's lock on the store's {@code history.duckdb.lock}, as
 * {@code journal/RunLock} locks a run folder, but waited for up to a bound. It ends with the
 * process however that process ends, so there is never a stale lock; the holder writes its pid into
 * the file and a waiter that gives up names it. Within one JVM callers first take a per-path permit:
 * POSIX file locks belong to the process, and closing any channel on the file releases them, so a
 * second caller of the same JVM never opens the file while the first holds it. Thread-safe.
 */
final class StoreLock implements AutoCloseable {
    private static final long POLL_NANOS = 25_000_000L;
    private static final int MAX_PID_BYTES = 24;
    /** One permit per lock file, for the life of the JVM (a few paths per process). */
    private static final ConcurrentMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();

    private final Semaphore permit;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Semaphore permit, FileChannel channel, FileLock lock) {
        this.permit = permit;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or who held it when the wait ran out. */
    sealed interface Outcome {}

    /** Held by this caller until {@link StoreLock#close()}. */
    record Taken(StoreLock lock) implements Outcome {}

    /** Another writer held it for the whole wait; {@code pid} as it wrote it, or -1. */
    record Busy(long pid) implements Outcome {}

    /**
     * Takes the lock on {@code file}, waiting up to {@code wait} on {@code clock}.
     *
     * @throws IOException the lock file cannot be made or locked (not a regular file, no permission)
     */
    static Outcome acquire(Path file, Duration wait, Clock clock) throws IOException, InterruptedException {
        long deadline = clock.nanoTime() + wait.toNanos();
        Semaphore permit = IN_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new Semaphore(1));
        while (!permit.tryAcquire()) {
            if (clock.nanoTime() >= deadline) {
                return new Busy(ProcessHandle.current().pid());
            }
            clock.sleepNanos(POLL_NANOS);
        }
        boolean taken = false;
        try {
            Outcome outcome = lockFile(file, deadline, clock, permit);
            taken = outcome instanceof Taken;
            return outcome;
        } finally {
            if (!taken) {
                permit.release();
            }
        }
    }

    private static Outcome lockFile(Path file, long deadline, Clock clock, Semaphore permit)
            throws IOException, InterruptedException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // a channel of this JVM that is not a StoreLock's holds it
                }
                if (lock != null) {
                    byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(pid), 0);
                    channel.force(false);
                    return new Taken(new StoreLock(permit, channel, lock));
                }
                if (clock.nanoTime() >= deadline) {
                    long pid = holder(channel);
                    channel.close();
                    return new Busy(pid);
                }
                clock.sleepNanos(POLL_NANOS);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static long holder(FileChannel channel) {
        ByteBuffer head = ByteBuffer.allocate(MAX_PID_BYTES);
        try {
            while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
                // up to the limit
            }
        } catch (IOException e) {
            return -1;
        }
        String text = new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII).strip();
        return text.matches("[0-9]{1,18}") ? Long.parseLong(text) : -1;
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            permit.release();
        }
    }
}
