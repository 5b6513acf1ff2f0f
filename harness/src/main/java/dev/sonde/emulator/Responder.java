package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides what the emulator answers: the first matching {@link Rule}, else the deterministic
 * generator (text, or with {@code tool_choice} {@code any}/{@code tool} a tool call whose input is
 * generated from the tool's {@code input_schema}). Every random choice comes from the request
 * seed ({@link Seeds#forRequest}), so the same request gets the same answer in any order and at
 * any concurrency. Limits apply to generated and scripted text alike: the earliest stop sequence
 * that is fully produced within {@code max_tokens} cuts the text before it ({@code stop_sequence};
 * its tokens count as output); otherwise the text is cut after {@code max_tokens} tokens
 * ({@code max_tokens}). A tool call that does not fit in the remaining tokens is dropped and
 * the answer stops with {@code max_tokens}. Rule-error replies are thrown as {@link ApiError}.
 * Thread-safe.
 */
final class Responder {
    private final long configSeed;
    private final Rules rules;

    Responder(long configSeed, Rules rules) {
        this.configSeed = configSeed;
        this.rules = rules;
    }

    private sealed interface Raw {}

    private record RawText(String text) implements Raw {}

    private record RawTool(String name, JsonNode input) implements Raw {}

    Answer answer(MessagesRequest request) {
        long seed = Seeds.forRequest(configSeed, request.body());
        SplittableRandom rng = new SplittableRandom(seed);
        Rule.Reply reply = rules.match(request).map(Rule::reply).orElse(null);
        Rule.Reply.Failure midStream = null;
        boolean refusal = false;
        List<Raw> raw = new ArrayList<>();
        switch (reply) {
            case null -> raw.addAll(generated(request, rng));
            case Rule.Reply.Failure failure -> {
                if (failure.afterEvents() < 0 || !request.stream()) {
                    throw failure.error();
                }
                midStream = failure;
                raw.addAll(generated(request, rng));
            }
            case Rule.Reply.Refusal r -> {
                refusal = true;
                if (r.text() != null) {
                    raw.add(new RawText(fill(r.text(), request)));
                }
            }
            case Rule.Reply.Content c -> {
                if (c.text() != null) {
                    raw.add(new RawText(fill(c.text(), request)));
                }
                if (c.toolName() != null) {
                    JsonNode input = c.toolInput() != null
                            ? c.toolInput() : SchemaValues.generate(request.schemaOf(c.toolName()), rng);
                    raw.add(new RawTool(c.toolName(), input));
                }
            }
        }
        return limit(request, raw, refusal, midStream, seed, rng);
    }

    private static List<Raw> generated(MessagesRequest request, SplittableRandom rng) {
        if (request.toolChoice().equals("tool") || request.toolChoice().equals("any")) {
            String name = request.toolName();
            if (name == null) {
                List<JsonNode> custom = request.tools().stream().filter(t -> t.has("input_schema")).toList();
                List<JsonNode> pool = custom.isEmpty() ? request.tools() : custom;
                name = pool.get(rng.nextInt(pool.size())).path("name").asText();
            }
            return List.of(new RawTool(name, SchemaValues.generate(request.schemaOf(name), rng)));
        }
        return List.of(new RawText(TextGenerator.generate(rng, TextGenerator.naturalLength(rng))));
    }

    private static String fill(String template, MessagesRequest request) {
        return template.replace("{{model}}", request.model()).replace("{{last_user_text}}", request.lastUserText());
    }

    private static Answer limit(MessagesRequest request, List<Raw> raw, boolean refusal, Rule.Reply.Failure midStream,
                                long seed, SplittableRandom rng) {
        int budget = request.maxTokens();
        int used = 0;
        String stopReason = null;
        String stopSequence = null;
        boolean toolCalled = false;
        List<Answer.Block> blocks = new ArrayList<>();
        for (Raw item : raw) {
            if (item instanceof RawText(String text)) {
                String kept = text;
                int cost = Tokens.count(text);
                int at = -1;
                for (String stop : request.stopSequences()) {
                    int i = text.indexOf(stop);
                    if (i >= 0 && (at < 0 || i < at)) {
                        at = i;
                        stopSequence = stop;
                    }
                }
                if (stopSequence != null) {
                    int withStop = Tokens.count(text.substring(0, at + stopSequence.length()));
                    if (used + withStop <= budget) {
                        kept = text.substring(0, at);
                        cost = withStop;
                        stopReason = "stop_sequence";
                    } else {
                        stopSequence = null;
                    }
                }
                if (stopReason == null && used + cost > budget) {
                    kept = Tokens.prefix(text, budget - used);
                    cost = budget - used;
                    stopReason = "max_tokens";
                }
                used += cost;
                if (!kept.isEmpty()) {
                    blocks.add(new Answer.Block.Text(kept, chunks(kept, rng)));
                }
            } else if (item instanceof RawTool(String name, JsonNode input)) {
                String json = input.toString();
                int cost = Tokens.count(name) + Tokens.count(json);
                if (used + cost > budget) {
                    used = budget;
                    stopReason = "max_tokens";
                } else {
                    used += cost;
                    toolCalled = true;
                    String id = Seeds.id("toolu", Seeds.mix(seed, blocks.size() + 1));
                    blocks.add(new Answer.Block.ToolUse(id, name, input, chunks(json, rng)));
                }
            }
            if (stopReason != null) {
                break;
            }
        }
        if (stopReason == null) {
            stopReason = refusal ? "refusal" : toolCalled ? "tool_use" : "end_turn";
        }
        return new Answer(Seeds.id("msg", seed), request.model(), List.copyOf(blocks), stopReason, stopSequence,
                request.inputTokens(), used, midStream);
    }

    /** Groups the tokens of {@code text} into deltas of 1–4 tokens. */
    static List<String> chunks(String text, SplittableRandom rng) {
        List<String> tokens = Tokens.split(text);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); ) {
            int take = Math.min(tokens.size() - i, 1 + rng.nextInt(4));
            out.add(String.join("", tokens.subList(i, i + take)));
            i += take;
        }
        return out;
    }
}
