package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code tool-args}: some call to the tool {@code name} has an {@code input} that is valid against
 * {@code schema} (JSON Schema 2020-12) and/or contains {@code value}: every key of an expected
 * object must be present with a matching value (extra keys are fine), arrays match element by
 * element with equal length, numbers compare by value, and an expected string also matches a
 * number or boolean with that text. When no call matches, the reason gives the first call's
 * first problem. Immutable.
 */
final class ToolArgsCheck implements Check {
    private final String name;
    private final Schema schema;
    private final JsonNode value;

    /** @param schema null for none; {@code value} likewise (not both) */
    ToolArgsCheck(String name, Schema schema, JsonNode value) {
        this.name = name;
        this.schema = schema;
        this.value = value == null ? null : value.deepCopy();
    }

    @Override
    public String type() {
        return "tool-args";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        List<ContentBlock.ToolUse> calls = exchange.toolUses().stream().filter(t -> t.name().equals(name)).toList();
        if (calls.isEmpty()) {
            List<String> names = exchange.toolUses().stream().map(ContentBlock.ToolUse::name).toList();
            return CheckResult.fail(type(), "no call to " + name + (names.isEmpty() ? " (no tool was called)"
                    : " (calls: " + names + ")"));
        }
        String firstProblem = null;
        for (int i = 0; i < calls.size(); i++) {
            JsonNode input = calls.get(i).input();
            String problem = schema == null ? null : JsonText.schemaProblem(schema, input);
            if (problem == null && value != null) {
                problem = subsetProblem("$", value, input);
            }
            if (problem == null) {
                return CheckResult.pass(type(), name + " input " + Excerpt.json(input)
                        + (calls.size() > 1 ? " (call " + (i + 1) + " of " + calls.size() + ")" : "") + " matches");
            }
            firstProblem = firstProblem == null ? problem : firstProblem;
        }
        return CheckResult.fail(type(), name + " input " + Excerpt.json(calls.get(0).input()) + ": "
                + firstProblem + (calls.size() > 1 ? " (none of " + calls.size() + " calls matches)" : ""));
    }

    /** Why {@code actual} does not contain {@code expected}, or null when it does. */
    static String subsetProblem(String path, JsonNode expected, JsonNode actual) {
        if (actual == null || actual.isMissingNode()) {
            return path + " is missing";
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return path + " is " + JsonText.kind(actual) + ", expected an object";
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = subsetProblem(path + "." + e.getKey(), e.getValue(), actual.get(e.getKey()));
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return path + " is " + Excerpt.json(actual) + ", expected " + Excerpt.json(expected);
            }
            for (int i = 0; i < expected.size(); i++) {
                String p = subsetProblem(path + "[" + i + "]", expected.get(i), actual.get(i));
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        boolean same = expected.isNumber() && actual.isNumber()
                ? expected.decimalValue().compareTo(actual.decimalValue()) == 0
                : expected.isTextual() && (actual.isNumber() || actual.isBoolean())
                        ? expected.asText().equals(actual.asText())
                        : expected.equals(actual);
        return same ? null : path + " is " + Excerpt.json(actual) + ", expected " + Excerpt.json(expected);
    }
}
