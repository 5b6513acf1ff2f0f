package dev.sonde.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A chat-completions stream ({@code data:} chunks, ending with {@code data: [DONE]}) timed like a
 * Messages stream: TTFT at the first non-empty {@code delta.content}; {@code ttftAny} and gaps over
 * content and tool-argument deltas with a payload. Usage comes from the last chunk that carries
 * it ({@code stream_options.include_usage}). A stream that closes after a {@code finish_reason}
 * but without {@code [DONE]} is accepted (several gateways omit it); one that closes before is
 * broken. Not thread-safe.
 */
final class ChatStreamDecoder implements StreamDecoder {
    private final ObjectMapper json;
    private final String requestedModel;
    private final DeltaTimer timer;
    private long lastEventNanos;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, String[]> toolCalls = new TreeMap<>(); // index → {id, name, arguments}
    private String model;
    private String finish;
    private JsonNode usage;
    private boolean done;
    private ApiFailure failure;

    ChatStreamDecoder(ObjectMapper json, long startNanos, String requestedModel) {
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
        return done || failure != null;
    }

    @Override
    public boolean hasContent() {
        return timer.hasContent();
    }

    @Override
    public void onEvent(String event, String data, long at) {
        if (finished()) {
            return;
        }
        lastEventNanos = at;
        if (data.strip().equals("[DONE]")) {
            done = true;
            timer.endAt(at);
            return;
        }
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (JsonProcessingException e) {
            fail(ErrorClass.STREAM_BROKEN, null, "a chunk carried invalid JSON");
            return;
        }
        if (chunk.has("error")) {
            JsonNode error = chunk.get("error");
            fail(ErrorClass.SERVER_ERROR, error.path("type").asText(null), error.path("message").asText(""));
            return;
        }
        if (chunk.hasNonNull("model")) {
            model = chunk.get("model").asText();
        }
        if (chunk.path("usage").isObject()) {
            usage = chunk.get("usage");
        }
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            String content = delta.path("content").asText("");
            if (!content.isEmpty()) {
                text.append(content);
                timer.delta(at, true, true);
            }
            for (JsonNode call : delta.path("tool_calls")) {
                String[] acc = toolCalls.computeIfAbsent(call.path("index").asInt(0), k -> new String[] {"", "", ""});
                if (call.hasNonNull("id")) {
                    acc[0] = call.get("id").asText();
                }
                JsonNode fn = call.path("function");
                if (fn.hasNonNull("name")) {
                    acc[1] = fn.get("name").asText();
                }
                String args = fn.path("arguments").asText("");
                acc[2] += args;
                timer.delta(at, false, !args.isEmpty());
            }
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.get("finish_reason").asText();
            }
        }
    }

    @Override
    public void fail(ErrorClass errorClass, String type, String message) {
        if (failure == null) {
            failure = new ApiFailure(errorClass, 200, type, message);
        }
    }

    @Override
    public Exchange toExchange(int status, String requestId, ServerHints hints) {
        if (!done && failure == null) {
            if (finish != null) {
                done = true; // closed after finish_reason without [DONE]
                timer.endAt(lastEventNanos);
            } else {
                failure = new ApiFailure(ErrorClass.STREAM_BROKEN, status, null, "stream ended before [DONE]");
            }
        }
        List<ContentBlock> content = new ArrayList<>();
        if (!text.isEmpty()) {
            content.add(new ContentBlock.Text(text.toString()));
        }
        toolCalls.values().forEach(c -> content.add(new ContentBlock.ToolUse(c[0], c[1], ChatProtocol.arguments(c[2]))));
        Timings timings = timer.timings();
        Usage u = usage == null ? Usage.NONE : ChatProtocol.usage(usage);
        return new Exchange(status, requestId, model != null ? model : requestedModel, content,
                ChatProtocol.stopReason(finish), null, u, timings, failure, hints);
    }
}
