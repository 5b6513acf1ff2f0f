package dev.sonde.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an {@link Answer} in the Messages API wire format (API-SPEC §3–§5): the JSON message,
 * the SSE event sequence with the pacing delay before each event, and error bodies. Usage always
 * carries the cache fields and the {@code cache_creation} split from {@link Answer#cache()},
 * {@code output_tokens_details.thinking_tokens} when the answer thought, and the service tier
 * ({@code standard}, or {@code batch} for batch results); {@code message_delta.usage} is
 * cumulative and final, so it equals the JSON usage. A recorded answer's usage is its recorded
 * one, whole, in the JSON and in {@code message_delta} (and in {@code message_start} with the
 * output so far), so a client that merges them gets exactly what was recorded. Stateless.
 */
final class Wire {
    static final String STANDARD = "standard";

    private Wire() {}

    /** One SSE event, rendered, and how long to wait before writing it. */
    record Event(String name, byte[] bytes, long delayNanos) {
        /** A content delta: what {@code *_after_deltas} faults count. */
        boolean isDelta() {
            return name.equals("content_block_delta") || name.equals("chunk");
        }
    }

    static ObjectNode message(Answer answer) {
        return message(answer, STANDARD);
    }

    static ObjectNode message(Answer answer, String serviceTier) {
        ObjectNode message = header(answer);
        ArrayNode content = message.putArray("content");
        for (Answer.Block block : answer.blocks()) {
            content.add(switch (block) {
                case Answer.Block.Text text -> Json.object().put("type", "text").put("text", text.text());
                case Answer.Block.ToolUse tool -> toolUse(tool).set("input", tool.input());
                case Answer.Block.Thinking t -> Json.object().put("type", "thinking").put("thinking", t.thinking())
                        .put("signature", t.signature());
            });
        }
        message.put("stop_reason", answer.stopReason());
        message.put("stop_sequence", answer.stopSequence());
        message.set("stop_details", stopDetails(answer));
        message.set("usage", usage(answer, answer.outputTokens(), serviceTier));
        return message;
    }

    static List<Event> events(Answer answer, LatencyModel.Schedule schedule) {
        List<Event> events = new ArrayList<>(answer.pacedDeltas() + 8);
        ObjectNode start = header(answer);
        start.putArray("content");
        start.putNull("stop_reason");
        start.putNull("stop_sequence");
        start.putNull("stop_details");
        start.set("usage", usage(answer, Math.min(1, answer.outputTokens()), STANDARD));
        events.add(event("message_start", Json.object().put("type", "message_start").set("message", start), 0));
        int paced = 0;
        boolean ttftSpent = false;
        // a recorded answer's schedule times its signature deltas too (they were gaps on the wire)
        boolean pacedSignatures = schedule.gapNanos().length > answer.pacedDeltas();
        for (int index = 0; index < answer.blocks().size(); index++) {
            Answer.Block block = answer.blocks().get(index);
            ObjectNode startBlock = switch (block) {
                case Answer.Block.Text ignored -> Json.object().put("type", "text").put("text", "");
                case Answer.Block.ToolUse tool -> toolUse(tool).set("input", Json.object());
                case Answer.Block.Thinking ignored -> Json.object().put("type", "thinking").put("thinking", "")
                        .put("signature", "");
            };
            events.add(event("content_block_start", Json.object().put("type", "content_block_start")
                    .put("index", index).set("content_block", startBlock), 0));
            if (index == 0) {
                events.add(event("ping", Json.object().put("type", "ping"), 0));
            }
            if (block instanceof Answer.Block.ToolUse) {
                events.add(delta(index, "input_json_delta", "partial_json", "", 0));
            }
            for (String chunk : block.chunks()) {
                long delay = !ttftSpent ? schedule.ttftNanos() : schedule.gapNanos()[paced];
                ttftSpent = true;
                events.add(switch (block) {
                    case Answer.Block.Text ignored -> delta(index, "text_delta", "text", chunk, delay);
                    case Answer.Block.ToolUse ignored -> delta(index, "input_json_delta", "partial_json", chunk, delay);
                    case Answer.Block.Thinking ignored -> delta(index, "thinking_delta", "thinking", chunk, delay);
                });
                paced++;
            }
            if (block instanceof Answer.Block.Thinking thinking) {
                long delay = !ttftSpent ? schedule.ttftNanos() : pacedSignatures ? schedule.gapNanos()[paced] : 0;
                events.add(delta(index, "signature_delta", "signature", thinking.signature(), delay));
                ttftSpent = true;
                paced += pacedSignatures ? 1 : 0;
            }
            events.add(event("content_block_stop",
                    Json.object().put("type", "content_block_stop").put("index", index), 0));
        }
        ObjectNode delta = Json.object().put("stop_reason", answer.stopReason()).put("stop_sequence", answer.stopSequence());
        delta.set("stop_details", stopDetails(answer));
        CacheUsage cache = answer.cache();
        ObjectNode finalUsage = Json.object().put("input_tokens", cache.inputTokens())
                .put("cache_creation_input_tokens", cache.cacheCreation()).put("cache_read_input_tokens", cache.cacheRead())
                .put("output_tokens", answer.outputTokens());
        if (answer.thinkingTokens() > 0) {
            finalUsage.putObject("output_tokens_details").put("thinking_tokens", answer.thinkingTokens());
        }
        if (answer.replay() != null) {
            finalUsage = answer.replay().usage().deepCopy();
        }
        events.add(event("message_delta", Json.object().put("type", "message_delta").<ObjectNode>set("delta", delta)
                .set("usage", finalUsage), (ttftSpent ? 0 : schedule.ttftNanos()) + schedule.tailNanos()));
        events.add(event("message_stop", Json.object().put("type", "message_stop"), 0));
        return events;
    }

    static ObjectNode errorBody(ApiError error, String requestId) {
        ObjectNode body = Json.object().put("type", "error");
        body.putObject("error").put("type", error.type).put("message", error.getMessage());
        body.put("request_id", requestId);
        return body;
    }

    /** The {@code event: error} frame for a stream that breaks with {@code error}. */
    static byte[] errorEvent(ApiError error, String requestId) {
        return event("error", errorBody(error, requestId), 0).bytes();
    }

    private static ObjectNode header(Answer answer) {
        return Json.object().put("id", answer.messageId()).put("type", "message").put("role", "assistant")
                .put("model", answer.model());
    }

    private static ObjectNode toolUse(Answer.Block.ToolUse tool) {
        ObjectNode node = Json.object().put("type", "tool_use").put("id", tool.id()).put("name", tool.name());
        node.putObject("caller").put("type", "direct");
        return node;
    }

    private static ObjectNode stopDetails(Answer answer) {
        if (!"refusal".equals(answer.stopReason())) {
            return null;
        }
        return Json.object().put("type", "refusal").putNull("category").putNull("explanation");
    }

    private static ObjectNode usage(Answer answer, int outputTokens, String serviceTier) {
        if (answer.replay() != null) { // as recorded; message_start's carries the output so far
            ObjectNode recorded = answer.replay().usage().deepCopy();
            return outputTokens == answer.outputTokens() ? recorded : recorded.put("output_tokens", outputTokens);
        }
        CacheUsage cache = answer.cache();
        ObjectNode usage = Json.object().put("input_tokens", cache.inputTokens())
                .put("cache_creation_input_tokens", cache.cacheCreation()).put("cache_read_input_tokens", cache.cacheRead());
        usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", cache.cacheCreation5m())
                .put("ephemeral_1h_input_tokens", cache.cacheCreation1h());
        usage.put("output_tokens", outputTokens);
        if (answer.thinkingTokens() > 0 && outputTokens == answer.outputTokens()) {
            usage.putObject("output_tokens_details").put("thinking_tokens", answer.thinkingTokens());
        }
        return usage.put("service_tier", serviceTier);
    }

    private static Event delta(int index, String type, String field, String value, long delayNanos) {
        ObjectNode delta = Json.object().put("type", type).put(field, value);
        return event("content_block_delta", Json.object().put("type", "content_block_delta").put("index", index)
                .set("delta", delta), delayNanos);
    }

    private static Event event(String name, ObjectNode data, long delayNanos) {
        return new Event(name, ("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8), delayNanos);
    }
}
