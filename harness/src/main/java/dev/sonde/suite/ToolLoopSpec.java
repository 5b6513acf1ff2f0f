package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A case's tool loop (suite {@code tool_loop:}): while the model stops with {@code tool_use}, Sonde
 * answers every call with the canned result for that tool name ({@code results}; {@code default}
 * for the rest; a string, or any JSON sent as its text) and sends the conversation again, at most
 * {@code maxTurns} requests in all. A conversation still asking for tools after the last turn ends
 * as a {@code tool_loop_limit} error.
 */
public record ToolLoopSpec(int maxTurns, ObjectNode results) {

    /** The canned result for a call to {@code tool}, or null when none is configured. */
    public String resultFor(String tool) {
        JsonNode r = results.has(tool) ? results.get(tool) : results.get("default");
        if (r == null || r.isNull()) {
            return null;
        }
        return r.isTextual() ? r.asText() : r.toString();
    }
}
