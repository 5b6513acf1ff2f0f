package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a Messages API body the way the real API does for the mistakes a harness makes, and
 * answers with API-like {@code invalid_request_error} messages ({@code "<path>: <problem>"},
 * e.g. {@code max_tokens: Field required}, {@code messages.0.role: Input should be 'user' or
 * 'assistant'}). Unknown top-level fields and unknown block fields are accepted (the real API's
 * strict "Extra inputs are not permitted" is not emulated). Stateless.
 */
final class RequestValidator {
    private static final Set<String> BLOCK_TYPES = Set.of(
            "text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking",
            "search_result", "server_tool_use", "container_upload", "tool_reference");
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
    private static final Set<String> TOOL_CHOICES = Set.of("auto", "any", "tool", "none");

    private RequestValidator() {}

    /** Validates a create-message body ({@code forCountTokens}: a count_tokens body, no max_tokens). */
    static MessagesRequest parse(JsonNode body, boolean forCountTokens) {
        if (body == null || !body.isObject()) {
            throw ApiError.invalid("Input should be a valid dictionary or object to extract fields from");
        }
        String model = requiredString(body, "model");
        if (model.isEmpty()) {
            throw ApiError.invalid("model: String should have at least 1 character");
        }
        int maxTokens = -1;
        if (!forCountTokens) {
            maxTokens = integer(required(body, "max_tokens"), "max_tokens");
            if (maxTokens < 0) {
                throw ApiError.invalid("max_tokens: Input should be greater than or equal to 0");
            }
        }
        JsonNode messages = required(body, "messages");
        if (!messages.isArray()) {
            throw ApiError.invalid("messages: Input should be a valid list");
        }
        if (messages.isEmpty()) {
            throw ApiError.invalid("messages: at least one message is required");
        }
        for (int i = 0; i < messages.size(); i++) {
            message(messages.get(i), "messages." + i, i == messages.size() - 1);
        }
        system(body.get("system"));
        boolean stream = optionalBoolean(body, "stream");
        List<String> stops = stopSequences(body.get("stop_sequences"));
        range(body, "temperature", 0, 1);
        range(body, "top_p", 0, 1);
        if (body.has("top_k") && integer(body.get("top_k"), "top_k") < 0) {
            throw ApiError.invalid("top_k: Input should be greater than or equal to 0");
        }
        thinking(body.get("thinking"), maxTokens);
        OutputFormatValidator.check(body.get("output_config"));
        List<JsonNode> tools = tools(body.get("tools"));
        JsonNode choice = body.get("tool_choice");
        String choiceType = "auto";
        String toolName = null;
        if (choice != null && !choice.isNull()) {
            choiceType = choice.path("type").asText("");
            if (!choice.isObject() || !TOOL_CHOICES.contains(choiceType)) {
                throw ApiError.invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
            }
            if (choiceType.equals("tool")) {
                toolName = requiredString(choice, "tool_choice.name", "name");
                String wanted = toolName;
                if (tools.stream().noneMatch(t -> wanted.equals(t.path("name").asText()))) {
                    throw ApiError.invalid("tool_choice.name: Tool '" + toolName + "' not found in tools");
                }
            }
            if ((choiceType.equals("any") || choiceType.equals("tool")) && tools.isEmpty()) {
                throw ApiError.invalid("tool_choice: tools must be provided when tool_choice.type is '" + choiceType + "'");
            }
        }
        List<PromptBlock> blocks = InputTokens.blocks(body);
        return new MessagesRequest(body, body, model, maxTokens, stream, stops, tools, choiceType, toolName,
                lastUserText(messages), InputTokens.total(blocks), List.copyOf(blocks));
    }

    private static void message(JsonNode message, String path, boolean last) {
        if (!message.isObject()) {
            throw ApiError.invalid(path + ": Input should be a valid dictionary");
        }
        JsonNode role = required(message, "role", path + ".role");
        if (!role.isTextual() || !(role.asText().equals("user") || role.asText().equals("assistant"))) {
            throw ApiError.invalid(path + ".role: Input should be 'user' or 'assistant'");
        }
        JsonNode content = required(message, "content", path + ".content");
        boolean empty = content.isTextual() ? content.asText().isEmpty() : content.isArray() && content.isEmpty();
        if (!content.isTextual() && !content.isArray()) {
            throw ApiError.invalid(path + ".content: Input should be a valid string or a list of content blocks");
        }
        if (empty && !(last && role.asText().equals("assistant"))) {
            throw ApiError.invalid("messages: all messages must have non-empty content except for the optional final assistant message");
        }
        for (int i = 0; i < content.size(); i++) {
            block(content.get(i), path + ".content." + i);
        }
    }

