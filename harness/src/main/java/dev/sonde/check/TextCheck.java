package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The text assertions on the response's joined text blocks: {@code contains}, {@code icontains},
 * {@code equals}, {@code starts-with} and {@code regex} ({@code find} semantics, Java syntax).
 * With a list of values, every value must hold. Immutable.
 */
final class TextCheck implements Check {
    enum Kind { CONTAINS, ICONTAINS, EQUALS, STARTS_WITH, REGEX }

    private final String type;
    private final Kind kind;
    private final List<String> values;
    private final List<Pattern> patterns;

    TextCheck(String type, Kind kind, List<String> values) {
        this.type = type;
        this.kind = kind;
        this.values = List.copyOf(values);
        this.patterns = kind == Kind.REGEX ? values.stream().map(Pattern::compile).toList() : List.of();
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            boolean holds = switch (kind) {
                case CONTAINS -> text.contains(v);
                case ICONTAINS -> text.toLowerCase(Locale.ROOT).contains(v.toLowerCase(Locale.ROOT));
                case EQUALS -> text.strip().equals(v.strip());
                case STARTS_WITH -> text.stripLeading().startsWith(v);
                case REGEX -> patterns.get(i).matcher(text).find();
            };
            if (!holds) {
                return CheckResult.fail(type, verb() + " " + Excerpt.of(v) + " but the output was " + Excerpt.of(text));
            }
        }
        return CheckResult.pass(type, verb() + " " + (values.size() == 1 ? Excerpt.of(values.get(0))
                : values.size() + " values"));
    }

    private String verb() {
        return switch (kind) {
            case CONTAINS -> "expected to contain";
            case ICONTAINS -> "expected to contain (any case)";
            case EQUALS -> "expected to equal";
            case STARTS_WITH -> "expected to start with";
            case REGEX -> "expected to match";
        };
    }
}
