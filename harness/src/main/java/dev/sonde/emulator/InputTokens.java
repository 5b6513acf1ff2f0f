package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The input side of the token approximation (see {@link Tokens} for how text is counted):
 * <ul>
 *   <li>{@value #REQUEST_OVERHEAD} tokens per request;</li>
 *   <li>{@code system}: the tokens of its text (string or text blocks);</li>
 *   <li>each tool: the tokens of its compact JSON without {@code cache_control};</li>
 *   <li>each message: {@value #MESSAGE_OVERHEAD} tokens plus its content: a string or text block
 *       counts its text; a thinking block its thinking text; a {@code tool_use} block its name plus
 *       the compact JSON of its input; a {@code tool_result} its content (string or blocks,
 *       counted the same way); an image {@value #IMAGE_TOKENS} tokens whatever its size; a
 *       document with a plain-text source the tokens of that text; any other block the tokens of
 *       its compact JSON without {@code cache_control}.</li>
 * </ul>
 * {@code count_tokens} uses the same function, so it always agrees with {@code usage.input_tokens}.
 * Expects a validated body. Stateless.
 */
final class InputTokens {
    static final int REQUEST_OVERHEAD = 1;
    static final int MESSAGE_OVERHEAD = 3;
    static final int IMAGE_TOKENS = 1_600;

    private InputTokens() {}

    static int count(JsonNode body) {
        int tokens = REQUEST_OVERHEAD + content(body.path("system"));
        for (JsonNode tool : body.path("tools")) {
            tokens += Tokens.count(Json.withoutCacheControl(tool));
        }
        for (JsonNode message : body.path("messages")) {
            tokens += MESSAGE_OVERHEAD + content(message.path("content"));
        }
        return tokens;
    }

    private static int content(JsonNode content) {
        if (content.isTextual()) {
            return Tokens.count(content.asText());
        }
        int tokens = 0;
        for (JsonNode block : content) {
            tokens += block(block);
        }
        return tokens;
    }

    private static int block(JsonNode block) {
        return switch (block.path("type").asText()) {
            case "text" -> Tokens.count(block.path("text").asText());
            case "thinking" -> Tokens.count(block.path("thinking").asText());
            case "tool_use" -> Tokens.count(block.path("name").asText()) + Tokens.count(block.path("input").toString());
            case "tool_result" -> content(block.path("content"));
            case "image" -> IMAGE_TOKENS;
            case "document" -> "text".equals(block.path("source").path("type").asText())
                    ? Tokens.count(block.path("source").path("data").asText())
                    : Tokens.count(Json.withoutCacheControl(block));
            default -> Tokens.count(Json.withoutCacheControl(block));
        };
    }
}
