package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One canned tool result ({@code tool_loop.results.<tool>[i]}): sent as the {@code tool_result}
 * content when the call's input contains {@code when} by the one subset rule ({@link JsonSubset}:
 * nested objects as subsets, arrays element by element, numbers by value, {@code "3"} matching
 * {@code 3}). Without {@code when} it is the tool's fallback.
 *
 * @param when the input fields to match, or null for the fallback
 * @param result the tool_result content: a string as written, any other JSON as its text
 */
public record ToolAnswer(JsonNode when, String result) {

    /** Whether {@code input} contains {@code when} ({@link JsonSubset}); the fallback matches anything. */
    public boolean matches(JsonNode input) {
        return when == null || JsonSubset.matches(when, input);
    }
}
