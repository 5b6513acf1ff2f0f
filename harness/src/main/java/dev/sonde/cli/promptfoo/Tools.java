package dev.sonde.cli.promptfoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Tool definitions and tool choice in the Messages API's shape (what a Sonde suite writes; Sonde
 * translates them for an {@code openai-chat} model), from the Messages API's own, OpenAI's chat
 * function shape or the Responses API's flat one ({@code {type: function, name, parameters}}) as
 * promptfoo configs hold them.
 */
final class Tools {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Tools() {}

    /** The tools as Messages API tools, or {@code null} when one is in neither shape. */
    static JsonNode toMessages(JsonNode tools) {
        if (!tools.isArray()) {
            return null;
        }
        ArrayNode out = F.arrayNode();
        for (JsonNode tool : tools) {
            if (tool.path("type").asText().equals("function") && tool.path("name").isTextual() && !tool.has("input_schema")) {
                ObjectNode t = out.addObject().put("name", tool.get("name").asText()); // the Responses API's flat shape
                if (tool.path("description").isTextual()) {
                    t.put("description", tool.get("description").asText());
                }
                t.set("input_schema", tool.path("parameters").isObject() ? tool.get("parameters") : F.objectNode().put("type", "object"));
            } else if (tool.has("name") && (tool.has("input_schema") || tool.has("type"))) {
                out.add(tool); // already the Messages API's (custom or server tool)
            } else if (tool.path("type").asText().equals("function") && tool.path("function").has("name")) {
                JsonNode fn = tool.get("function");
                ObjectNode t = out.addObject().put("name", fn.get("name").asText());
                if (fn.has("description")) {
                    t.put("description", fn.get("description").asText());
                }
                t.set("input_schema", fn.has("parameters") ? fn.get("parameters") : F.objectNode().put("type", "object"));
            } else {
                return null;
            }
        }
        return out;
    }

    /** The tool choice as the Messages API's, or {@code null} when it is in neither shape. */
    static JsonNode choice(JsonNode choice) {
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> F.objectNode().put("type", "auto");
                case "required", "any" -> F.objectNode().put("type", "any");
                case "none" -> F.objectNode().put("type", "none");
                default -> null;
            };
        }
        String type = choice.path("type").asText();
        if (type.equals("function") && choice.path("function").has("name")) {
            return F.objectNode().put("type", "tool").put("name", choice.path("function").path("name").asText());
        }
        return switch (type) {
            case "auto", "any", "none" -> choice;
            case "tool" -> choice.has("name") ? choice : null;
            default -> null;
        };
    }
}
