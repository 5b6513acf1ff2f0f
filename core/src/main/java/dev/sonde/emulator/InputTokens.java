package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

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
 * {@link #blocks} splits the same count over the prompt's {@link PromptBlock}s (everything but the
 * per-request overhead), which is what prompt caching measures prefixes in.
 * Expects a validated body. Stateless.
 */
final class InputTokens {
    static final int REQUEST_OVERHEAD = 1;
    static final int MESSAGE_OVERHEAD = 3;
    static final int IMAGE_TOKENS = 1_600;

    private InputTokens() {}

    static int count(JsonNode body) {
        return total(blocks(body));
    }

    /** The input tokens of a prompt made of {@code blocks}: the request overhead plus every block. */
    static int total(List<PromptBlock> blocks) {
        int tokens = REQUEST_OVERHEAD;
        for (PromptBlock block : blocks) {
            tokens += block.tokens();
        }
        return tokens;
    }

    /** The prompt's blocks in cache-prefix order: tools, system, messages. */
    static List<PromptBlock> blocks(JsonNode body) {
        List<PromptBlock> out = new ArrayList<>();
        JsonNode tools = body.path("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            out.add(new PromptBlock("tools." + i, "tool", tool, Tokens.count(Json.withoutCacheControl(tool)),
                    ttl(tool), true));
        }
        JsonNode system = body.path("system");
        if (system.isTextual()) {
            out.add(new PromptBlock("system", "system", system, Tokens.count(system.asText()), null, true));
        } else {
            for (int i = 0; i < system.size(); i++) {
                JsonNode block = system.get(i);
                out.add(new PromptBlock("system." + i, "system", block,
                        Tokens.count(block.path("text").asText()), ttl(block), true));
            }
        }
        JsonNode messages = body.path("messages");
        for (int m = 0; m < messages.size(); m++) {
            JsonNode message = messages.get(m);
            String section = "message " + m + " " + message.path("role").asText();
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                out.add(new PromptBlock("messages." + m + ".content", section, content,
                        MESSAGE_OVERHEAD + Tokens.count(content.asText()), null, true));
            } else if (content.isEmpty()) {
                out.add(new PromptBlock("messages." + m + ".content", section, content, MESSAGE_OVERHEAD, null, false));
            } else {
                for (int i = 0; i < content.size(); i++) {
                    JsonNode block = content.get(i);
                    String type = block.path("type").asText();
                    out.add(new PromptBlock("messages." + m + ".content." + i, section, block,
                            (i == 0 ? MESSAGE_OVERHEAD : 0) + block(block), ttl(block),
                            !type.equals("thinking") && !type.equals("redacted_thinking")));
                }
            }
        }
        return out;
    }

    private static String ttl(JsonNode block) {
        JsonNode cache = block.get("cache_control");
        if (cache == null || cache.isNull()) {
            return null;
        }
        return cache.path("ttl").asText("5m");
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
