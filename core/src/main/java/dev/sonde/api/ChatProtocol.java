package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Jackson;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI-compatible chat completions read into the same {@link Exchange} as the Messages API:
 * {@code finish_reason} maps to a stop reason ({@code stop}→{@code end_turn},
 * {@code length}→{@code max_tokens}, {@code tool_calls}→{@code tool_use},
 * {@code content_filter}→{@code refusal}); usage maps {@code prompt_tokens − cached_tokens} to
 * input, {@code prompt_tokens_details.cached_tokens} to cache reads, {@code completion_tokens} to
 * output (the raw usage object is kept as returned).
 */
final class ChatProtocol implements WireProtocol {
    static final ChatProtocol INSTANCE = new ChatProtocol();

    private ChatProtocol() {}

    @Override
    public StreamDecoder decoder(ObjectMapper json, long startNanos, String requestedModel) {
        return new ChatStreamDecoder(json, startNanos, requestedModel);
    }

    @Override
    public Exchange message(int status, String requestId, ServerHints hints, JsonNode body, Timings t, String model) {
        JsonNode choices = body.path("choices");
        if (!choices.isArray()) {
            return null;
        }
        JsonNode choice = choices.path(0);
        JsonNode message = choice.path("message");
        List<ContentBlock> content = new ArrayList<>();
        String text = message.path("content").asText("");
        if (!text.isEmpty()) {
            content.add(new ContentBlock.Text(text));
        }
        for (JsonNode call : message.path("tool_calls")) {
            content.add(new ContentBlock.ToolUse(call.path("id").asText(), call.path("function").path("name").asText(),
                    arguments(call.path("function").path("arguments").asText(""))));
        }
        return new Exchange(status, requestId, body.path("model").asText(model), content,
                stopReason(choice.path("finish_reason").asText(null)), null, usage(body.path("usage")), t, null, hints);
    }

    @Override
    public ApiFailure error(int status, byte[] body, ObjectMapper json) {
        String[] typeAndMessage = HttpTransport.errorBody(body, json);
        // OpenAI's types (invalid_request_error, rate_limit_exceeded, …) differ: classify by status.
        return new ApiFailure(ErrorClass.ofStatus(status), status, typeAndMessage[0], typeAndMessage[1]);
    }

    static String stopReason(String finish) {
        if (finish == null) {
            return null;
        }
        return switch (finish) {
            case "stop" -> "end_turn";
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> finish;
        };
    }

    static Usage usage(JsonNode u) {
        if (!u.isObject()) {
            return Usage.NONE;
        }
        long prompt = u.path("prompt_tokens").asLong(0);
        long cached = u.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        return new Usage(Math.max(0, prompt - cached), u.path("completion_tokens").asLong(0), 0, cached, 0, 0, false,
                null, (ObjectNode) u.deepCopy());
    }

    private static final ObjectMapper ARGUMENTS = Jackson.plain();

    static JsonNode arguments(String json) {
        try {
            JsonNode n = ARGUMENTS.readTree(json);
            return n == null || !n.isObject() ? JsonNodeFactory.instance.objectNode() : n;
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
