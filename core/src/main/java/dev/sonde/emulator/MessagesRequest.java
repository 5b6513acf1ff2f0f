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
 * {@code inputTokens}. {@code sent} is the body as the client sent it, which recorded answers are
 * keyed by ({@link Recording#requestSha256}): a cloud platform's body before {@link Platforms}
 * turned it into {@code body} (a Bedrock model id read as the Anthropic one), so an answer recorded
 * from what a platform client sent replays on that platform; {@code body} itself everywhere else.
 */
record MessagesRequest(
        JsonNode body,
        JsonNode sent,
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

    /** This request as sent in {@code sent} (the platform's own body, before its rewrite). */
    MessagesRequest sentAs(JsonNode sent) {
        return new MessagesRequest(body, sent, model, maxTokens, stream, stopSequences, tools, toolChoice, toolName,
                lastUserText, inputTokens, blocks);
    }

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
