package dev.sonde.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an {@link Answer} in the Messages API wire format (API-SPEC §3–§5): the JSON message,
 * the SSE event sequence with the pacing delay before each event, and error bodies. Usage always
 * carries the cache fields (0) and the {@code cache_creation} split with {@code service_tier:
 * standard}; {@code message_delta.usage} is cumulative and final, so it equals the JSON usage.
 * Stateless.
 */
final class Wire {
    private Wire() {}

    /** One SSE event and how long to wait before writing it. */
    record Event(String name, String data, long delayNanos) {
        byte[] bytes() {
            return ("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    static ObjectNode message(Answer answer) {
        ObjectNode message = header(answer);
        ArrayNode content = message.putArray("content");
        for (Answer.Block block : answer.blocks()) {
            content.add(switch (block) {
                case Answer.Block.Text text -> Json.object().put("type", "text").put("text", text.text());
                case Answer.Block.ToolUse tool -> toolUse(tool).set("input", tool.input());
            });
        }
        message.put("stop_reason", answer.stopReason());
        message.put("stop_sequence", answer.stopSequence());
        message.set("stop_details", stopDetails(answer));
        message.set("usage", usage(answer, answer.outputTokens()));
        return message;
    }

    static List<Event> events(Answer answer, LatencyModel.Schedule schedule, String requestId) {
        List<Event> events = new ArrayList<>();
        ObjectNode start = header(answer);
        start.putArray("content");
        start.putNull("stop_reason");
        start.putNull("stop_sequence");
        start.putNull("stop_details");
        start.set("usage", usage(answer, Math.min(1, answer.outputTokens())));
        events.add(event("message_start", Json.object().put("type", "message_start").set("message", start), 0));
        int paced = 0;
        for (int index = 0; index < answer.blocks().size(); index++) {
            Answer.Block block = answer.blocks().get(index);
            ObjectNode startBlock = switch (block) {
                case Answer.Block.Text ignored -> Json.object().put("type", "text").put("text", "");
                case Answer.Block.ToolUse tool -> toolUse(tool).set("input", Json.object());
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
                long delay = paced == 0 ? schedule.ttftNanos() : schedule.gapNanos()[paced];
                events.add(block instanceof Answer.Block.Text
                        ? delta(index, "text_delta", "text", chunk, delay)
                        : delta(index, "input_json_delta", "partial_json", chunk, delay));
                paced++;
            }
            events.add(event("content_block_stop",
                    Json.object().put("type", "content_block_stop").put("index", index), 0));
        }
        ObjectNode delta = Json.object().put("stop_reason", answer.stopReason()).put("stop_sequence", answer.stopSequence());
        delta.set("stop_details", stopDetails(answer));
        ObjectNode finalUsage = Json.object().put("input_tokens", answer.inputTokens())
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0)
                .put("output_tokens", answer.outputTokens());
        events.add(event("message_delta", Json.object().put("type", "message_delta").<ObjectNode>set("delta", delta)
                .set("usage", finalUsage), paced == 0 ? schedule.ttftNanos() : 0));
        events.add(event("message_stop", Json.object().put("type", "message_stop"), 0));
        if (answer.midStreamError() != null) {
            int keep = Math.min(answer.midStreamError().afterEvents(), events.size() - 1);
            List<Event> cut = new ArrayList<>(events.subList(0, keep));
            cut.add(event("error", errorBody(answer.midStreamError().error(), requestId), 0));
            return cut;
        }
        return events;
    }

    static ObjectNode errorBody(ApiError error, String requestId) {
        ObjectNode body = Json.object().put("type", "error");
        body.putObject("error").put("type", error.type).put("message", error.getMessage());
        body.put("request_id", requestId);
        return body;
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

    private static ObjectNode usage(Answer answer, int outputTokens) {
        ObjectNode usage = Json.object().put("input_tokens", answer.inputTokens())
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
        usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", 0).put("ephemeral_1h_input_tokens", 0);
        return usage.put("output_tokens", outputTokens).put("service_tier", "standard");
    }

    private static Event delta(int index, String type, String field, String value, long delayNanos) {
        ObjectNode delta = Json.object().put("type", type).put(field, value);
        return event("content_block_delta", Json.object().put("type", "content_block_delta").put("index", index)
                .set("delta", delta), delayNanos);
    }

    private static Event event(String name, ObjectNode data, long delayNanos) {
        return new Event(name, data.toString(), delayNanos);
    }
}
