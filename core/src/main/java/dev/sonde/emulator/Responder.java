package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
 * the answer stops with {@code max_tokens}. With {@code thinking} enabled or adaptive the answer
 * opens with a thinking block (generated text within {@code budget_tokens}, empty with
 * {@code display: omitted} but still counted; a seeded signature); with
 * {@code output_config.format} of type {@code json_schema} generated text is compact JSON that
 * satisfies the schema. Rule errors before the response are thrown as {@link ApiError}; a rule's
 * faults (and {@code error.after_events}) travel on the answer. An answer no rule matched is
 * marked {@link Answer#filler()}: its content is the generator's. Thread-safe.
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

    static final int MIN_THINKING_TOKENS = 20;
    static final int MAX_THINKING_TOKENS = 160;
    private static final long THINKING_SALT = 0x7468696E6BL;

    Answer answer(MessagesRequest request) {
        return answer(request, 0);
    }

    /** The answer to {@code request}, the {@code requestNumber}-th {@code /v1/messages} request (for rules). */
    Answer answer(MessagesRequest request, long requestNumber) {
        return answer(request, requestNumber, -1);
    }

    /**
     * As {@link #answer(MessagesRequest, long)}, for the {@code repeat}-th repeat of a trial (-1: not
     * said), which picks among recorded answers to the same request ({@link Rules}).
     */
    Answer answer(MessagesRequest request, long requestNumber, int repeat) {
        return answer(request, requestNumber, new Recording.Asker(null, repeat));
    }

    /** As {@link #answer(MessagesRequest, long, int)}, for the suite model and repeat the harness said it was. */
    Answer answer(MessagesRequest request, long requestNumber, Recording.Asker asker) {
        long seed = Seeds.forRequest(configSeed, request.body());
        SplittableRandom rng = new SplittableRandom(seed);
        Rule rule = rules.match(request, requestNumber, configSeed, asker).orElse(null);
        Rule.Reply reply = rule == null ? null : rule.reply();
        Faults faults = rule == null ? Faults.NONE : rule.faults();
        boolean refusal = false;
        List<Raw> raw = new ArrayList<>();
        switch (reply) {
            case Rule.Reply.Recorded recorded -> {
                return Replayer.answer(request, recorded, seed, rng);
            }
            case null -> raw.addAll(generated(request, rng));
            case Rule.Reply.Failure failure -> {
                if (failure.afterEvents() < 0) {
                    throw failure.error();
                }
                faults = faults.overriddenBy(new Faults(null, Map.of(), 0, List.of(
                        new Faults.StreamFault.ErrorEvent(failure.afterEvents(), false, failure.error()))));
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
        return limit(request, raw, refusal, faults, seed, rng, rule == null);
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
        JsonNode format = request.body().path("output_config").path("format");
        if ("json_schema".equals(format.path("type").asText())) {
            return List.of(new RawText(SchemaValues.generate(format.get("schema"), rng).toString()));
        }
        return List.of(new RawText(TextGenerator.generate(rng, TextGenerator.naturalLength(rng))));
    }

    private static String fill(String template, MessagesRequest request) {
        return template.replace("{{model}}", request.model()).replace("{{last_user_text}}", request.lastUserText());
    }

    private static Answer limit(MessagesRequest request, List<Raw> raw, boolean refusal, Faults faults,
                                long seed, SplittableRandom rng, boolean filler) {
        int budget = request.maxTokens();
        int used = 0;
        String stopReason = null;
        String stopSequence = null;
        boolean toolCalled = false;
        List<Answer.Block> blocks = new ArrayList<>();
        int thinkingTokens = 0;
        String thought = thinkingText(request, seed, budget);
        if (thought != null && !thought.isEmpty()) {
            thinkingTokens = Tokens.count(thought);
            used = thinkingTokens;
            blocks.add(thinking(request, seed, thought));
        }
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
                request.inputTokens(), used, thinkingTokens, CacheUsage.none(request.inputTokens()), faults, filler, null);
    }

    /** The thinking text of a request with thinking enabled or adaptive, within budget; else null. */
    private static String thinkingText(MessagesRequest request, long seed, int maxTokens) {
        JsonNode spec = request.body().path("thinking");
        String type = spec.path("type").asText("disabled");
        if (!type.equals("enabled") && !type.equals("adaptive")) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, THINKING_SALT));
        int natural = MIN_THINKING_TOKENS + rng.nextInt(MAX_THINKING_TOKENS - MIN_THINKING_TOKENS + 1);
        int cap = spec.has("budget_tokens") ? spec.path("budget_tokens").asInt() : Math.max(1, maxTokens / 2);
        return Tokens.prefix(TextGenerator.generate(rng, natural), Math.min(cap, Math.max(0, maxTokens - 1)));
    }

    /** The block for {@code text}: a seeded base64 signature; with {@code display: omitted} no text. */
    private static Answer.Block.Thinking thinking(MessagesRequest request, long seed, String text) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, THINKING_SALT + 1));
        byte[] raw = new byte[48];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) rng.nextInt(256);
        }
        String signature = Base64.getEncoder().encodeToString(raw);
        boolean omitted = "omitted".equals(request.body().path("thinking").path("display").asText());
        return omitted ? new Answer.Block.Thinking("", signature, List.of())
                : new Answer.Block.Thinking(text, signature, chunks(text, rng));
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
