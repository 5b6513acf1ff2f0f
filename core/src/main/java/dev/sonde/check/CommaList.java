package dev.sonde.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a comma-separated string the way promptfoo's {@code parseCommaSeparatedValues} does, so a
 * string {@code value} of {@code contains-any}, {@code contains-all}, {@code icontains-any} and
 * {@code icontains-all} means what it means there: runs of commas and whitespace between fields are
 * skipped (no empty fields); a field starting with {@code "} is quoted and kept verbatim up to the
 * closing quote, commas included, where {@code \"}, {@code \\} and {@code ""} stand for {@code "},
 * {@code \} and {@code "}, and only whitespace may come between the closing quote and the next comma;
 * any other field runs to the next comma and is trimmed, a quote inside it being a plain character.
 * Stateless.
 */
final class CommaList {
    private CommaList() {}

    /**
     * The fields of {@code text}, possibly none (for {@code ","}).
     *
     * @throws IllegalArgumentException saying what is wrong with the quoting, and where (a 1-based
     *     character position)
     */
    static List<String> split(String text) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ',' || space(c)) {
                i++;
            } else if (c == '"') {
                StringBuilder field = new StringBuilder();
                int open = i++;
                boolean closed = false;
                while (i < n && !closed) {
                    char q = text.charAt(i);
                    if (q == '\\' && i + 1 < n && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                        field.append(text.charAt(i + 1));
                        i += 2;
                    } else if (q == '"' && i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                    } else if (q == '"') {
                        closed = true;
                        i++;
                    } else {
                        field.append(q);
                        i++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("the quote at character " + (open + 1) + " is never closed");
                }
                while (i < n && space(text.charAt(i))) {
                    i++;
                }
                if (i < n && text.charAt(i) != ',') {
                    throw new IllegalArgumentException("a quoted field must be followed by a comma or the end, but"
                            + " character " + (i + 1) + " is '" + text.charAt(i) + "' (quote the whole field)");
                }
                fields.add(field.toString());
            } else {
                int comma = text.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                fields.add(trim(text.substring(i, end)));
                i = end;
            }
        }
        return fields;
    }

    /** JavaScript's {@code \s} and {@code trim()} set: Unicode spaces, line breaks and the BOM. */
    private static boolean space(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }

    private static String trim(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && space(s.charAt(from))) {
            from++;
        }
        while (to > from && space(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }
}
