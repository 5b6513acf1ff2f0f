package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible (API-SPEC §11): the body is translated to
 * a Messages request ({@link ChatTranslation}) and answered by the same pipeline, so answers,
 * faults, rate limits and prompt caching (via {@code cache_control} passed through on content
 * parts, or at the top level) behave as on {@code /v1/messages}. Rendering: one choice;
 * {@code finish_reason} {@code stop} (end_turn, stop_sequence), {@code length}, {@code tool_calls}
 * or {@code content_filter} (refusal); thinking is counted in {@code completion_tokens} but not
 * returned; usage {@code prompt_tokens} = all input tokens, {@code prompt_tokens_details.
 * cached_tokens} = cache reads (OpenAI semantics: a subset of prompt tokens). Streams are
 * {@code data:} chunks ending with {@code data: [DONE]}; with {@code stream_options.include_usage}
 * every chunk has {@code usage: null} and one last chunk with empty {@code choices} carries the
 * usage. {@code created} is the clock's epoch second. Thread-safe.
 */
final class ChatCompletions {
    private final MessagesEndpoint messages;
    private final Clock clock;

    ChatCompletions(MessagesEndpoint messages, Clock clock) {
        this.messages = messages;
        this.clock = clock;
    }

    void handle(Request request, Response response, Trace trace, String apiKey, JsonNode body)
            throws IOException, InterruptedException {
        ObjectNode translated = ChatTranslation.toMessages(body);
        MessagesRequest parsed = RequestValidator.parse(translated, false);
        trace.stream = parsed.stream();
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        MessagesEndpoint.Prepared p = messages.prepare(response, apiKey, parsed, request.getHeaders().get(Faults.HEADER));
        response.getHeaders().put("openai-version", "2020-10-01");
        // the cache writes become readable when the prefill is over: at a stream's first content delta,
        // just before a JSON answer's first byte (Delivery)
        Runnable commitWrites = () -> messages.cache().commit(p.plan());
        long created = clock.now().getEpochSecond();
        String id = "chatcmpl-" + p.answer().messageId().substring("msg_01".length());
        if (!parsed.stream()) {
            byte[] json = completion(p.answer(), id, created).toString().getBytes(StandardCharsets.UTF_8);
            Delivery.json(request, response, json, p.schedule().totalNanos(), p.answer().faults(), trace, commitWrites, clock);
            return;
        }
        Delivery.sse(request, response, chunks(p.answer(), p.schedule(), id, created, includeUsage), p.answer().faults(),
                trace, e -> ("data: " + errorBody(e) + "\n\n").getBytes(StandardCharsets.UTF_8), commitWrites, clock);
    }

    static ObjectNode errorBody(ApiError error) {
        ObjectNode body = Json.object();
        body.putObject("error").put("message", error.getMessage()).put("type", error.type).putNull("param").putNull("code");
        return body;
    }

    private static ObjectNode completion(Answer answer, String id, long created) {
        ObjectNode out = Json.object().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", answer.model());
        ObjectNode message = Json.object().put("role", "assistant");
        String text = text(answer);
        if (text.isEmpty() && hasTool(answer)) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (Answer.Block block : answer.blocks()) {
            if (block instanceof Answer.Block.ToolUse tool) {
                ObjectNode call = calls.addObject().put("id", tool.id()).put("type", "function");
                call.putObject("function").put("name", tool.name()).put("arguments", tool.input().toString());
            }
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(answer.stopReason()));
        out.set("usage", usage(answer));
        return out;
    }

    private static List<Wire.Event> chunks(Answer answer, LatencyModel.Schedule schedule, String id, long created,
                                           boolean includeUsage) {
        List<Wire.Event> events = new ArrayList<>();
        ObjectNode role = Json.object().put("role", "assistant").put("content", "");
        events.add(chunk("meta", id, created, answer.model(), role, null, includeUsage, 0));
        long carried = 0;
        int paced = 0;
        int toolIndex = 0;
        for (Answer.Block block : answer.blocks()) {
            if (block instanceof Answer.Block.ToolUse tool) {
                ObjectNode call = Json.object().put("index", toolIndex).put("id", tool.id()).put("type", "function");
                call.putObject("function").put("name", tool.name()).put("arguments", "");
                ObjectNode delta = Json.object();
                delta.putArray("tool_calls").add(call);
                events.add(chunk("meta", id, created, answer.model(), delta, null, includeUsage, 0));
            }
            for (String piece : block.chunks()) {
                long delay = carried + (paced == 0 ? schedule.ttftNanos() : schedule.gapNanos()[paced]);
                paced++;
                ObjectNode delta = Json.object();
                switch (block) {
                    case Answer.Block.Thinking ignored -> {
                        carried = delay;
                        continue;
                    }
                    case Answer.Block.Text ignored -> delta.put("content", piece);
                    case Answer.Block.ToolUse ignored -> {
                        ObjectNode call = Json.object().put("index", toolIndex);
                        call.putObject("function").put("arguments", piece);
                        delta.putArray("tool_calls").add(call);
                    }
                }
                carried = 0;
                events.add(chunk("chunk", id, created, answer.model(), delta, null, includeUsage, delay));
            }
            if (block instanceof Answer.Block.ToolUse) {
                toolIndex++;
            }
        }
        long finalDelay = carried + (paced == 0 ? schedule.ttftNanos() : 0);
        events.add(chunk("meta", id, created, answer.model(), Json.object(), finishReason(answer.stopReason()),
                includeUsage, finalDelay));
        if (includeUsage) {
            ObjectNode last = Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                    .put("model", answer.model()).putNull("system_fingerprint");
            last.putArray("choices");
            last.set("usage", usage(answer));
            events.add(new Wire.Event("meta", ("data: " + last + "\n\n").getBytes(StandardCharsets.UTF_8), 0));
        }
        events.add(new Wire.Event("done", "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8), 0));
        return events;
    }

    private static Wire.Event chunk(String kind, String id, long created, String model, ObjectNode delta, String finish,
                                    boolean includeUsage, long delayNanos) {
        ObjectNode out = Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model).putNull("system_fingerprint");
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        if (includeUsage) {
            out.putNull("usage");
        }
        return new Wire.Event(kind, ("data: " + out + "\n\n").getBytes(StandardCharsets.UTF_8), delayNanos);
    }

    private static ObjectNode usage(Answer answer) {
        ObjectNode usage = Json.object().put("prompt_tokens", answer.inputTokens())
                .put("completion_tokens", answer.outputTokens())
                .put("total_tokens", answer.inputTokens() + answer.outputTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", answer.cache().cacheRead());
        usage.putObject("completion_tokens_details").put("reasoning_tokens", answer.thinkingTokens());
        return usage;
    }

    private static String finishReason(String stopReason) {
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    private static String text(Answer answer) {
        StringBuilder out = new StringBuilder();
        for (Answer.Block block : answer.blocks()) {
            if (block instanceof Answer.Block.Text text) {
                out.append(text.text());
            }
        }
        return out.toString();
    }

    private static boolean hasTool(Answer answer) {
        return answer.blocks().stream().anyMatch(b -> b instanceof Answer.Block.ToolUse);
    }
}