    private static void block(JsonNode block, String path) {
        if (!block.isObject()) {
            throw ApiError.invalid(path + ": Input should be a valid dictionary");
        }
        String type = requiredString(block, path + ".type", "type");
        if (!BLOCK_TYPES.contains(type) && !type.endsWith("_tool_result")) {
            throw ApiError.invalid(path + ".type: Input tag '" + type + "' found using 'type' does not match any of the "
                    + "expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'");
        }
        switch (type) {
            case "text" -> {
                if (requiredString(block, path + ".text", "text").isEmpty()) {
                    throw ApiError.invalid(path + ".text: text content blocks must be non-empty");
                }
            }
            case "image" -> image(required(block, "source", path + ".source"), path + ".source");
            case "document" -> {
                if (!required(block, "source", path + ".source").isObject()) {
                    throw ApiError.invalid(path + ".source: Input should be a valid dictionary");
                }
            }
            case "tool_use" -> {
                requiredString(block, path + ".id", "id");
                requiredString(block, path + ".name", "name");
                if (!required(block, "input", path + ".input").isObject()) {
                    throw ApiError.invalid(path + ".input: Input should be a valid dictionary");
                }
            }
            case "tool_result" -> {
                requiredString(block, path + ".tool_use_id", "tool_use_id");
                JsonNode content = block.get("content");
                if (content != null && content.isArray()) {
                    for (int i = 0; i < content.size(); i++) {
                        block(content.get(i), path + ".content." + i);
                    }
                } else if (content != null && !content.isTextual()) {
                    throw ApiError.invalid(path + ".content: Input should be a valid string or a list of content blocks");
                }
            }
            case "thinking" -> {
                requiredString(block, path + ".thinking", "thinking");
                requiredString(block, path + ".signature", "signature");
            }
            default -> { }
        }
        cacheControl(block.get("cache_control"), path + ".cache_control");
    }

    private static void image(JsonNode source, String path) {
        String kind = requiredString(source, path + ".type", "type");
        switch (kind) {
            case "base64" -> {
                if (!IMAGE_TYPES.contains(source.path("media_type").asText())) {
                    throw ApiError.invalid(path + ".media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'");
                }
                requiredString(source, path + ".data", "data");
            }
            case "url" -> requiredString(source, path + ".url", "url");
            case "file" -> requiredString(source, path + ".file_id", "file_id");
            default -> throw ApiError.invalid(path + ".type: Input tag '" + kind
                    + "' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'");
        }
    }

    private static void cacheControl(JsonNode cache, String path) {
        if (cache == null || cache.isNull()) {
            return;
        }
        if (!"ephemeral".equals(cache.path("type").asText())) {
            throw ApiError.invalid(path + ".type: Input should be 'ephemeral'");
        }
        if (cache.has("ttl") && !Set.of("5m", "1h").contains(cache.get("ttl").asText())) {
            throw ApiError.invalid(path + ".ttl: Input should be '5m' or '1h'");
        }
    }

