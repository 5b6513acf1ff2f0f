package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One case: the conversation to send (variables already substituted), extra body fields, and the
 * assertions to check (defaults first, then the case's own).
 *
 * @param system the system prompt (string or text blocks), or null
 * @param models the model labels this case runs on; empty means every model
 * @param threshold the weighted share of assertions that must pass (0..1), or null: all must pass
 * @param toolLoop how to answer tool calls and continue the conversation, or null for one request
 */
public record CaseSpec(String id, String description, ArrayNode messages, JsonNode system, ObjectNode params,
        List<String> models, List<AssertSpec> asserts, Location location, Double threshold, ToolLoopSpec toolLoop) {

    public boolean runsOn(ModelSpec model) {
        return models.isEmpty() || models.contains(model.id());
    }
}
