package dev.sonde.journal;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a report file all-or-nothing: the content goes to a temporary file in the same folder,
 * which replaces {@code file} only once complete. A reporter that fails halfway leaves the
 * previous file (or none), never a truncated one a CI tool would half-parse.
 */
public final class AtomicFile {

    /** What fills a file given to {@link AtomicFile#write}; an exception from it leaves the file as it was. */
    @FunctionalInterface
    public interface Body {
        /** Writes the whole content to {@code out}, which the caller closes (do not close it here). */
        void writeTo(Writer out) throws IOException;
    }

    private AtomicFile() {}

    /** Writes {@code file} as UTF-8 through {@code body}, creating its folder if needed. */
    public static Path write(Path file, Body body) throws IOException {
        Pending pending = open(file);
        try {
            body.writeTo(pending.writer());
            return pending.commit();
        } finally {
            pending.abort();
        }
    }

    /**
     * Starts writing {@code file} for a caller that writes it over time (a file filled during a
     * pass over a journal): nothing replaces {@code file} until {@link Pending#commit()}, and
     * {@link Pending#abort()} leaves it as it was.
     */
    public static Pending open(Path file) throws IOException {
        return open(file, false);
    }

    /**
     * As {@link #open}, for a file whose loss would cost a run (a repaired journal): its content is
     * forced to disk before it replaces {@code file}, so that not even a power cut after the
     * replacement leaves an empty file where the old one was.
     */
    public static Pending openDurable(Path file) throws IOException {
        return open(file, true);
    }

    private static Pending open(Path file, boolean durable) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only, and reports are shared artefacts.
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new Pending(file, tmp, channel, durable);
    }

    /**
     * A file being written: through {@link #writer()} (text) or {@link #stream()} (bytes), one of the
     * two, then {@link #commit()} or {@link #abort()}.
     */
    public static final class Pending {
        private final Path file;
        private final Path tmp;
        private final FileChannel channel;
        private final boolean durable;
        private Writer text;
        private OutputStream bytes;

        private Pending(Path file, Path tmp, FileChannel channel, boolean durable) {
            this.file = file;
            this.tmp = tmp;
            this.channel = channel;
            this.durable = durable;
        }

        /** The buffered UTF-8 writer to the temporary file; {@link #commit()} or {@link #abort()} closes it. */
        public Writer writer() {
            if (bytes != null) {
                throw new IllegalStateException("this file is being written as bytes");
            }
            if (text == null) {
                text = new BufferedWriter(new OutputStreamWriter(new KeepOpen(channel), StandardCharsets.UTF_8));
            }
            return text;
        }

        /** The buffered byte stream to the temporary file; {@link #commit()} or {@link #abort()} closes it. */
        public OutputStream stream() {
            if (text != null) {
                throw new IllegalStateException("this file is being written as text");
            }
            if (bytes == null) {
                bytes = new BufferedOutputStream(new KeepOpen(channel), 64 << 10);
            }
            return bytes;
        }

        /** Closes the file (forced to disk first when durable) and moves the complete file into place. */
        public Path commit() throws IOException {
            try {
                if (text != null) {
                    text.close(); // flushed to the channel, which stays open; a writer its caller closed is flushed already
                } else if (bytes != null) {
                    bytes.close();
                }
                if (durable) {
                    channel.force(true);
                }
                channel.close();
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                return file;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        /** Drops what was written; {@code file} is left as it was (after {@link #commit()}, does nothing). */
        public void abort() {
            try {
                channel.close(); // what the writer or stream still buffers is dropped with the file
            } catch (IOException ignored) {
                // the file is deleted either way
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stray temporary file in the run folder, named as one
            }
        }
    }

    /**
     * The temporary file's channel as a stream whose {@code close()} only flushes: what a caller's
     * writer closes (Jackson closes what it writes to) must stay open to be forced and moved.
     */
    private static final class KeepOpen extends OutputStream {
        private final OutputStream out;

        KeepOpen(FileChannel channel) {
            this.out = Channels.newOutputStream(channel);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
