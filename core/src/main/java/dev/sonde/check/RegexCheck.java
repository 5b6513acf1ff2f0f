package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code regex}: a Java regular expression finds a match ({@link Matcher#find()} semantics, so
 * anchor with {@code ^…$} for a whole-output match) in the response's joined text. With a list,
 * every pattern must match. The reason quotes the first match. Immutable and thread-safe
 * (patterns are; matchers are made per call).
 */
final class RegexCheck implements Check {
    private final List<Pattern> patterns;

    RegexCheck(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    @Override
    public String type() {
        return "regex";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text();
        String firstMatch = null;
        for (Pattern p : patterns) {
            Matcher m = p.matcher(text);
            if (!m.find()) {
                return CheckResult.fail(type(), "expected to match " + Excerpt.of(p.pattern())
                        + " but the output was " + Excerpt.of(text));
            }
            firstMatch = firstMatch == null ? m.group() : firstMatch;
        }
        return CheckResult.pass(type(), "expected to match " + (patterns.size() == 1
                ? Excerpt.of(patterns.get(0).pattern()) : patterns.size() + " patterns") + ", matched " + Excerpt.of(firstMatch));
    }
}
