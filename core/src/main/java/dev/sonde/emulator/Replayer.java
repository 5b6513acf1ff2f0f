package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A recorded answer ({@link Rule.Reply.Recorded}) as an {@link Answer}: its blocks as recorded (ids,
 * text, tool input, signatures), its stop reason and usage as recorded, no limit applied (it is what
 * the endpoint said). Its pace, when recorded, counted from the request's arrival: nothing until
 * {@code ttfb_ms}, the first content delta at {@code ttft_ms}, then one delta per recorded gap, then
 * the end at {@code e2e_ms} ({@link MessagesEndpoint} keeps to these times, not to the gaps, so the
 * emulator's own work and late wake-ups do not add up). The recorded text is cut into as many deltas
 * as were recorded (whole tokens, as evenly as they go; a thinking block's signature is a delta of its
 * own, as on the wire, and takes its recorded gap too); when the counts agree each delta gets its
 * recorded gap, so the first text arrives when it did. When they cannot agree, the recorded gaps are
 * spread evenly, in two parts when the first text's time was recorded ({@code ttft_text_ms}): up to
 * the first text delta and after it, so time to first token (of any kind and of text) and end-to-end
 * time still replay. Without a recorded pace the emulator's latency model paces it. Stateless.
 */
final class Replayer {
    private Replayer() {}

    static Answer answer(MessagesRequest request, Rule.Reply.Recorded recorded, long seed, SplittableRandom rng) {
        Recording.Latency latency = recorded.latency();
        List<List<String>> tokens = new ArrayList<>();
        int thinkingBlocks = 0;
        for (JsonNode block : recorded.content()) {
            String type = block.path("type").asText();
            thinkingBlocks += type.equals("thinking") ? 1 : 0;
            String payload = switch (type) {
                case "text" -> block.path("text").asText();
                case "thinking" -> block.path("thinking").asText();
                default -> block.path("input").toString();
            };
            tokens.add(Tokens.split(payload));
        }
        List<List<String>> chunks = latency == null || latency.ttftNanos() < 0
                ? tokens.stream().map(t -> Responder.chunks(String.join("", t), rng)).toList()
                : cut(tokens, latency.itlNanos().length + 1 - thinkingBlocks);
        List<Answer.Block> blocks = new ArrayList<>();
        for (int i = 0; i < recorded.content().size(); i++) {
            JsonNode block = recorded.content().get(i);
            List<String> pieces = chunks.get(i);
            blocks.add(switch (block.path("type").asText()) {
                case "text" -> new Answer.Block.Text(block.path("text").asText(), pieces);
                case "thinking" -> new Answer.Block.Thinking(block.path("thinking").asText(),
                        block.path("signature").asText(), pieces);
                default -> new Answer.Block.ToolUse(block.path("id").asText(), block.path("name").asText(),
                        block.get("input"), pieces);
            });
        }
        int outputTokens = recorded.usage().path("output_tokens").asInt(0);
        int thinkingTokens = recorded.usage().path("output_tokens_details").path("thinking_tokens").asInt(0);
        int paced = chunks.stream().mapToInt(List::size).sum();
        int signatures = latency == null || latency.ttftNanos() < 0 ? 0 : thinkingBlocks;
        LatencyModel.Schedule schedule = latency == null ? null
                : schedule(latency, paced + signatures, firstText(recorded.content(), chunks, signatures > 0));
        String model = recorded.model() != null ? recorded.model() : request.model();
        return new Answer(Seeds.id("msg", seed), model, List.copyOf(blocks), recorded.stopReason(),
                recorded.stopSequence(), request.inputTokens(), outputTokens, thinkingTokens,
                CacheUsage.none(request.inputTokens()), Faults.NONE, false,
                new Answer.Replay(recorded.usage(), schedule, latency == null ? 0 : latency.ttfbNanos()));
    }

    /**
     * The index of the first delta carrying text among all deltas (signatures counted when
     * {@code signatures}), -1 when no text block has any.
     */
    static int firstText(List<JsonNode> content, List<List<String>> chunks, boolean signatures) {
        int index = 0;
        for (int i = 0; i < content.size(); i++) {
            String type = content.get(i).path("type").asText();
            if (type.equals("text") && chunks.get(i).stream().anyMatch(c -> !c.isEmpty())) {
                return index;
            }
            index += chunks.get(i).size() + (signatures && type.equals("thinking") ? 1 : 0);
        }
        return -1;
    }

    /**
     * The recorded pace over {@code paced} deltas, after the first byte: the first delta at
     * {@code ttft − ttfb}, the recorded gaps (or their sum spread evenly, up to and after delta
     * {@code firstText} apart when the first text's time was recorded), the rest of {@code e2e}.
     */
    static LatencyModel.Schedule schedule(Recording.Latency latency, int paced, int firstText) {
        long ttfb = latency.ttfbNanos();
        if (latency.ttftNanos() < 0 || paced == 0) { // nothing paced: the whole answer at e2e
            return new LatencyModel.Schedule(0, new long[paced], Math.max(0, latency.e2eNanos() - ttfb));
        }
        long[] gaps = new long[paced];
        long[] recorded = latency.itlNanos();
        if (recorded.length == paced - 1) {
            System.arraycopy(recorded, 0, gaps, 1, recorded.length);
        } else if (paced > 1) {
            long total = latency.itlTotalNanos();
            long toText = latency.ttftTextNanos() - latency.ttftNanos();
            if (firstText > 0 && latency.ttftTextNanos() >= 0 && toText >= 0 && toText <= total) {
                spread(gaps, 1, firstText, toText);
                spread(gaps, firstText + 1, paced - 1, total - toText);
            } else {
                spread(gaps, 1, paced - 1, total);
            }
        }
        long ttft = Math.max(0, latency.ttftNanos() - ttfb);
        long spent = 0;
        for (long gap : gaps) {
            spent += gap;
        }
        long tail = Math.max(0, latency.e2eNanos() - latency.ttftNanos() - spent);
        return new LatencyModel.Schedule(ttft, gaps, tail);
    }

    /** {@code total} over {@code gaps[from..to]} as evenly as whole nanoseconds go (none when the range is empty). */
    private static void spread(long[] gaps, int from, int to, long total) {
        int n = to - from + 1;
        for (int i = 0; i < n; i++) {
            gaps[from + i] = total / n + (i < total % n ? 1 : 0);
        }
    }

    /**
     * Each block's tokens in groups, {@code deltas} groups in all where the tokens allow (at least one
     * per non-empty block, at most one per token), shared in proportion to the blocks' tokens.
     */
    static List<List<String>> cut(List<List<String>> tokens, int deltas) {
        int blocks = (int) tokens.stream().filter(t -> !t.isEmpty()).count();
        int total = tokens.stream().mapToInt(List::size).sum();
        int want = Math.max(blocks, Math.min(total, deltas));
        int[] share = new int[tokens.size()];
        int given = 0;
        for (int i = 0; i < share.length; i++) {
            int n = tokens.get(i).size();
            share[i] = n == 0 ? 0 : Math.max(1, (int) ((long) n * want / Math.max(1, total)));
            given += share[i];
        }
        while (given < want) { // want <= total: there is room somewhere
            for (int i = 0; i < share.length && given < want; i++) {
                if (share[i] < tokens.get(i).size()) {
                    share[i]++;
                    given++;
                }
            }
        }
        while (given > want) { // want >= blocks: every block keeps one
            for (int i = 0; i < share.length && given > want; i++) {
                if (share[i] > 1) {
                    share[i]--;
                    given--;
                }
            }
        }
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < share.length; i++) {
            List<String> t = tokens.get(i);
            List<String> groups = new ArrayList<>();
            for (int g = 0; g < share[i]; g++) {
                int from = (int) ((long) t.size() * g / share[i]);
                int to = (int) ((long) t.size() * (g + 1) / share[i]);
                groups.add(String.join("", t.subList(from, to)));
            }
            out.add(groups);
        }
        return out;
    }
}
