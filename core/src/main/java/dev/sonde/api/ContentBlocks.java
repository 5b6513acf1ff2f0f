package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code content} array of a non-streaming Messages response. */
final class ContentBlocks {
    private ContentBlocks() {}

    static List<ContentBlock> fromJson(JsonNode content) {
        List<ContentBlock> blocks = new ArrayList<>();
        for (JsonNode b : content) {
            String type = b.path("type").asText();
            blocks.add(switch (type) {
                case "text" -> new ContentBlock.Text(b.path("text").asText(""));
                case "tool_use" -> new ContentBlock.ToolUse(b.path("id").asText(), b.path("name").asText(),
                        b.path("input"));
                case "thinking" -> new ContentBlock.Thinking(b.path("thinking").asText(""),
                        b.path("signature").asText(""));
                default -> new ContentBlock.Other(type, b);
            });
        }
        return blocks;
    }
}
