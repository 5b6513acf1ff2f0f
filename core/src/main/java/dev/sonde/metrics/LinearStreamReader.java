package dev.sonde.metrics;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's {@link StreamReader} with the same answers in linear time. SnakeYAML's own reader
 * keeps the text from the token being scanned onwards in an array it copies whole for every 1,023
 * characters it reads, so a token of n characters without a space (a plain or quoted scalar: a
 * base64 image, a long word) cost O(n²/1,024): 8 MB took 8 s, 25 MB minutes. This one appends to an
 * array that grows by doubling and is compacted only when it grows, so each character is copied a
 * bounded number of times on average.
 *
 * <p>Every public method the scanner calls is overridden; the superclass is constructed on an empty
 * text and its own state is never used. Positions, line and column counting, the check for
 * characters YAML forbids and its error are SnakeYAML 2.x's. A {@link Mark} keeps the array it was
 * given, which is never written below the length it had then; what lies beyond is 0, which a mark's
 * snippet reads as the end of a line. Not thread-safe (one per parser).
 */
final class LinearStreamReader extends StreamReader {
    private static final int CHUNK = 8192;

    private final Reader stream;
    private final String name = "'reader'";
    private final char[] chars = new char[CHUNK + 1];
    /** Code points read and not yet consumed: {@code window[pointer..length)}. */
    private int[] window = new int[CHUNK];
    private int length;
    private int pointer;
    private boolean eof;
    private int index;
    private int documentIndex;
    private int line;
    private int column;

    LinearStreamReader(Reader stream) {
        super(new StringReader(""));
        this.stream = stream;
    }

    @Override
    public Mark getMark() {
        return new Mark(name, index, line, column, window, pointer);
    }

    @Override
    public void forward() {
        forward(1);
    }

    @Override
    public void forward(int count) {
        for (int i = 0; i < count && ensure(0); i++) {
            int c = window[pointer++];
            index++;
            documentIndex++;
            if (Constant.LINEBR.has(c) || c == '\r' && ensure(0) && window[pointer] != '\n') {
                line++;
                column = 0;
            } else if (c != 0xFEFF) {
                column++;
            }
        }
    }

    @Override
    public int peek() {
        return ensure(0) ? window[pointer] : '\0';
    }

    @Override
    public int peek(int ahead) {
        return ensure(ahead) ? window[pointer + ahead] : '\0';
    }

    @Override
    public String prefix(int count) {
        if (count == 0) {
            return "";
        }
        int available = ensure(count) ? count : Math.min(count, length - pointer); // may move the window: first
        return new String(window, pointer, available);
    }

    @Override
    public String prefixForward(int count) {
        String prefix = prefix(count);
        pointer += count;
        index += count;
        documentIndex += count;
        column += count; // a prefix never holds a line break
        return prefix;
    }

    @Override
    public int getColumn() {
        return column;
    }

    @Override
    public int getDocumentIndex() {
        return documentIndex;
    }

    @Override
    public void resetDocumentIndex() {
        documentIndex = 0;
    }

    @Override
    public int getIndex() {
        return index;
    }

    @Override
    public int getLine() {
        return line;
    }

    /** Whether the code point {@code ahead} of the pointer has been read, reading on while it may be. */
    private boolean ensure(int ahead) {
        while (!eof && pointer + ahead >= length) {
            read();
        }
        return pointer + ahead < length;
    }

    private void read() {
        int n;
        try {
            n = stream.read(chars, 0, CHUNK);
            if (n > 0 && Character.isHighSurrogate(chars[n - 1])) {
                if (stream.read(chars, n, 1) == -1) {
                    throw new ReaderException(name, index + n, chars[n - 1],
                            "The last char is HighSurrogate (no LowSurrogate detected).");
                }
                n++;
            }
        } catch (IOException e) {
            throw new YAMLException(e);
        }
        if (n <= 0) {
            eof = true;
            return;
        }
        if (length + n > window.length) {
            // a new array, not the old one compacted: marks hold the old one
            int live = length - pointer;
            int[] next = new int[Math.max(CHUNK, 2 * (live + n))];
            System.arraycopy(window, pointer, next, 0, live);
            window = next;
            length = live;
            pointer = 0;
        }
        for (int i = 0; i < n; ) {
            int codePoint = Character.codePointAt(chars, i, n);
            window[length++] = codePoint;
            if (!isPrintable(codePoint)) {
                throw new ReaderException(name, index + length - pointer - 1, codePoint,
                        "special characters are not allowed");
            }
            i += Character.charCount(codePoint);
        }
    }
}
