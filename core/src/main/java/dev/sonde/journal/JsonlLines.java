package dev.sonde.journal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of a JSONL file, one at a time, as bytes: a cursor ({@link #next()}) whose current line
 * is held only while it is no longer than {@link #MAX_LINE_BYTES} (a longer one is counted to its
 * end and only its first {@link #HEAD_BYTES} kept), so a file of binary junk or one endless line
 * costs a bounded buffer, never the heap. Lines end at {@code '\n'}; the last may lack one (a write
 * cut short). Not thread-safe.
 */
final class JsonlLines implements Closeable {
    /**
     * The longest line held: 64 MB, past any record Sonde writes (Jackson reads no string past 20
     * million characters, so a longer record could not be read back anyway).
     */
    static final int MAX_LINE_BYTES = 64 << 20;
    /** What is kept of a line past {@link #MAX_LINE_BYTES}, to show what it was. */
    static final int HEAD_BYTES = 64 << 10;
    private static final int SMALL = 8 << 10;

    private final InputStream in;
    private final byte[] chunk = new byte[64 << 10];
    private int pos;
    private int limit;
    private byte[] line = new byte[SMALL];
    private int length;
    private long size;
    private long number;
    private boolean terminated;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer decoded = CharBuffer.allocate(SMALL);

    private JsonlLines(InputStream in) {
        this.in = in;
    }

    /** The lines of {@code file}; close to release it. */
    static JsonlLines open(Path file) throws IOException {
        return new JsonlLines(Files.newInputStream(file));
    }

    /** Moves to the next line; false at the end of the file. */
    boolean next() throws IOException {
        if (line.length > 1 << 20) {
            line = new byte[SMALL]; // one long line does not keep its buffer for the rest of the file
        }
        length = 0;
        size = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                int n = in.read(chunk);
                if (n < 0) {
                    pos = limit = 0;
                    if (!any) {
                        return false;
                    }
                    number++;
                    terminated = false;
                    return true;
                }
                pos = 0;
                limit = n;
            }
            any = true;
            int start = pos;
            while (pos < limit && chunk[pos] != '\n') {
                pos++;
            }
            keep(start, pos - start);
            if (pos < limit) {
                pos++;
                number++;
                terminated = true;
                return true;
            }
        }
    }

    private void keep(int from, int n) {
        size += n;
        int cap = size <= MAX_LINE_BYTES ? MAX_LINE_BYTES : HEAD_BYTES;
        length = Math.min(length, cap); // a line that has just become too long keeps only its head
        int take = Math.min(n, cap - length);
        if (take > 0) {
            if (length + take > line.length) {
                line = Arrays.copyOf(line, (int) Math.min(MAX_LINE_BYTES, Math.max(length + take, 2L * line.length)));
            }
            System.arraycopy(chunk, from, line, length, take);
            length += take;
        }
    }

    /** The current line's number, from 1. */
    long number() {
        return number;
    }

    /** The current line's bytes, without its {@code '\n'}: valid up to {@link #length()}, until {@link #next()}. */
    byte[] bytes() {
        return line;
    }

    /** How many of {@link #bytes()} are the line's: all of it, or its head when {@link #tooLong()}. */
    int length() {
        return length;
    }

    /** The current line's size in bytes, without its {@code '\n'}, however long. */
    long size() {
        return size;
    }

    /** Whether the current line ended with {@code '\n'} (only the last line of a file may not). */
    boolean terminated() {
        return terminated;
    }

    /** Whether the current line is longer than {@link #MAX_LINE_BYTES}: only its head is held. */
    boolean tooLong() {
        return size > MAX_LINE_BYTES;
    }

    /** Whether the current line is empty or only spaces and tabs (and {@code '\r'}). */
    boolean blank() {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return !tooLong();
    }

    /**
     * Why the current line cannot hold a record whatever its content — too long, or not UTF-8 — or
     * null when it may.
     */
    String unreadable() {
        if (tooLong()) {
            return "longer than " + (MAX_LINE_BYTES >> 20) + " MB (" + size + " bytes)";
        }
        int bad = invalidUtf8At();
        return bad < 0 ? null : "not valid UTF-8 (byte " + (bad + 1) + ")";
    }

    /** The offset of the first byte of the current line that is not valid UTF-8, or -1. */
    private int invalidUtf8At() {
        int i = 0;
        while (i < length && line[i] >= 0) {
            i++; // ASCII, the usual journal line, needs no decoder
        }
        if (i == length) {
            return -1;
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
        utf8.reset();
        while (true) {
            decoded.clear();
            CoderResult r = utf8.decode(bytes, decoded, true);
            if (r.isError()) {
                return bytes.position();
            }
            if (r.isUnderflow()) {
                decoded.clear();
                return utf8.flush(decoded).isError() ? bytes.position() : -1;
            }
        }
    }

    /** The current line as text, which {@link #unreadable()} has found to be UTF-8. */
    String text() throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line, 0, length)).toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
