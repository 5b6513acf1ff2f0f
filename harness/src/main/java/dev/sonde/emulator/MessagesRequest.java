package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A validated {@code POST /v1/messages} (or {@code count_tokens}) body, with the fields the
 * emulator acts on pulled out. {@code maxTokens} is -1 for count_tokens; {@code toolChoice} is
 * {@code auto}, {@code any}, {@code tool} or {@code none}, with {@code toolName} set for
 * {@code tool}; {@code lastUserText} is the text of the last user turn (text blocks joined by a
 * newline, tool results included) and is what rules match on; {@code blocks} are the prompt's
 * cacheable units ({@link InputTokens#blocks}), whose tokens plus the request overhead make
 * {@code inputTokens}.
 */
record MessagesRequest(
        JsonNode body,
        String model,
        int maxTokens,
        boolean stream,
        List<String> stopSequences,
        List<JsonNode> tools,
        String toolChoice,
        String toolName,
        String lastUserText,
        int inputTokens,
        List<PromptBlock> blocks) {

    /** The {@code input_schema} of the tool called {@code name}, or null. */
    JsonNode schemaOf(String name) {
        for (JsonNode tool : tools) {
            if (name.equals(tool.path("name").asText())) {
                return tool.get("input_schema");
            }
        }
        return null;
    }
}
