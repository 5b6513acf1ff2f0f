package dev.sonde.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file people hand Sonde (a suite, an attachment, a dataset, a pricing table, emulator
 * rules) only when it is a regular file no larger than a limit, checked before reading, and never
 * reads past the limit even if the file grows meanwhile: a device, a FIFO or a sparse file of
 * gigabytes gave an OutOfMemoryError, a hang or a stack trace. A stream may also bound each line,
 * so a line-oriented reader (CSV, JSONL) never holds more than one line's limit. Each refusal is
 * one line ({@link Refused}) the caller places at the file's mention. Stateless.
 */
public final class BoundedFiles {
    private BoundedFiles() {}

    /** Why a file cannot be read, raised with a message fit for one line. */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    /** The text of {@code file}, at most {@code max} bytes of UTF-8; malformed UTF-8 is an error, as in {@link Files#readString}. */
    public static String readText(Path file, long max) throws IOException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(read(file, max))).toString();
    }

    /** The bytes of {@code file}, at most {@code max}. */
    public static byte[] read(Path file, long max) throws IOException {
        try (InputStream in = open(file, max, Long.MAX_VALUE)) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
    }

    /**
     * A stream over {@code file}, checked to be a regular file of at most {@code max} bytes before it
     * is opened. Reading fails with {@link Refused} once more than {@code max} bytes have come (the
     * file grew) or once a line (bytes between two {@code \n}) passes {@code maxLineBytes}
     * ({@link BoundedInput}).
     */
    public static InputStream open(Path file, long max, long maxLineBytes) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new Refused(file + " is not a regular file (a folder, device or pipe)");
        }
        long size = Files.size(file);
        if (size > max) {
            throw new Refused(file + " is " + size + " bytes; at most " + max + " are read");
        }
        return BoundedInput.of(Files.newInputStream(file), file.toString(), max, maxLineBytes);
    }
}
