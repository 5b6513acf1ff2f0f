package dev.sonde.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.journal.AttemptRecord;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.ToolLoopSpec;
import dev.sonde.suite.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Continues a conversation whose answer asks for tools ({@code stop_reason: tool_use}): the
 * assistant's blocks are appended, every {@code tool_use} is answered with the case's canned result
 * for that tool and input ({@link ToolLoopSpec#resultFor}) in one user turn of {@code tool_result}
 * blocks, and the conversation is sent again — at most {@code max_turns} requests. The trial's
 * exchange is the whole conversation: every assistant block in order (so tool checks see every
 * call), with a {@code "\n\n"} text block between turns that both have text (so its text joins the
 * turns' text with a blank line and no check matches across a turn boundary), the final stop
 * reason, {@link ConversationTimings} over the turns, and usage summed over the turns. A
 * conversation that still asks for tools at the limit is a {@code tool_loop_limit} error; a call no
 * result covers ends the conversation there as a {@code tool_result_missing} error naming the tool
 * and its input (nothing is sent for it); a next turn the budget refuses ends it as a
 * {@code budget} error.
 */
final class ToolLoop {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Between the text of two turns in the conversation's text. */
    static final String TURN_SEPARATOR = "\n\n";

    @FunctionalInterface
    interface Turn {
        Retrier.Attempts send(ObjectNode body) throws InterruptedException;
    }

    private ToolLoop() {}

    /** @param refusal why the budget refused the last turn {@code turn} could not send */
    static Retrier.Attempts continueUntilDone(Trial trial, ToolLoopSpec loop, Retrier.Attempts first, Turn turn,
            Supplier<Budget.Refused> refusal) throws InterruptedException {
        List<Exchange> turns = new ArrayList<>(List.of(first.last()));
        List<AttemptRecord> attempts = new ArrayList<>(first.attempts());
        long backoff = first.backoffNanos();
        ObjectNode body = trial.body();
        Exchange last = first.last();
        ApiFailure unanswered = null;
        ApiFailure refused = null;
        while (last.ok() && "tool_use".equals(last.stopReason()) && turns.size() < loop.maxTurns()) {
            unanswered = unanswered(last, loop);
            if (unanswered != null) {
                break;
            }
            body = next(body, last, loop);
            Retrier.Attempts o = turn.send(body);
            if (o.last() == null) { // the budget refused the next turn: the conversation ends where it is
                refused = new ApiFailure(ErrorClass.BUDGET, 0, null, "turn " + (turns.size() + 1)
                        + " of the tool loop was not sent: " + refusal.get().why());
                break;
            }
            last = o.last();
            turns.add(last);
            attempts.addAll(o.attempts());
            backoff += o.backoffNanos();
        }
        ApiFailure failure = unanswered != null ? unanswered : refused != null ? refused : last.failure();
        if (failure == null && "tool_use".equals(last.stopReason()) && turns.size() >= loop.maxTurns()) {
            failure = new ApiFailure(ErrorClass.TOOL_LOOP_LIMIT, 200, null,
                    "still asking for tools after " + loop.maxTurns() + " turns (tool_loop.max_turns)");
        }
        Exchange conversation = new Exchange(last.status(), last.requestId(), last.model(), content(turns),
                last.stopReason(), last.stopSequence(), summed(turns), ConversationTimings.of(turns), failure,
                last.hints());
        return new Retrier.Attempts(conversation, List.copyOf(attempts), backoff);
    }

    /** Every turn's blocks in order, with {@link #TURN_SEPARATOR} between turns that both have text. */
    private static List<ContentBlock> content(List<Exchange> turns) {
        List<ContentBlock> content = new ArrayList<>();
        boolean textSoFar = false;
        for (Exchange t : turns) {
            boolean hasText = !t.text().isEmpty();
            if (textSoFar && hasText) {
                content.add(new ContentBlock.Text(TURN_SEPARATOR));
            }
            content.addAll(t.content());
            textSoFar |= hasText;
        }
        return content;
    }

    /** The failure for the first of {@code answer}'s tool calls that no result covers, or null. */
    static ApiFailure unanswered(Exchange answer, ToolLoopSpec loop) {
        for (ContentBlock.ToolUse t : answer.toolUses()) {
            if (loop.resultFor(t.name(), t.input()) == null) {
                return new ApiFailure(ErrorClass.TOOL_RESULT_MISSING, 200, null, "no tool_loop result for "
                        + t.name() + " with input " + t.input() + " (tool_loop.results." + t.name()
                        + ": no answer's 'when' matches, and there is no fallback or default)");
            }
        }
        return null;
    }

    /** The request that answers {@code answer}'s tool calls (each must have a result, see {@link #unanswered}). */
    static ObjectNode next(ObjectNode body, Exchange answer, ToolLoopSpec loop) {
        ObjectNode next = body.deepCopy();
        ArrayNode messages = (ArrayNode) next.get("messages");
        ArrayNode assistant = messages.addObject().put("role", "assistant").putArray("content");
        ArrayNode results = F.arrayNode();
        for (ContentBlock b : answer.content()) {
            switch (b) {
                case ContentBlock.Text t -> assistant.addObject().put("type", "text").put("text", t.text());
                case ContentBlock.Thinking t -> assistant.addObject().put("type", "thinking").put("thinking", t.thinking())
                        .put("signature", t.signature());
                case ContentBlock.Other o -> assistant.add(o.raw());
                case ContentBlock.ToolUse t -> {
                    assistant.addObject().put("type", "tool_use").put("id", t.id()).put("name", t.name())
                            .set("input", t.input());
                    results.addObject().put("type", "tool_result").put("tool_use_id", t.id())
                            .put("content", loop.resultFor(t.name(), t.input()));
                }
            }
        }
        messages.addObject().put("role", "user").set("content", results);
        return next;
    }

    /** Token counts summed over the turns (the cost is summed by the runner from each turn's own usage). */
    private static Usage summed(List<Exchange> turns) {
        ObjectNode u = F.objectNode();
        long in = 0;
        long out = 0;
        long write = 0;
        long read = 0;
        long w5 = 0;
        long w1 = 0;
        for (Exchange e : turns) {
            Usage x = e.usage();
            in += x.inputTokens();
            out += x.outputTokens();
            write += x.cacheCreationInputTokens();
            read += x.cacheReadInputTokens();
            w5 += x.cacheWrite5mTokens();
            w1 += x.cacheWrite1hTokens();
        }
        u.put("input_tokens", in).put("output_tokens", out).put("cache_creation_input_tokens", write)
                .put("cache_read_input_tokens", read);
        u.putObject("cache_creation").put("ephemeral_5m_input_tokens", w5).put("ephemeral_1h_input_tokens", w1);
        JsonNode tier = turns.get(turns.size() - 1).usage().raw().get("service_tier");
        if (tier != null) {
            u.set("service_tier", tier);
        }
        u.put("turns", turns.size());
        return Usage.fromJson(u);
    }
}
