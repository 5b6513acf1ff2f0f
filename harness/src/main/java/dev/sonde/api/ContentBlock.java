package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;

/** One block of a response's {@code content}; blocks the harness does not interpret are {@link Other}. */
public sealed interface ContentBlock {

    String type();

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
