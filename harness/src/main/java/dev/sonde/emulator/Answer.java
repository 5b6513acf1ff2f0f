package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A finished answer, before it is written as JSON or SSE: both forms are rendered from this one
 * value, so a streamed answer always adds up to the non-streamed one. {@code chunks} are the
 * delta payloads in order (whole tokens, 1–4 per delta; for a tool they are the pieces of the
 * input's compact JSON, after the initial empty {@code input_json_delta}). {@code midStreamError}
 * is non-null when a rule asked for an {@code error} event part-way through the stream.
 */
record Answer(
        String messageId,
        String model,
        List<Block> blocks,
        String stopReason,
        String stopSequence,
        int inputTokens,
        int outputTokens,
        Rule.Reply.Failure midStreamError) {

    sealed interface Block {
        List<String> chunks();

        record Text(String text, List<String> chunks) implements Block {}

        record ToolUse(String id, String name, JsonNode input, List<String> chunks) implements Block {}
    }

    /** The number of deltas that carry content (the ones the latency model paces). */
    int pacedDeltas() {
        return blocks.stream().mapToInt(b -> b.chunks().size()).sum();
    }
}
