package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Substring presence in the response's joined text blocks: {@code contains} and
 * {@code icontains} (any case, by {@link Locale#ROOT} lower-casing), each with a list meaning
 * "all of them", and the explicit quantifiers {@code contains-any}, {@code contains-all},
 * {@code icontains-any}, {@code icontains-all}. The reason names the values that were missing
 * (for all) or found (for any). Immutable.
 */
final class ContainsCheck implements Check {
    private final String type;
    private final boolean ignoreCase;
    private final boolean any;
    private final List<String> values;

    ContainsCheck(String type, boolean ignoreCase, boolean any, List<String> values) {
        this.type = type;
        this.ignoreCase = ignoreCase;
        this.any = any;
        this.values = List.copyOf(values);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text();
        String haystack = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String v : values) {
            (haystack.contains(ignoreCase ? v.toLowerCase(Locale.ROOT) : v) ? found : missing).add(v);
        }
        String verb = "expected to contain" + (ignoreCase ? " (any case)" : "");
        if (any) {
            return found.isEmpty()
                    ? CheckResult.fail(type, verb + " any of " + quoted(values) + " but the output was " + Excerpt.of(text))
                    : CheckResult.pass(type, "contains " + quoted(found) + " (any of " + values.size() + ")");
        }
        if (!missing.isEmpty()) {
            return CheckResult.fail(type, verb + " " + quoted(missing) + " but the output was " + Excerpt.of(text));
        }
        return CheckResult.pass(type, verb + " " + (values.size() == 1 ? Excerpt.of(values.get(0))
                : values.size() + " values"));
    }

    private static String quoted(List<String> values) {
        List<String> q = values.stream().map(Excerpt::of).toList();
        return q.size() == 1 ? q.get(0) : String.join(", ", q);
    }
}
