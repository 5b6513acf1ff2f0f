package dev.sonde.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per run folder: whatever writes a run's files (a run, new or {@code --resume}d, a
 * re-render of its reports, a merge into it, a repair of its journal) holds this lock for as long as
 * it writes, and a second such command on the same folder is refused in one line instead of both
 * appending to one journal (two concurrent resumes each re-sent the trials the other was sending).
 *
 * <p>The lock is the operating system's ({@link FileChannel#tryLock()}, {@code fcntl} on Linux) on
 * {@value #FILE} in the folder, so it ends with the process that holds it however that process ends
 * ({@code kill -9} included): there is never a stale lock to clean up, and the file itself stays
 * (deleting it on exit would let a third process lock a new file while a second still holds the
 * old one). The holder writes its pid into the file; a refused command names it. Within one JVM a
 * second acquisition of a held folder is refused the same way (the JVM keeps file locks per
 * process, so it would otherwise throw {@link OverlappingFileLockException}).
 *
 * <p>The file is hostile like every input: a lock file that is a link, a folder or a device is
 * refused (never followed, never opened), and at most {@value #MAX_PID_BYTES} bytes of it are read.
 * Thread-safe.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name in a run folder. */
    public static final String FILE = "run.lock";
    private static final int MAX_PID_BYTES = 24;

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * A run folder already held by another command (in this process or another).
     * {@link #getMessage()} is one line for the user, beginning with what was refused.
     */
    public static final class Held extends Exception {
        private final long pid;

        Held(String message, long pid) {
            super(message);
            this.pid = pid;
        }

        /** The holder's pid as it wrote it into the lock file, or -1 when it could not be read. */
        public long pid() {
            return pid;
        }
    }

    /**
     * Takes {@code dir}'s lock, without waiting, for the caller to close when it has finished
     * writing the folder ({@code try (RunLock lock = RunLock.acquire(dir, "--resume " + dir)) …}).
     *
     * @param dir an existing run folder
     * @param what how the message names the refused command, e.g. {@code "--resume DIR"} or
     *     {@code "sonde report DIR"}: the message is {@code what + ": another sonde process (pid N) is using
     *     this folder; …"}
     * @throws Held another command holds it (one line naming its pid)
     * @throws IOException {@code dir} is not a folder, or the lock file cannot be made or locked (no
     *     permission, a lock file that is not a regular file); the message is one line beginning with {@code what}
     */
    public static RunLock acquire(Path dir, String what) throws Held, IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(what + ": " + dir + " is not a folder");
        }
        Path file = dir.resolve(FILE);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(what + ": " + file + " is not a regular file; remove it if no sonde process is using "
                    + "this folder");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            throw new IOException(what + ": cannot open " + file + " ("
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()) + ")");
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM holds it already
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException(what + ": cannot lock " + file + " (" + e.getMessage() + ")");
        }
        if (lock == null) {
            long pid = holder(channel);
            channel.close();
            throw new Held(what + ": another sonde process" + (pid > 0 ? " (pid " + pid + ")" : "")
                    + " is using this folder; wait for it to end, or stop it", pid);
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw new IOException(what + ": cannot write " + file + " (" + e.getMessage() + ")");
        }
        return new RunLock(channel, lock);
    }

    /** The pid a holder wrote into the lock file (at most {@value #MAX_PID_BYTES} bytes read), or -1. */
    private static long holder(FileChannel channel) {
        ByteBuffer head = ByteBuffer.allocate(MAX_PID_BYTES);
        try {
            while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
                // read what there is, up to the limit
            }
        } catch (IOException e) {
            return -1;
        }
        String text = new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII).strip();
        if (!text.matches("[0-9]{1,18}")) {
            return -1;
        }
        return Long.parseLong(text);
    }

    /** Lets the folder go (the lock file stays, unlocked). */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
