package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/** One block of a response's {@code content}; blocks the harness does not interpret are {@link Other}. */
public sealed interface ContentBlock {

    String type();

    /** {@code blocks} in the Messages API's {@code content} shape (an {@link Other} as it came). */
    static ArrayNode toJson(List<ContentBlock> blocks) {
        ArrayNode content = JsonNodeFactory.instance.arrayNode();
        for (ContentBlock b : blocks) {
            switch (b) {
                case Text t -> content.addObject().put("type", "text").put("text", t.text());
                case ToolUse t -> content.addObject().put("type", "tool_use").put("id", t.id())
                        .put("name", t.name()).set("input", t.input());
                case Thinking t -> content.addObject().put("type", "thinking").put("thinking", t.thinking())
                        .put("signature", t.signature());
                case Other o -> content.add(o.raw());
            }
        }
        return content;
    }

    record Text(String text) implements ContentBlock {
        @Override
        public String type() {
            return "text";
        }
    }

    /** A tool call; {@code input} is the parsed object ({@code {}} when the streamed JSON was empty). */
    record ToolUse(String id, String name, JsonNode input) implements ContentBlock {
        @Override
        public String type() {
            return "tool_use";
        }
    }

    record Thinking(String thinking, String signature) implements ContentBlock {
        @Override
        public String type() {
            return "thinking";
        }
    }

    /** Any other block type, kept as returned. */
    record Other(String type, JsonNode raw) implements ContentBlock {}
}
