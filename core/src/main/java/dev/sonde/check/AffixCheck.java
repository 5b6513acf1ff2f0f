package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.List;

/**
 * {@code starts-with} and {@code ends-with}: the response's text, with leading (resp. trailing)
 * whitespace ignored, starts (resp. ends) with the value, case-sensitively. With a list, any one
 * of the values will do. Immutable.
 */
final class AffixCheck implements Check {
    private final boolean start;
    private final List<String> values;

    AffixCheck(boolean start, List<String> values) {
        this.start = start;
        this.values = List.copyOf(values);
    }

    @Override
    public String type() {
        return start ? "starts-with" : "ends-with";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = start ? exchange.text().stripLeading() : exchange.text().stripTrailing();
        String verb = start ? "expected to start with " : "expected to end with ";
        for (String v : values) {
            if (start ? text.startsWith(v) : text.endsWith(v)) {
                return CheckResult.pass(type(), verb + Excerpt.of(v));
            }
        }
        String expected = values.size() == 1 ? Excerpt.of(values.get(0))
                : "one of " + String.join(", ", values.stream().map(Excerpt::of).toList());
        String observed = start ? Excerpt.of(text)
                : Excerpt.of(text.length() > 60 ? "…" + text.substring(text.length() - 60) : text);
        return CheckResult.fail(type(), verb + expected + " but the output was " + observed);
    }
}
