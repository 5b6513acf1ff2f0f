package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Translates a Messages API body (what suites write) into an OpenAI chat-completions body, so one
 * suite can run against Anthropic and OpenAI-compatible gateways alike: {@code system} becomes a
 * system message; text blocks join into the message text; images become {@code image_url} data
 * URLs; {@code tool_use}/{@code tool_result} become {@code tool_calls} and {@code tool} messages;
 * {@code stop_sequences} → {@code stop}; tools and {@code tool_choice} map to functions; a stream
 * asks for {@code stream_options.include_usage}. Anthropic-only fields are dropped; any other field
 * passes through unchanged (e.g. {@code seed}, {@code response_format}).
 */
final class ChatRequests {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> HANDLED = Set.of("model", "max_tokens", "messages", "system", "stop_sequences",
            "tools", "tool_choice", "stream");
    private static final Set<String> ANTHROPIC_ONLY = Set.of("metadata", "thinking", "top_k", "service_tier",
            "output_config", "cache_control", "container", "inference_geo", "context_management", "mcp_servers");

    private ChatRequests() {}

    static ObjectNode translate(ObjectNode messages) {
        ObjectNode out = F.objectNode();
        out.put("model", messages.path("model").asText());
        ArrayNode chat = out.putArray("messages");
        JsonNode system = messages.get("system");
        if (system != null && !system.isNull()) {
            chat.addObject().put("role", "system").put("content", text(system));
        }
        for (JsonNode m : messages.path("messages")) {
            addMessage(chat, m);
        }
        if (messages.has("max_tokens")) {
            out.set("max_tokens", messages.get("max_tokens"));
        }
        if (messages.has("stop_sequences")) {
            out.set("stop", messages.get("stop_sequences"));
        }
        if (messages.has("tools")) {
            ArrayNode tools = out.putArray("tools");
            for (JsonNode t : messages.get("tools")) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.path("name").asText());
                if (t.has("description")) {
                    fn.put("description", t.get("description").asText());
                }
                fn.set("parameters", t.has("input_schema") ? t.get("input_schema") : F.objectNode().put("type", "object"));
            }
        }
        JsonNode choice = messages.get("tool_choice");
        if (choice != null) {
            switch (choice.path("type").asText()) {
                case "tool" -> out.putObject("tool_choice").put("type", "function").putObject("function")
                        .put("name", choice.path("name").asText());
                case "any" -> out.put("tool_choice", "required");
                case "none" -> out.put("tool_choice", "none");
                default -> out.put("tool_choice", "auto");
            }
        }
        boolean stream = messages.path("stream").asBoolean(false);
        out.put("stream", stream);
        if (stream) {
            out.putObject("stream_options").put("include_usage", true);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = messages.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!HANDLED.contains(f.getKey()) && !ANTHROPIC_ONLY.contains(f.getKey()) && !out.has(f.getKey())) {
                out.set(f.getKey(), f.getValue());
            }
        }
        return out;
    }

    private static void addMessage(ArrayNode chat, JsonNode m) {
        String role = m.path("role").asText("user");
        JsonNode content = m.path("content");
        if (content.isTextual()) {
            chat.addObject().put("role", role).put("content", content.asText());
            return;
        }
        ArrayNode parts = F.arrayNode();
        ArrayNode toolCalls = F.arrayNode();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText());
                case "image" -> {
                    JsonNode src = block.path("source");
                    String url = src.path("type").asText().equals("base64")
                            ? "data:" + src.path("media_type").asText() + ";base64," + src.path("data").asText()
                            : src.path("url").asText();
                    parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
                }
                case "tool_use" -> {
                    ObjectNode call = toolCalls.addObject().put("id", block.path("id").asText()).put("type", "function");
                    call.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", block.path("input").toString());
                }
                case "tool_result" -> chat.addObject().put("role", "tool")
                        .put("tool_call_id", block.path("tool_use_id").asText())
                        .put("content", text(block.path("content")));
                default -> { } // thinking, documents and server blocks have no chat equivalent
            }
        }
        if (parts.isEmpty() && toolCalls.isEmpty()) {
            return;
        }
        ObjectNode msg = chat.addObject().put("role", role);
        boolean onlyText = true;
        for (JsonNode p : parts) {
            onlyText &= p.path("type").asText().equals("text");
        }
        if (onlyText) {
            StringBuilder sb = new StringBuilder();
            parts.forEach(p -> sb.append(p.path("text").asText()));
            msg.put("content", sb.toString());
        } else {
            msg.set("content", parts);
        }
        if (!toolCalls.isEmpty()) {
            msg.set("tool_calls", toolCalls);
        }
    }

    /** A string, or the text of text blocks joined with newlines. */
    private static String text(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : node) {
            if (b.has("text")) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(b.get("text").asText());
            }
        }
        return sb.toString();
    }
}
