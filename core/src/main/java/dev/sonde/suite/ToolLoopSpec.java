package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A case's tool loop (suite {@code tool_loop:}): while the model stops with {@code tool_use}, Sonde
 * answers every call from {@code results} and sends the conversation again, at most
 * {@code maxTurns} requests in all. A conversation still asking for tools after the last turn ends
 * as a {@code tool_loop_limit} error; a call nothing answers ends it as {@code tool_result_missing}.
 *
 * @param results tool name (or {@code default}, for every tool) → its answers in suite order
 */
public record ToolLoopSpec(int maxTurns, Map<String, List<ToolAnswer>> results) {
    /** The key whose answers apply to any tool, after the tool's own. */
    public static final String DEFAULT = "default";

    public ToolLoopSpec {
        results = Map.copyOf(results);
    }

    /**
     * The result for a call to {@code tool} with {@code input}: the first of the tool's answers whose
     * {@code when} matches, else the tool's fallback (the answer without {@code when}), then the same
     * two steps over {@code default}; null when none applies.
     */
    public String resultFor(String tool, JsonNode input) {
        String own = firstMatch(results.get(tool), input);
        return own != null ? own : firstMatch(results.get(DEFAULT), input);
    }

    private static String firstMatch(List<ToolAnswer> answers, JsonNode input) {
        if (answers == null) {
            return null;
        }
        for (ToolAnswer a : answers) {
            if (a.when() != null && a.matches(input)) {
                return a.result();
            }
        }
        for (ToolAnswer a : answers) {
            if (a.when() == null) {
                return a.result();
            }
        }
        return null;
    }
}
