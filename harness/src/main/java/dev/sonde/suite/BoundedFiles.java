package dev.sonde.suite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file a suite names (the suite itself, an attachment) only when it is a regular file no
 * larger than a limit, checked before reading, and never reads past the limit even if the file
 * grows meanwhile: a device, a FIFO or a sparse file of gigabytes gave an OutOfMemoryError, a hang
 * or a stack trace. Each refusal is one line the caller places at the file's mention.
 */
final class BoundedFiles {
    private BoundedFiles() {}

    /** Why {@code file} cannot be read, raised with a message fit for one line. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** The text of {@code file}, at most {@code max} bytes of UTF-8; malformed UTF-8 is an error, as in {@link Files#readString}. */
    static String readText(Path file, long max) throws IOException {
        return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(read(file, max))).toString();
    }

    /** The bytes of {@code file}, at most {@code max}. */
    static byte[] read(Path file, long max) throws IOException {
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
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (bytes.length > max) {
                throw new Refused(file + " grew past " + max + " bytes while it was read");
            }
            return bytes;
        }
    }
}
