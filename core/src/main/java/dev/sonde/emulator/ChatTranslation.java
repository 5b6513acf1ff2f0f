package dev.sonde.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates an OpenAI chat-completions body into a Messages API body, as Anthropic's
 * compatibility layer does (API-SPEC §11.2): {@code system}/{@code developer} messages are hoisted
 * and joined with a newline; {@code user} content is a string or parts ({@code text},
 * {@code image_url} with an http(s) or {@code data:} URL); {@code assistant} text and
 * {@code tool_calls} become text and {@code tool_use} blocks; {@code tool} messages become user
 * {@code tool_result} blocks; {@code max_completion_tokens} or {@code max_tokens} (default
 * {@value #DEFAULT_MAX_TOKENS}); {@code stop} (string or list) → {@code stop_sequences};
 * function {@code tools} and {@code tool_choice} (auto, none, required → any, a named function →
 * tool); {@code temperature} capped at 1; {@code n} must be 1. {@code cache_control} on content
 * parts and at the top level, and {@code thinking}, are passed through; other fields are ignored.
 * Stateless.
 */
final class ChatTranslation {
    static final int DEFAULT_MAX_TOKENS = 4096;

    private ChatTranslation() {}

    static ObjectNode toMessages(JsonNode chat) {
        if (chat == null || !chat.isObject()) {
            throw ApiError.invalid("Input should be a valid dictionary or object to extract fields from");
        }
        if (chat.has("n") && chat.get("n").asInt(1) != 1) {
            throw ApiError.invalid("n: only n=1 is supported");
        }
        ObjectNode out = Json.object();
        if (chat.has("model")) {
            out.set("model", chat.get("model"));
        }
        JsonNode max = chat.hasNonNull("max_completion_tokens") ? chat.get("max_completion_tokens") : chat.get("max_tokens");
        out.set("max_tokens", max == null || max.isNull() ? Json.MAPPER.getNodeFactory().numberNode(DEFAULT_MAX_TOKENS) : max);
        List<String> system = new ArrayList<>();
        ArrayNode messages = out.putArray("messages");
        JsonNode input = chat.path("messages");
        if (!input.isArray()) {
            throw ApiError.invalid("messages: Input should be a valid list");
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode m = input.get(i);
            String role = m.path("role").asText();
            switch (role) {
                case "system", "developer" -> system.add(text(m.path("content")));
                case "user" -> messages.addObject().put("role", "user").set("content", userContent(m.path("content")));
                case "assistant" -> messages.addObject().put("role", "assistant").set("content", assistantContent(m, i));
                case "tool" -> {
                    ObjectNode result = Json.object().put("type", "tool_result")
                            .put("tool_use_id", m.path("tool_call_id").asText()).put("content", text(m.path("content")));
                    messages.addObject().put("role", "user").putArray("content").add(result);
                }
                default -> throw ApiError.invalid("messages." + i + ".role: Input should be 'system', 'developer', "
                        + "'user', 'assistant' or 'tool'");
            }
        }
        if (!system.isEmpty()) {
            out.put("system", String.join("\n", system));
        }
        JsonNode stop = chat.get("stop");
        if (stop != null && !stop.isNull()) {
            ArrayNode stops = out.putArray("stop_sequences");
            if (stop.isTextual()) {
                stops.add(stop.asText());
            } else {
                stop.forEach(stops::add);
            }
        }
        if (chat.has("temperature") && chat.get("temperature").isNumber()) {
            out.put("temperature", Math.min(1.0, chat.get("temperature").asDouble()));
        }
        for (String field : List.of("top_p", "stream", "thinking", "cache_control")) {
            if (chat.hasNonNull(field)) {
                out.set(field, chat.get(field));
            }
        }
        tools(chat, out);
        return out;
    }

    private static void tools(JsonNode chat, ObjectNode out) {
        JsonNode tools = chat.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode converted = out.putArray("tools");
            for (JsonNode tool : tools) {
                JsonNode fn = tool.path("function");
                ObjectNode t = converted.addObject().put("name", fn.path("name").asText());
                if (fn.hasNonNull("description")) {
                    t.put("description", fn.get("description").asText());
                }
                t.set("input_schema", fn.hasNonNull("parameters") ? fn.get("parameters") : Json.object().put("type", "object"));
            }
        }
        JsonNode choice = chat.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isTextual()) {
            String type = switch (choice.asText()) {
                case "none" -> "none";
                case "required" -> "any";
                default -> "auto";
            };
            out.putObject("tool_choice").put("type", type);
        } else {
            out.putObject("tool_choice").put("type", "tool").put("name", choice.path("function").path("name").asText());
        }
    }

    private static JsonNode userContent(JsonNode content) {
        if (!content.isArray()) {
            return Json.MAPPER.getNodeFactory().textNode(text(content));
        }
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        for (JsonNode part : content) {
            ObjectNode block = switch (part.path("type").asText()) {
                case "image_url" -> image(part.path("image_url").path("url").asText());
                default -> Json.object().put("type", "text").put("text", part.path("text").asText());
            };
            if (part.has("cache_control")) {
                block.set("cache_control", part.get("cache_control"));
            }
            blocks.add(block);
        }
        return blocks;
    }

    private static ObjectNode image(String url) {
        ObjectNode image = Json.object().put("type", "image");
        if (url.startsWith("data:") && url.contains(";base64,")) {
            int semi = url.indexOf(';');
            image.putObject("source").put("type", "base64").put("media_type", url.substring(5, semi))
                    .put("data", url.substring(url.indexOf(',') + 1));
        } else {
            image.putObject("source").put("type", "url").put("url", url);
        }
        return image;
    }

    private static JsonNode assistantContent(JsonNode m, int index) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        String text = text(m.path("content"));
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : m.path("tool_calls")) {
            JsonNode input;
            try {
                input = Json.MAPPER.readTree(call.path("function").path("arguments").asText("{}"));
            } catch (JsonProcessingException e) {
                throw ApiError.invalid("messages." + index + ".tool_calls: function.arguments must be a JSON object");
            }
            blocks.addObject().put("type", "tool_use").put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText())
                    .set("input", input != null && input.isObject() ? input : Json.object());
        }
        return blocks;
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> parts = new ArrayList<>();
        content.forEach(p -> parts.add(p.path("text").asText()));
        return String.join("", parts);
    }
}
