package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.List;

/**
 * {@code equals}: the response's text, with leading and trailing whitespace stripped, equals the
 * value (also stripped). With a list, it must equal one of them. Immutable.
 */
final class EqualsCheck implements Check {
    private final List<String> values;

    EqualsCheck(List<String> values) {
        this.values = values.stream().map(String::strip).toList();
    }

    @Override
    public String type() {
        return "equals";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text().strip();
        String expected = values.size() == 1 ? Excerpt.of(values.get(0))
                : "one of " + String.join(", ", values.stream().map(Excerpt::of).toList());
        return values.contains(text)
                ? CheckResult.pass(type(), "expected to equal " + Excerpt.of(text))
                : CheckResult.fail(type(), "expected to equal " + expected + " but the output was " + Excerpt.of(text));
    }
}
