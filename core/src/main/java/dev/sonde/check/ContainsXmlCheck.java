package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code contains-xml}: somewhere in the output is an XML element that is well-formed by
 * {@link XmlDoc}'s rules and has the {@code required_elements} (when given). Candidates are spans
 * from a start tag to the nearest unmatched end tag of the same name, and self-closing tags; they are
 * tried largest first, so a wrapper that holds the required elements wins over its parts, and the
 * first that passes decides. Comments, CDATA sections and processing instructions are skipped whole
 * (their text holds no tags: {@code <a><!-- </a> --></a>} is one element), and an unterminated one
 * ends the scan. Work is bounded on hostile text: at most {@value #MAX_TAGS} tags are
 * scanned (linear time, one pass) and at most {@value #MAX_CANDIDATES} candidates parsed, so
 * thousands of unbalanced tags cost one scan and no parse. Immutable.
 */
final class ContainsXmlCheck implements Check {
    static final int MAX_TAGS = 20_000;
    static final int MAX_CANDIDATES = 32;
    private static final Pattern TAG = Pattern.compile(
            "<!--|<!\\[CDATA\\[|<\\?|<(/?)([\\p{L}_][\\p{L}\\p{M}\\p{N}_.:-]*)(?:\\s[^<>]*?)?(/?)>");
    private final List<String> required;

    /** @param required dot paths the element must have; empty for none */
    ContainsXmlCheck(List<String> required) {
        this.required = List.copyOf(required);
    }

    @Override
    public String type() {
        return "contains-xml";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text();
        List<int[]> spans = spans(text);
        String lacking = null;
        int tried = 0;
        for (int[] span : spans) {
            if (tried++ == MAX_CANDIDATES) {
                break;
            }
            if (XmlDoc.parse(text.substring(span[0], span[1])) instanceof XmlDoc.Parsed.Wellformed w) {
                List<String> missing = XmlDoc.missing(w.root(), required);
                if (missing.isEmpty()) {
                    return CheckResult.pass(type(), "contains well-formed XML <" + w.root().name() + ">"
                            + (required.isEmpty() ? "" : " with " + String.join(", ", required)));
                }
                if (lacking == null) {
                    lacking = "<" + w.root().name() + "> is missing required elements: " + String.join(", ", missing);
                }
            }
        }
        if (lacking != null) {
            return CheckResult.fail(type(), "no XML element has the required elements; the largest well-formed one, "
                    + lacking);
        }
        return CheckResult.fail(type(), (spans.isEmpty() ? "no XML element" : "no well-formed XML element") + " in "
                + Excerpt.of(text));
    }

    /** Candidate element spans {@code [start, end)}, largest first, then leftmost. */
    static List<int[]> spans(String text) {
        Map<String, Deque<Integer>> open = new HashMap<>();
        Set<Long> seen = new LinkedHashSet<>();
        List<int[]> spans = new ArrayList<>();
        Matcher m = TAG.matcher(text);
        int tags = 0;
        while (tags++ < MAX_TAGS && m.find()) {
            String name = m.group(2);
            if (name == null) {
                String opened = m.group();
                int close = text.indexOf(opened.equals("<!--") ? "-->" : opened.equals("<?") ? "?>" : "]]>", m.end());
                if (close < 0) {
                    break;
                }
                m.region(close, text.length());
                continue;
            }
            if (!m.group(3).isEmpty() && m.group(1).isEmpty()) {
                add(spans, seen, m.start(), m.end());
            } else if (m.group(1).isEmpty()) {
                open.computeIfAbsent(name, k -> new ArrayDeque<>()).push(m.start());
            } else {
                Deque<Integer> starts = open.get(name);
                if (starts != null && !starts.isEmpty()) {
                    add(spans, seen, starts.pop(), m.end());
                }
            }
        }
        spans.sort(Comparator.comparingInt((int[] s) -> s[0] - s[1]).thenComparingInt(s -> s[0]));
        return spans;
    }

    private static void add(List<int[]> spans, Set<Long> seen, int start, int end) {
        if (seen.add(((long) start << 32) | end)) {
            spans.add(new int[] {start, end});
        }
    }
}
