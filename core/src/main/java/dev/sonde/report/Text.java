package dev.sonde.report;

import dev.sonde.analysis.Failures;

import dev.sonde.metrics.Fmt;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.TrialResult;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unbescape.html.HtmlEscape;

/** String helpers shared by the report formats: truncation, XML 1.0 cleaning, Markdown cells, inline code in HTML. */
final class Text {
    /** What replaces a character XML 1.0 cannot carry (and a lone surrogate). */
    static final char REPLACEMENT = '\uFFFD';
    /** A span between two backticks on one line, as Markdown writes inline code. */
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\r\\n]+)`");

    private Text() {}

    /**
     * At most {@code maxChars} characters of {@code s} (never splitting a surrogate pair), with a
     * note saying how many were left out.
     */
    static String truncate(String s, int maxChars) {
        if (s == null || s.length() <= maxChars) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return s.substring(0, end) + "… [truncated: " + Fmt.count(s.length() - end) + " more characters]";
    }

    /**
     * {@code s} with every character outside the XML 1.0 {@code Char} production (control
     * characters other than tab, LF and CR; U+FFFE/U+FFFF; unpaired surrogates) replaced by
     * U+FFFD, so any XML writer produces a well-formed document (and HTML has no
     * control-character parse errors). Null becomes the empty string.
     */
    static String xmlSafe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (ok) {
                    if (sb != null) {
                        sb.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                ok = c == '\t' || c == '\n' || c == '\r'
                        || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            }
            if (!ok && sb == null) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(ok ? c : REPLACEMENT);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * {@code plain} as HTML with each {@code `code`} span as {@code <code>code</code>}: the whole
     * text is escaped first ({@link HtmlEscape#escapeHtml4Xml}, which leaves backticks alone), then
     * the backtick pairs become tags around the already-escaped text, so markup inside or outside
     * the backticks stays inert text. A lone backtick stays a backtick. Null becomes the empty
     * string.
     */
    static String codeSpans(String plain) {
        String escaped = HtmlEscape.escapeHtml4Xml(xmlSafe(plain));
        return CODE_SPAN.matcher(escaped).replaceAll(m -> "<code>" + Matcher.quoteReplacement(m.group(1)) + "</code>");
    }

    /** {@code s} on one line: runs of CR/LF become {@code " ⏎ "}. */
    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\R+", " ⏎ ");
    }

    /**
     * {@code s} safe inside a GitHub-flavoured Markdown table cell: one line ({@code <br>} for
     * line breaks), {@code |} and inline-markup characters backslash-escaped, HTML
     * metacharacters as entities so no tag is ever interpreted.
     */
    static String mdCell(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        String text = s.strip();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> {
                    if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
                        sb.append("<br>");
                    }
                }
                case '\n' -> sb.append("<br>");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '|', '\\', '`', '*', '_', '[', ']', '~' -> sb.append('\\').append(c);
                default -> sb.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return sb.toString();
    }

    /** The checks of a trial that failed, in order (empty for an errored or passing trial); never one that did not apply. */
    static List<CheckResult> failedChecks(TrialResult t) {
        return t.checks() == null ? List.of() : t.checks().stream().filter(c -> !c.pass() && c.applicable()).toList();
    }

    /** The checks of a trial that did not apply to it (a latency bound on an untimed answer), in order. */
    static List<CheckResult> notApplicableChecks(TrialResult t) {
        return t.checks() == null ? List.of() : t.checks().stream().filter(c -> !c.applicable()).toList();
    }

    /** Why a trial did not pass: the error, or every failed check's reason ({@link Failures#why}). */
    static String whyNot(TrialResult t) {
        return Failures.why(t);
    }
}
