package dev.sonde.journal;

import java.io.IOException;
import java.io.Writer;
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
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only, and reports are shared artefacts.
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        return new Pending(file, tmp, out);
    }

    /** A file being written: {@link #writer()}, then {@link #commit()} or {@link #abort()}. */
    public static final class Pending {
        private final Path file;
        private final Path tmp;
        private final Writer out;

        private Pending(Path file, Path tmp, Writer out) {
            this.file = file;
            this.tmp = tmp;
            this.out = out;
        }

        /** The buffered UTF-8 writer to the temporary file; {@link #commit()} or {@link #abort()} closes it. */
        public Writer writer() {
            return out;
        }

        /** Closes the writer and moves the complete file into place. */
        public Path commit() throws IOException {
            try {
                out.close();
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
                out.close();
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
}
