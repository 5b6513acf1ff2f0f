package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A finished answer, before it is written as JSON or SSE: both forms are rendered from this one
 * value, so a streamed answer always adds up to the non-streamed one. {@code chunks} are the
 * delta payloads in order (whole tokens, 1–4 per delta; for a tool they are the pieces of the
 * input's compact JSON, after the initial empty {@code input_json_delta}; for thinking the
 * pieces of the thinking text, followed by one {@code signature_delta}). {@code inputTokens} is
 * the prompt's total; {@code cache} splits it into uncached input, cache writes and cache reads
 * ({@link CacheUsage#none} until the handler applies the prompt cache). {@code outputTokens}
 * includes {@code thinkingTokens}. {@code faults} say how the answer is delivered. {@code filler} is
 * true when no rule matched the request, so its content is the generator's (the response says so in
 * {@value MessagesEndpoint#FILLER_HEADER}). {@code replay} is
 * null for a modelled answer; for a recorded one ({@link Recording}) it holds the recorded
 * {@code usage}, which the wire shows instead of the modelled counts, and the recorded pace.
 */
record Answer(
        String messageId,
        String model,
        List<Block> blocks,
        String stopReason,
        String stopSequence,
        int inputTokens,
        int outputTokens,
        int thinkingTokens,
        CacheUsage cache,
        Faults faults,
        boolean filler,
        Replay replay) {

    /**
     * A recorded answer's {@code usage} as returned, and its pace (null: the latency model's), which
     * starts {@code firstByteNanos} after the request arrived.
     */
    record Replay(ObjectNode usage, LatencyModel.Schedule schedule, long firstByteNanos) {}

    sealed interface Block {
        List<String> chunks();

        record Text(String text, List<String> chunks) implements Block {}

        record ToolUse(String id, String name, JsonNode input, List<String> chunks) implements Block {}

        record Thinking(String thinking, String signature, List<String> chunks) implements Block {}
    }

    /** The number of deltas that carry content (the ones the latency model paces). */
    int pacedDeltas() {
        return blocks.stream().mapToInt(b -> b.chunks().size()).sum();
    }

    /** Input tokens the model has to prefill: everything not read from the cache. */
    int prefilledTokens() {
        return inputTokens - cache.cacheRead();
    }

    Answer withCache(CacheUsage usage) {
        return new Answer(messageId, model, blocks, stopReason, stopSequence, inputTokens, outputTokens, thinkingTokens,
                usage, faults, filler, replay);
    }

    Answer withFaults(Faults delivery) {
        return new Answer(messageId, model, blocks, stopReason, stopSequence, inputTokens, outputTokens, thinkingTokens,
                cache, delivery, filler, replay);
    }
}
