package dev.sonde.check;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.api.Exchange;
import dev.sonde.metrics.Jackson;
import java.io.IOException;
import java.util.Comparator;

/**
 * {@code equals} with a mapping as its value: the response's text, parsed as one strict JSON value
 * (surrounding whitespace allowed, no code fence), equals the mapping structurally: the same keys in
 * any order, numbers compared by value ({@code 1} equals {@code 1.0}), strings exactly. As promptfoo's
 * deep comparison of an object value with {@code JSON.parse(output)}; output that is not JSON fails.
 * Immutable.
 */
final class EqualsJsonCheck implements Check {
    private static final ObjectMapper STRICT = Jackson.plain()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Numbers by value; every other node by its own equality (the comparator is applied at every level). */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue())
            : a.equals(b) ? 0 : 1;
    private final JsonNode value;

    EqualsJsonCheck(JsonNode value) {
        this.value = value.deepCopy();
    }

    @Override
    public String type() {
        return "equals";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text();
        JsonNode parsed;
        try {
            parsed = text.isBlank() ? null : STRICT.readTree(text);
        } catch (IOException e) {
            parsed = null;
        }
        String expected = Excerpt.of(value.toString());
        if (parsed == null || parsed.isMissingNode()) {
            return CheckResult.fail(type(), "expected JSON equal to " + expected + " but the output is not JSON: "
                    + Excerpt.of(text));
        }
        return value.equals(BY_VALUE, parsed)
                ? CheckResult.pass(type(), "output is JSON equal to " + expected)
                : CheckResult.fail(type(), "expected JSON equal to " + expected + " but the output was "
                        + Excerpt.of(parsed.toString()));
    }
}
