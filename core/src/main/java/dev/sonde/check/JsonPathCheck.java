package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.api.Exchange;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code json-path}: the value at {@code path} in the output's JSON exists and, when given,
 * {@code equals} a JSON value and/or {@code matches} a regular expression. The document is the
 * whole output when it is JSON (one code fence allowed), else the first JSON object or array in
 * the prose. Equality is JSON equality with numbers compared by value ({@code 1} equals
 * {@code 1.0}); an expected string also equals a number or boolean with that text, so
 * {@code "{{var}}"} templates work. {@code matches} uses find semantics on a string's text, or
 * on the JSON text of any other value. Immutable.
 */
final class JsonPathCheck implements Check {
    private static final Comparator<JsonNode> SAME = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        if (a.isTextual() && (b.isNumber() || b.isBoolean())) {
            return a.asText().equals(b.asText()) ? 0 : 1;
        }
        if (b.isTextual() && (a.isNumber() || a.isBoolean())) {
            return a.asText().equals(b.asText()) ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    };

    private final JsonPath path;
    private final JsonNode equals;
    private final Pattern matches;

    /** @param equals null for no equality test; {@code matches} likewise */
    JsonPathCheck(JsonPath path, JsonNode equals, Pattern matches) {
        this.path = path;
        this.equals = equals == null ? null : equals.deepCopy();
        this.matches = matches;
    }

    @Override
    public String type() {
        return "json-path";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        JsonText.Found json = JsonText.whole(exchange.text());
        if (!json.ok()) {
            json = JsonText.embedded(exchange.text());
        }
        if (!json.ok()) {
            return CheckResult.fail(type(), json.problem());
        }
        JsonNode value = path.select(json.value());
        String at = path.expression();
        if (value == null) {
            return CheckResult.fail(type(), "no value at " + at + " in " + Excerpt.json(json.value()));
        }
        String observed = at + " is " + Excerpt.json(value);
        if (equals != null && !equals.equals(SAME, value)) {
            return CheckResult.fail(type(), observed + ", expected " + Excerpt.json(equals));
        }
        if (matches != null) {
            Matcher m = matches.matcher(value.isTextual() ? value.asText() : value.toString());
            if (!m.find()) {
                return CheckResult.fail(type(), observed + ", expected to match " + Excerpt.of(matches.pattern()));
            }
        }
        return CheckResult.pass(type(), observed + (equals != null ? " as expected" : "")
                + (matches != null ? ", matching " + Excerpt.of(matches.pattern()) : ""));
    }
}
