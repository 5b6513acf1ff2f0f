package dev.sonde.history.view;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two outputs compared word by word (java-diff-utils' Myers diff over word, space and punctuation
 * tokens), as runs of text the diff page wraps in {@code <del>} (only in the first) and {@code <ins>}
 * (only in the second) with {@code th:text}: no markup is made here. Joining a side's segments gives
 * its text back exactly. Outputs over {@value #MAX_TOKENS} tokens are shown whole as changed rather
 * than diffed, so a page stays quick. Stateless.
 */
final class WordDiff {
    /** Words, runs of white space, and each other character alone. */
    private static final Pattern TOKEN = Pattern.compile("\\s+|[\\p{L}\\p{N}_]+|[^\\s\\p{L}\\p{N}_]");
    static final int MAX_TOKENS = 20_000;

    /** A run of text; {@code changed} when it is in this side only. */
    record Segment(String text, boolean changed) {}

    /** The first output's segments and the second's. */
    record Sides(List<Segment> a, List<Segment> b) {}

    private WordDiff() {}

    static Sides of(String a, String b) {
        List<String> ta = tokens(a);
        List<String> tb = tokens(b);
        if (ta.size() > MAX_TOKENS || tb.size() > MAX_TOKENS) {
            return new Sides(List.of(new Segment(a, !a.equals(b))), List.of(new Segment(b, !a.equals(b))));
        }
        Patch<String> patch = DiffUtils.diff(ta, tb);
        Side left = new Side();
        Side right = new Side();
        int ia = 0;
        int ib = 0;
        for (AbstractDelta<String> d : patch.getDeltas()) {
            int sa = d.getSource().getPosition();
            int sb = d.getTarget().getPosition();
            left.add(ta.subList(ia, sa), false);
            right.add(tb.subList(ib, sb), false);
            left.add(d.getSource().getLines(), true);
            right.add(d.getTarget().getLines(), true);
            ia = sa + d.getSource().size();
            ib = sb + d.getTarget().size();
        }
        left.add(ta.subList(ia, ta.size()), false);
        right.add(tb.subList(ib, tb.size()), false);
        return new Sides(left.done(), right.done());
    }

    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Merges neighbouring tokens of one kind into one segment. */
    private static final class Side {
        private final List<Segment> segments = new ArrayList<>();
        private final StringBuilder run = new StringBuilder();
        private boolean changed;

        void add(List<String> tokens, boolean isChanged) {
            if (tokens.isEmpty()) {
                return;
            }
            if (isChanged != changed && !run.isEmpty()) {
                flush();
            }
            changed = isChanged;
            tokens.forEach(run::append);
        }

        private void flush() {
            segments.add(new Segment(run.toString(), changed));
            run.setLength(0);
        }

        List<Segment> done() {
            if (!run.isEmpty()) {
                flush();
            }
            return List.copyOf(segments);
        }
    }
}
