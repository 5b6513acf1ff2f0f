package dev.sonde.check;

import dev.sonde.suite.JsonSubset;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import java.util.List;

/**
 * {@code tool-args}: some call to the tool {@code name} has an {@code input} that is valid against
 * {@code schema} (JSON Schema 2020-12) and/or contains {@code value} by the one subset rule that
 * {@code tool_loop} answers use too ({@link JsonSubset}). When no call matches, the reason gives the first call's
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
                problem = JsonSubset.problem("$", value, input);
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
}
