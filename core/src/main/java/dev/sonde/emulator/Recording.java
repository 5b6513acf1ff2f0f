package dev.sonde.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Yaml;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Recorded answers as emulator rules: the format {@code sonde run --record FILE} writes and the
 * rules loader reads back ({@code fixtures/emulator/README.md}, "Recorded answers"). A recorded rule
 * matches one exact request — {@code match.request_sha256}, the SHA-256 of the canonical request
 * body ({@link #requestSha256}) — and, when it was recorded with one, one repeat
 * ({@code match.repeat}, from the {@value #REPEAT_HEADER} header the harness sends only to the
 * emulator) of one suite model ({@code match.model_id}, from {@value #MODEL_HEADER}, likewise). It answers with the recorded content blocks, stop reason and {@code usage} (which wins
 * over the emulator's token and cache model) at the recorded pace ({@code latency}: time to first
 * byte, to the first content delta, to the first text, the gaps between deltas, end to end).
 *
 * <p>Every number read back is checked (finite, non-negative, bounded), the times against each other
 * ({@code ttfb_ms ≤ ttft_ms ≤ ttft_text_ms ≤ ttft_ms + Σ itl_ms ≤ e2e_ms}, within
 * {@value #SLACK_NANOS} ns for rounding) and every list bounded; a malformed entry fails loading with
 * the file, the rule and the field. The writer checks each entry with the same rules before writing
 * it, so what it writes loads. Stateless; thread-safe.
 */
public final class Recording {
    /** The repeat index (0-based) of a trial's request; sent by the harness to the emulator only. */
    public static final String REPEAT_HEADER = "x-sonde-repeat";
    /**
     * The {@code models[].id} a trial's request (or its grading) was sent for; sent by the harness to
     * the emulator only, so two models with one API model id get their own answers.
     */
    public static final String MODEL_HEADER = "x-sonde-model";
    static final int MAX_REPEAT = 1_000_000;
    static final int MAX_BLOCKS = 4_096;
    static final int MAX_GAPS = 1_000_000;
    static final double MAX_MILLIS = 3_600_000;
    static final int MAX_SHORT_TEXT = 512;
    /** How far a file's times may disagree (hand-rounded figures); the writer's own agree exactly. */
    static final long SLACK_NANOS = 1_000_000;
    /** What the end of a file costs after its last rule, kept free under the reader's limit. */
    private static final int END_BYTES = 64;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> RECORDED_KEYS =
            Set.of("model", "content", "stop_reason", "stop_sequence", "usage", "latency");
    private static final Set<String> LATENCY_KEYS = Set.of("ttfb_ms", "ttft_ms", "ttft_text_ms", "itl_ms", "e2e_ms");
    private static final Map<String, Set<String>> BLOCK_KEYS = Map.of(
            "text", Set.of("type", "text"),
            "tool_use", Set.of("type", "id", "name", "input"),
            "thinking", Set.of("type", "thinking", "signature"));

    private Recording() {}

    /**
     * The key of a recorded answer: lowercase hex SHA-256 of the request body as compact JSON with
     * object keys sorted at every depth, without {@code stream} (a streamed and a whole answer are the
     * same answer). Equal bodies give equal keys whatever their key order.
     */
    public static String requestSha256(JsonNode body) {
        JsonNode key = body;
        if (body instanceof ObjectNode object && object.has("stream")) {
            ObjectNode copy = object.deepCopy();
            copy.remove("stream");
            key = copy;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.canonical(key).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Whether {@code type} is a content block the emulator can replay (text, tool_use, thinking). */
    public static boolean replayable(String type) {
        return BLOCK_KEYS.containsKey(type);
    }

    /**
     * One answer to record.
     *
     * @param name what the rule is called in messages (masked by the writer's caller like the rest)
     * @param repeat the trial's repeat index, or -1 when the request had none
     * @param modelId the {@code models[].id} the request was sent for, or null when it said none
     * @param content the response's {@code content}, in the Messages API's shape (text, tool_use, thinking)
     * @param usage the response's {@code usage} exactly as returned
     * @param timings how the answer arrived; an unmeasured one is recorded without {@code latency}
     */
    public record Entry(String name, String requestSha256, int repeat, String modelId, String model, JsonNode content,
            String stopReason, String stopSequence, JsonNode usage, Timings timings) {}

    /** {@code entries} as a rules file, in the order given, with a header saying what made it. */
    public static String yaml(List<Entry> entries, String header) {
        StringWriter out = new StringWriter();
        try {
            Writer writer = new Writer(out, header);
            for (Entry e : entries) {
                if (writer.add(e, UnaryOperator.identity()) instanceof Writer.Added.Refused refused) {
                    throw new IllegalArgumentException(refused.why());
                }
            }
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("a string cannot fail to be written", e);
        }
        return out.toString();
    }

    /**
     * Writes a rules file entry by entry, as the answers arrive, so a recording holds no answer in
     * memory: header comments, then {@code rules:} and each entry as a rule, then the end. Each entry
     * is checked by the loader's own rules before it is written (one the loader would refuse is
     * {@link Added.Refused}, and the file stays loadable), and the file is kept within the YAML
     * reader's limit ({@link Yaml#MAX_DOCUMENT_CHARS} bytes): an entry that would pass it is not
     * written, and neither is any after it ({@link Added.Full}). Gaps are written as one flow list
     * ({@code itl_ms: [12.5, 9, …]}), about 8 bytes a gap. The target is not closed. Not thread-safe:
     * its caller serialises {@link #add}.
     */
    public static final class Writer {
        private final java.io.Writer out;
        private final StringWriter buffer = new StringWriter();
        private final JsonGenerator yaml;
        private final long maxBytes;
        private long bytes;
        private boolean full;

        /** What became of one entry. */
        public sealed interface Added {
            /** It is in the file. */
            record Written() implements Added {}

            /** The loader would refuse it ({@code why}: the field and the rule it breaks); not written. */
            record Refused(String why) implements Added {}

            /** The file is at its size limit: neither this entry nor any later one is written. */
            record Full() implements Added {}
        }

        /** Starts the file on {@code out} with {@code header} as {@code #} comment lines. */
        public Writer(java.io.Writer out, String header) throws IOException {
            this(out, header, Yaml.MAX_DOCUMENT_CHARS);
        }

        /** As {@link #Writer(java.io.Writer, String)}, the file kept to {@code maxBytes} of UTF-8. */
        public Writer(java.io.Writer out, String header, long maxBytes) throws IOException {
            this.out = out;
            this.maxBytes = maxBytes;
            StringBuilder comments = new StringBuilder();
            for (String line : header.split("\n", -1)) {
                comments.append("# ").append(line).append('\n');
            }
            emit(comments.toString());
            yaml = Json.YAML.getFactory().createGenerator(buffer);
            yaml.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            yaml.setCodec(Json.YAML);
            yaml.writeStartObject();
            yaml.writeArrayFieldStart("rules");
        }

        /** Writes {@code entry} as one rule, its tree passed through {@code mask} first, if it loads and fits. */
        public Added add(Entry entry, UnaryOperator<JsonNode> mask) throws IOException {
            if (full) {
                return new Added.Full();
            }
            ObjectNode rule = (ObjectNode) mask.apply(rule(entry));
            try {
                Rules.parse(rule, "rule");
            } catch (IllegalArgumentException e) {
                return new Added.Refused(e.getMessage());
            }
            JsonNode latency = rule.path("reply").path("recorded").path("latency");
            JsonNode gaps = latency instanceof ObjectNode l ? l.remove("itl_ms") : null;
            flushGenerator(); // what came before this rule, out of the buffer
            buffer.getBuffer().setLength(0);
            yaml.writeTree(rule);
            yaml.flush();
            String text = buffer.toString();
            buffer.getBuffer().setLength(0);
            if (gaps != null) { // latency is the rule's last mapping, e2e_ms its last line: the gaps go under it
                String last = text.substring(text.lastIndexOf('\n') + 1);
                String indent = last.substring(0, last.length() - last.stripLeading().length());
                StringBuilder list = new StringBuilder("\n").append(indent).append("itl_ms: [");
                for (int i = 0; i < gaps.size(); i++) {
                    list.append(i == 0 ? "" : ", ").append(BigDecimal.valueOf(gaps.get(i).asDouble())
                            .stripTrailingZeros().toPlainString());
                }
                text = text + list.append(']');
            }
            long size = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size + END_BYTES > maxBytes) {
                full = true;
                return new Added.Full();
            }
            emit(text);
            out.flush();
            return new Added.Written();
        }

        /** Ends the file and flushes it. */
        public void finish() throws IOException {
            yaml.writeEndArray();
            yaml.writeEndObject();
            yaml.close();
            flushGenerator();
            out.flush();
        }

        private void flushGenerator() throws IOException {
            yaml.flush();
            emit(buffer.toString());
            buffer.getBuffer().setLength(0);
        }

        private void emit(String text) throws IOException {
            out.write(text);
            bytes += text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private static ObjectNode rule(Entry e) {
        ObjectNode rule = Json.object().put("name", e.name());
        ObjectNode match = rule.putObject("match").put("request_sha256", e.requestSha256());
        if (e.modelId() != null) {
            match.put("model_id", e.modelId());
        }
        if (e.repeat() >= 0) {
            match.put("repeat", e.repeat());
        }
        ObjectNode recorded = rule.putObject("reply").putObject("recorded");
        if (e.model() != null) {
            recorded.put("model", e.model());
        }
        recorded.set("content", e.content());
        recorded.put("stop_reason", e.stopReason());
        if (e.stopSequence() != null) {
            recorded.put("stop_sequence", e.stopSequence());
        }
        recorded.set("usage", e.usage());
        ObjectNode latency = latency(e.timings());
        if (latency != null) {
            recorded.set("latency", latency);
        }
        return rule;
    }

    private static ObjectNode latency(Timings t) {
        if (t == null || t.unmeasured() != null || !t.has(t.e2eNanos())) {
            return null;
        }
        ObjectNode latency = Json.object();
        if (t.has(t.ttfbNanos())) {
            latency.put("ttfb_ms", millis(t.ttfbNanos()));
        }
        if (t.has(t.ttftAnyNanos())) {
            latency.put("ttft_ms", millis(t.ttftAnyNanos()));
            if (t.has(t.ttftNanos())) {
                latency.put("ttft_text_ms", millis(t.ttftNanos()));
            }
            latency.put("e2e_ms", millis(t.e2eNanos()));
            // each gap rounded as the difference of rounded times, so the rounded figures still add up
            ArrayNode gaps = latency.putArray("itl_ms");
            long at = t.ttftAnyNanos();
            for (long gap : t.itlNanos()) {
                gaps.add((micros(at + gap) - micros(at)) / 1_000.0);
                at += gap;
            }
            return latency;
        }
        return latency.put("e2e_ms", millis(t.e2eNanos()));
    }

    /** Milliseconds to the microsecond. */
    private static double millis(long nanos) {
        return micros(nanos) / 1_000.0;
    }

    private static long micros(long nanos) {
        return Math.round(Math.max(0, nanos) / 1_000.0);
    }

    /** The match key of a recorded rule: its request's hash, its model label (null: any) and its repeat (-1: any). */
    record Key(String sha256, String modelId, int repeat) {}

    /** Who asked, as the harness told the emulator: the suite model's label (null: not said) and the repeat (-1: not said). */
    record Asker(String modelId, int repeat) {
        static final Asker NONE = new Asker(null, -1);
    }

    /** Whether a rule's {@code match} is a recorded one. */
    static boolean isRecorded(JsonNode match) {
        return match.has("request_sha256");
    }

    static Key key(JsonNode match, String where) {
        match.fieldNames().forEachRemaining(k -> {
            if (!k.equals("request_sha256") && !k.equals("repeat") && !k.equals("model_id")) {
                throw new IllegalArgumentException(where + "." + k + ": a recorded rule (request_sha256) matches on "
                        + "request_sha256, model_id and repeat only");
            }
        });
        JsonNode sha = match.get("request_sha256");
        if (!sha.isTextual() || !SHA256.matcher(sha.asText()).matches()) {
            throw new IllegalArgumentException(where + ".request_sha256: must be 64 lowercase hex digits");
        }
        int repeat = -1;
        if (match.has("repeat")) {
            repeat = (int) whole(match.get("repeat"), MAX_REPEAT, where + ".repeat");
        }
        String modelId = match.has("model_id") ? shortText(match.get("model_id"), where + ".model_id") : null;
        return new Key(sha.asText(), modelId, repeat);
    }

    /** A recorded reply, validated. */
    static Rule.Reply.Recorded reply(JsonNode node, String where) {
        Rules.keys(node, RECORDED_KEYS, where);
        String model = node.has("model") ? shortText(node.get("model"), where + ".model") : null;
        JsonNode content = node.get("content");
        if (content == null || !content.isArray()) {
            throw new IllegalArgumentException(where + ".content: required, a list of content blocks");
        }
        if (content.size() > MAX_BLOCKS) {
            throw new IllegalArgumentException(where + ".content: more than " + MAX_BLOCKS + " blocks");
        }
        List<JsonNode> blocks = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            blocks.add(block(content.get(i), where + ".content[" + i + "]"));
        }
        if (!node.has("stop_reason")) {
            throw new IllegalArgumentException(where + ".stop_reason: required");
        }
        String stopReason = shortText(node.get("stop_reason"), where + ".stop_reason");
        String stopSequence = node.hasNonNull("stop_sequence") ? text(node.get("stop_sequence"), where + ".stop_sequence")
                : null;
        JsonNode usage = node.get("usage");
        if (usage == null || !usage.isObject()) {
            throw new IllegalArgumentException(where + ".usage: required, the response's usage mapping");
        }
        usage(usage, where + ".usage", 0);
        if (!usage.path("input_tokens").isNumber() || !usage.path("output_tokens").isNumber()) {
            throw new IllegalArgumentException(where + ".usage: needs input_tokens and output_tokens");
        }
        Latency latency = node.has("latency") ? latency(node.get("latency"), where + ".latency") : null;
        return new Rule.Reply.Recorded(model, List.copyOf(blocks), stopReason, stopSequence,
                (ObjectNode) usage.deepCopy(), latency);
    }

    /**
     * The recorded pace, in nanoseconds, checked to be in order ({@code ttfb ≤ ttft ≤ ttftText ≤ ttft +
     * Σ itl ≤ e2e}, each at most an hour, so sums cannot overflow); {@code ttftNanos} -1 when no content
     * delta arrived, {@code ttftTextNanos} -1 when no text did (or it was not recorded).
     */
    record Latency(long ttfbNanos, long ttftNanos, long ttftTextNanos, long[] itlNanos, long e2eNanos) {
        /** The gaps summed. */
        long itlTotalNanos() {
            long total = 0;
            for (long gap : itlNanos) {
                total = Math.addExact(total, gap);
            }
            return total;
        }
    }

    private static Latency latency(JsonNode node, String where) {
        Rules.keys(node, LATENCY_KEYS, where);
        if (!node.has("e2e_ms")) {
            throw new IllegalArgumentException(where + ".e2e_ms: required");
        }
        long ttfb = node.has("ttfb_ms") ? nanos(node.get("ttfb_ms"), where + ".ttfb_ms") : 0;
        long ttft = node.has("ttft_ms") ? nanos(node.get("ttft_ms"), where + ".ttft_ms") : -1;
        long ttftText = node.has("ttft_text_ms") ? nanos(node.get("ttft_text_ms"), where + ".ttft_text_ms") : -1;
        long e2e = nanos(node.get("e2e_ms"), where + ".e2e_ms");
        long[] gaps = new long[0];
        if (node.has("itl_ms")) {
            JsonNode list = node.get("itl_ms");
            if (!list.isArray()) {
                throw new IllegalArgumentException(where + ".itl_ms: must be a list of milliseconds");
            }
            if (list.size() > MAX_GAPS) {
                throw new IllegalArgumentException(where + ".itl_ms: more than " + MAX_GAPS + " gaps");
            }
            if (ttft < 0 && !list.isEmpty()) {
                throw new IllegalArgumentException(where + ".itl_ms: gaps need ttft_ms (the first delta)");
            }
            gaps = new long[list.size()];
            for (int i = 0; i < gaps.length; i++) {
                gaps[i] = nanos(list.get(i), where + ".itl_ms[" + i + "]");
            }
        }
        ordered(ttfb, ttft, ttftText, gaps, e2e, where);
        return new Latency(ttfb, ttft, ttftText, gaps, e2e);
    }

    /** {@code ttfb ≤ ttft ≤ ttftText ≤ ttft + Σ gaps ≤ e2e}, within {@link #SLACK_NANOS}; else the field that breaks it. */
    private static void ordered(long ttfb, long ttft, long ttftText, long[] gaps, long e2e, String where) {
        String order = " (ttfb_ms ≤ ttft_ms ≤ ttft_text_ms ≤ ttft_ms + the itl_ms gaps ≤ e2e_ms)";
        if (ttftText >= 0 && ttft < 0) {
            throw new IllegalArgumentException(where + ".ttft_text_ms: needs ttft_ms (the first delta)");
        }
        long first = ttft >= 0 ? ttft : e2e;
        if (ttfb > first + SLACK_NANOS) {
            throw new IllegalArgumentException(where + ".ttfb_ms: after " + (ttft >= 0 ? "ttft_ms" : "e2e_ms") + order);
        }
        if (ttft < 0) {
            return;
        }
        if (ttftText >= 0 && ttftText + SLACK_NANOS < ttft) {
            throw new IllegalArgumentException(where + ".ttft_text_ms: before ttft_ms" + order);
        }
        if (ttft > e2e + SLACK_NANOS) {
            throw new IllegalArgumentException(where + ".ttft_ms: after e2e_ms" + order);
        }
        long last = ttft; // each figure is at most an hour: the sum is checked before it can overflow
        for (long gap : gaps) {
            last = Math.addExact(last, gap);
            if (last > e2e + SLACK_NANOS) {
                throw new IllegalArgumentException(where + ".itl_ms: the gaps end after e2e_ms" + order);
            }
        }
        if (ttftText > last + SLACK_NANOS) {
            throw new IllegalArgumentException(where + ".ttft_text_ms: after the last delta (ttft_ms + the itl_ms gaps)"
                    + order);
        }
    }

    private static JsonNode block(JsonNode block, String where) {
        if (!block.isObject()) {
            throw new IllegalArgumentException(where + ": must be a mapping");
        }
        String type = block.path("type").asText("");
        Set<String> keys = BLOCK_KEYS.get(type);
        if (keys == null) {
            throw new IllegalArgumentException(where + ".type: '" + type + "' cannot be replayed (text, tool_use, thinking)");
        }
        block.fieldNames().forEachRemaining(k -> {
            if (!keys.contains(k)) {
                throw new IllegalArgumentException(where + "." + k + ": unknown key in a " + type + " block (expected one of "
                        + keys.stream().sorted().toList() + ")");
            }
        });
        switch (type) {
            case "text" -> text(block.get("text"), where + ".text");
            case "thinking" -> {
                text(block.get("thinking"), where + ".thinking");
                text(block.get("signature"), where + ".signature");
            }
            default -> {
                shortText(block.get("id"), where + ".id");
                shortText(block.get("name"), where + ".name");
                if (block.get("input") == null || !block.get("input").isObject()) {
                    throw new IllegalArgumentException(where + ".input: required, a mapping");
                }
            }
        }
        return block;
    }

    /** Every number a non-negative whole number below 2^31, every text short, at most 3 levels deep. */
    private static void usage(JsonNode node, String where, int depth) {
        if (depth > 2) {
            throw new IllegalArgumentException(where + ": nested too deep");
        }
        if (node.size() > 64) {
            throw new IllegalArgumentException(where + ": more than 64 fields");
        }
        node.fields().forEachRemaining(f -> {
            String at = where + "." + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                usage(v, at, depth + 1);
            } else if (v.isNumber()) {
                whole(v, Integer.MAX_VALUE, at);
            } else if (v.isTextual()) {
                shortText(v, at);
            } else if (!v.isNull()) {
                throw new IllegalArgumentException(at + ": must be a number, a text or a mapping");
            }
        });
    }

    private static long whole(JsonNode v, long max, String where) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > max) {
            throw new IllegalArgumentException(where + ": must be a whole number from 0 to " + max + ", was " + v);
        }
        return v.asLong();
    }

    private static long nanos(JsonNode v, String where) {
        double ms = v.isNumber() ? v.asDouble() : Double.NaN;
        if (!Double.isFinite(ms) || ms < 0 || ms > MAX_MILLIS) {
            throw new IllegalArgumentException(where + ": must be a number of milliseconds from 0 to " + (long) MAX_MILLIS
                    + ", was " + v);
        }
        return Math.round(ms * 1e6);
    }

    private static String text(JsonNode v, String where) {
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + ": required, a text");
        }
        return v.asText();
    }

    private static String shortText(JsonNode v, String where) {
        String text = text(v, where);
        if (text.isEmpty() || text.length() > MAX_SHORT_TEXT) {
            throw new IllegalArgumentException(where + ": must be 1 to " + MAX_SHORT_TEXT + " characters");
        }
        return text;
    }
}
