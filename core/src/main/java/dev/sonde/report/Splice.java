package dev.sonde.report;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that passes text through to another and, where a marker appears in it, writes
 * something else straight to that writer instead: how the HTML report puts its case rows
 * ({@link CaseRows#write}) into the page the template engine renders without making them one
 * string first. The marker's first character appears nowhere else in it, so a match that fails
 * part-way never hides the start of the next one. Text the template escapes cannot contain the
 * report's marker, which starts with {@code <}.
 */
final class Splice extends Writer {
    /** What is written where the marker was. */
    @FunctionalInterface
    interface Insert {
        void writeTo(Writer out) throws IOException;
    }

    private final Writer out;
    private final String marker;
    private final Insert insert;
    /** How many characters of the marker the text just written ends with. */
    private int matched;
    private int inserted;

    Splice(Writer out, String marker, Insert insert) {
        if (marker.isEmpty() || marker.indexOf(marker.charAt(0), 1) >= 0) {
            throw new IllegalArgumentException("a marker's first character must appear once in it: " + marker);
        }
        this.out = out;
        this.marker = marker;
        this.insert = insert;
    }

    @Override
    public void write(int c) throws IOException {
        char ch = (char) c;
        if (ch == marker.charAt(matched)) {
            if (++matched == marker.length()) {
                matched = 0;
                inserted++;
                insert.writeTo(out);
            }
            return;
        }
        if (matched > 0) {
            out.write(marker, 0, matched);
            matched = 0;
            if (ch == marker.charAt(0)) {
                matched = 1;
                return;
            }
        }
        out.write(ch);
    }

    @Override
    public void write(char[] text, int offset, int length) throws IOException {
        int end = offset + length;
        int from = offset; // text[from, i) is plain and not yet written
        for (int i = offset; i < end; i++) {
            if (matched == 0 && text[i] != marker.charAt(0)) {
                continue;
            }
            out.write(text, from, i - from);
            write(text[i]);
            from = i + 1;
        }
        out.write(text, from, end - from);
    }

    /** How many times the marker was replaced. */
    int inserted() {
        return inserted;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Writes a marker's start left unfinished at the end of the text; does not close {@code out}. */
    @Override
    public void close() throws IOException {
        if (matched > 0) {
            out.write(marker, 0, matched);
            matched = 0;
        }
        out.flush();
    }
}