    private static void system(JsonNode system) {
        if (system == null || system.isNull() || system.isTextual()) {
            return;
        }
        if (!system.isArray()) {
            throw ApiError.invalid("system: Input should be a valid string or a list of text blocks");
        }
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(block.path("type").asText())) {
                throw ApiError.invalid("system." + i + ".type: Input should be 'text'");
            }
            requiredString(block, "system." + i + ".text", "text");
            cacheControl(block.get("cache_control"), "system." + i + ".cache_control");
        }
    }

    private static List<JsonNode> tools(JsonNode tools) {
        List<JsonNode> out = new ArrayList<>();
        if (tools == null || tools.isNull()) {
            return out;
        }
        if (!tools.isArray()) {
            throw ApiError.invalid("tools: Input should be a valid list");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String path = "tools." + i;
            if (!tool.isObject()) {
                throw ApiError.invalid(path + ": Input should be a valid dictionary");
            }
            String name = requiredString(tool, path + ".name", "name");
            if (!name.matches("[a-zA-Z0-9_-]{1,128}")) {
                throw ApiError.invalid(path + ".name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
            }
            boolean custom = !tool.has("type") || "custom".equals(tool.path("type").asText());
            if (custom && !required(tool, "input_schema", path + ".input_schema").isObject()) {
                throw ApiError.invalid(path + ".input_schema: Input should be a valid dictionary");
            }
            if (!names.add(name)) {
                throw ApiError.invalid("tools: Tool names must be unique.");
            }
            cacheControl(tool.get("cache_control"), path + ".cache_control");
            out.add(tool);
        }
        return out;
    }

    private static List<String> stopSequences(JsonNode stops) {
        List<String> out = new ArrayList<>();
        if (stops == null || stops.isNull()) {
            return out;
        }
        if (!stops.isArray()) {
            throw ApiError.invalid("stop_sequences: Input should be a valid list");
        }
        for (int i = 0; i < stops.size(); i++) {
            if (!stops.get(i).isTextual()) {
                throw ApiError.invalid("stop_sequences." + i + ": Input should be a valid string");
            }
            if (stops.get(i).asText().isBlank()) {
                throw ApiError.invalid("stop_sequences: each stop sequence must contain non-whitespace");
            }
            out.add(stops.get(i).asText());
        }
        return out;
    }

    private static void thinking(JsonNode thinking, int maxTokens) {
        if (thinking == null || thinking.isNull()) {
            return;
        }
        String type = thinking.path("type").asText();
        if (!Set.of("enabled", "disabled", "adaptive").contains(type)) {
            throw ApiError.invalid("thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'");
        }
        if (type.equals("enabled")) {
            int budget = integer(required(thinking, "budget_tokens", "thinking.enabled.budget_tokens"),
                    "thinking.enabled.budget_tokens");
            if (budget < 1024) {
                throw ApiError.invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
            }
            if (maxTokens >= 0 && budget >= maxTokens) {
                throw ApiError.invalid("`max_tokens` must be greater than `thinking.budget_tokens`");
            }
        }
    }

    private static void range(JsonNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber()) {
            throw ApiError.invalid(field + ": Input should be a valid number");
        }
        if (value.asDouble() < min) {
            throw ApiError.invalid(field + ": Input should be greater than or equal to " + (int) min);
        }
        if (value.asDouble() > max) {
            throw ApiError.invalid(field + ": Input should be less than or equal to " + (int) max);
        }
    }

    private static boolean optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiError.invalid(field + ": Input should be a valid boolean");
        }
        return value.asBoolean();
    }

    private static int integer(JsonNode value, String path) {
        if (!value.isIntegralNumber() && !(value.isNumber() && value.asDouble() == Math.rint(value.asDouble()))) {
            throw ApiError.invalid(path + ": Input should be a valid integer");
        }
        if (!value.canConvertToInt()) {
            throw ApiError.invalid(path + ": Input should be less than or equal to " + Integer.MAX_VALUE);
        }
        return value.asInt();
    }

    private static JsonNode required(JsonNode object, String field) {
        return required(object, field, field);
    }

    private static JsonNode required(JsonNode object, String field, String path) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw ApiError.invalid(path + ": Field required");
        }
        return value;
    }

    private static String requiredString(JsonNode object, String field) {
        return requiredString(object, field, field);
    }

    private static String requiredString(JsonNode object, String path, String field) {
        JsonNode value = required(object, field, path);
        if (!value.isTextual()) {
            throw ApiError.invalid(path + ": Input should be a valid string");
        }
        return value.asText();
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                List<String> parts = new ArrayList<>();
                collectText(message.path("content"), parts);
                return String.join("\n", parts);
            }
        }
        return "";
    }

    private static void collectText(JsonNode content, List<String> parts) {
        if (content.isTextual()) {
            parts.add(content.asText());
            return;
        }
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> parts.add(block.path("text").asText());
                case "tool_result" -> collectText(block.path("content"), parts);
                default -> { }
            }
        }
    }
}
