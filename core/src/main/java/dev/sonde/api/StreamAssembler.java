package dev.sonde.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an {@link Exchange} from the events of one Messages SSE stream, timing each from its
 * arrival. TTFT is the first {@code text_delta} with non-empty text (never {@code message_start}
 * or the first byte); {@code ttftAny} and the inter-token gaps use content deltas of any kind
 * that carry a non-empty payload (the API opens every tool block with an empty
 * {@code input_json_delta}, which is framing, not output). Usage is the {@code message_start}
 * usage overwritten field by field by each cumulative {@code message_delta} usage.
 * Not thread-safe: events of one stream arrive in order on one thread at a time.
 */
final class StreamAssembler implements StreamDecoder {
    private final ObjectMapper json;
    private final String requestedModel;
    private final DeltaTimer timer;
    private ObjectNode usage = JsonNodeFactory.instance.objectNode();
    private final List<BlockBuilder> blocks = new ArrayList<>();
    private String model;
    private String stopReason;
    private String stopSequence;
    private boolean stopped;
    private ApiFailure failure;
    /** Bedrock's {@code amazon-bedrock-invocationMetrics} (ms), NaN until a chunk carries them. */
    private double serverFirstByteMs = Double.NaN;
    private double serverLatencyMs = Double.NaN;

    StreamAssembler(ObjectMapper json, long startNanos, String requestedModel) {
        this.json = json;
        this.requestedModel = requestedModel;
        this.timer = new DeltaTimer(startNanos);
    }

    @Override
    public void headersAt(long nanos) {
        timer.headersAt(nanos);
    }

    @Override
    public boolean finished() {
        return stopped || failure != null;
    }

    @Override
    public void onEvent(String event, String data, long at) {
        if (failure != null || stopped) {
            return;
        }
        JsonNode node;
        try {
            node = json.readTree(data);
        } catch (JsonProcessingException e) {
            fail(ErrorClass.STREAM_BROKEN, null, "event '" + event + "' carried invalid JSON");
            return;
        }
        String type = event != null ? event : node.path("type").asText();
        JsonNode metrics = node.path("amazon-bedrock-invocationMetrics");
        if (metrics.isObject()) { // on the last chunk of a Bedrock invoke stream
            serverFirstByteMs = metrics.path("firstByteLatency").isNumber()
                    ? metrics.get("firstByteLatency").asDouble() : Double.NaN;
            serverLatencyMs = metrics.path("invocationLatency").isNumber()
                    ? metrics.get("invocationLatency").asDouble() : Double.NaN;
        }
        switch (type) {
            case "message_start" -> {
                JsonNode message = node.path("message");
                model = message.path("model").asText(null);
                Usage.merge(usage, message.path("usage"));
            }
            case "content_block_start" -> startBlock(node.path("index").asInt(blocks.size()), node.path("content_block"));
            case "content_block_delta" -> delta(node.path("index").asInt(), node.path("delta"), at);
            case "message_delta" -> {
                JsonNode delta = node.path("delta");
                if (delta.hasNonNull("stop_reason")) {
                    stopReason = delta.get("stop_reason").asText();
                }
                if (delta.hasNonNull("stop_sequence")) {
                    stopSequence = delta.get("stop_sequence").asText();
                }
                Usage.merge(usage, node.path("usage"));
            }
            case "message_stop" -> {
                stopped = true;
                timer.endAt(at);
            }
            case "error" -> {
                JsonNode error = node.path("error");
                String errorType = error.path("type").asText(null);
                fail(ErrorClass.ofType(errorType, 200), errorType, error.path("message").asText(""));
            }
            default -> { } // ping, content_block_stop and event types added later carry nothing we time
        }
    }

    private void startBlock(int index, JsonNode block) {
        while (blocks.size() <= index) {
            blocks.add(null);
        }
        blocks.set(index, new BlockBuilder(block.deepCopy()));
    }

    private void delta(int index, JsonNode delta, long at) {
        BlockBuilder block = index < blocks.size() ? blocks.get(index) : null;
        String kind = delta.path("type").asText();
        String payload = switch (kind) {
            case "text_delta" -> delta.path("text").asText("");
            case "input_json_delta" -> delta.path("partial_json").asText("");
            case "thinking_delta" -> delta.path("thinking").asText("");
            case "signature_delta" -> delta.path("signature").asText("");
            default -> delta.toString();
        };
        if (block != null) {
            block.append(kind, payload);
        }
        timer.delta(at, kind.equals("text_delta"), !payload.isEmpty());
    }

    @Override
    public void fail(ErrorClass errorClass, String type, String message) {
        if (failure == null) {
            failure = new ApiFailure(errorClass, 200, type, message);
        }
    }

    /** The exchange as far as it got; a stream that ended without {@code message_stop} is broken. */
    @Override
    public boolean hasContent() {
        return timer.hasContent();
    }

    @Override
    public Exchange toExchange(int status, String requestId, ServerHints hints) {
        if (!stopped && failure == null) {
            failure = new ApiFailure(ErrorClass.STREAM_BROKEN, status, null, "stream ended before message_stop");
        }
        List<ContentBlock> content = new ArrayList<>(blocks.size());
        for (BlockBuilder b : blocks) {
            if (b != null) {
                content.add(b.build(json));
            }
        }
        Timings timings = timer.timings();
        if (!Double.isNaN(serverFirstByteMs) || !Double.isNaN(serverLatencyMs)) {
            hints = (hints == null ? ServerHints.NONE : hints).withServerTimings(serverFirstByteMs, serverLatencyMs);
        }
        return new Exchange(status, requestId, model != null ? model : requestedModel, content, stopReason,
                stopSequence, Usage.fromJson(usage), timings, failure, hints);
    }

    /** Accumulates one content block's deltas. */
    private static final class BlockBuilder {
        private final ObjectNode start;
        private final StringBuilder text = new StringBuilder();
        private String signature;

        BlockBuilder(ObjectNode start) {
            this.start = start;
        }

        void append(String kind, String payload) {
            if (kind.equals("signature_delta")) {
                signature = payload; // replaces, never concatenates
            } else {
                text.append(payload);
            }
        }

        ContentBlock build(ObjectMapper json) {
            String type = start.path("type").asText();
            return switch (type) {
                case "text" -> new ContentBlock.Text(start.path("text").asText("") + text);
                case "thinking" -> new ContentBlock.Thinking(start.path("thinking").asText("") + text,
                        signature != null ? signature : start.path("signature").asText(""));
                case "tool_use", "server_tool_use" -> {
                    JsonNode input = start.path("input");
                    if (!text.isEmpty()) {
                        try {
                            input = json.readTree(text.toString());
                        } catch (JsonProcessingException e) {
                            input = JsonNodeFactory.instance.objectNode(); // as the SDKs do for invalid partial JSON
                        }
                    }
                    if (type.equals("tool_use")) {
                        yield new ContentBlock.ToolUse(start.path("id").asText(), start.path("name").asText(), input);
                    }
                    start.set("input", input);
                    yield new ContentBlock.Other(type, start);
                }
                default -> new ContentBlock.Other(type, start);
            };
        }
    }
}
