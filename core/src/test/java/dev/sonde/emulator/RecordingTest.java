package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.body;
import static dev.sonde.emulator.Http.events;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Recorded rules: written, validated, matched by request and repeat, replayed with their usage and pace. */
class RecordingTest {
    private static final String REQUEST = body("claude-haiku-4-5", 100, "What is the weather in Paris?", "");
    private static final String USAGE = "{input_tokens: 7, cache_creation_input_tokens: 3, cache_read_input_tokens: 1200,"
            + " cache_creation: {ephemeral_5m_input_tokens: 1, ephemeral_1h_input_tokens: 2}, output_tokens: 31,"
            + " service_tier: standard, server_tool_use: {web_search_requests: 0}}";
    @TempDir
    Path dir;

    private static String sha() throws Exception {
        return Recording.requestSha256(Json.MAPPER.readTree(REQUEST));
    }

    private Path rules(String yaml) throws Exception {
        Path file = dir.resolve("recorded.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String rule(String name, String match, String recorded) {
        return "  - name: " + name + "\n    match: " + match + "\n    reply:\n      recorded: " + recorded + "\n";
    }

    private static String answer(String text, String latency) {
        return "{content: [{type: text, text: \"" + text + "\"}, {type: tool_use, id: toolu_01rec, name: get_weather,"
                + " input: {city: Paris}}], stop_reason: tool_use, usage: " + USAGE + latency + "}";
    }

    @Test
    void the_hash_is_of_the_canonical_body_without_stream() throws Exception {
        JsonNode a = Json.MAPPER.readTree("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}");
        JsonNode b = Json.MAPPER.readTree("{\"messages\":[],\"stream\":true,\"max_tokens\":5,\"model\":\"m\"}");
        JsonNode c = Json.MAPPER.readTree("{\"messages\":[],\"max_tokens\":6,\"model\":\"m\"}");
        assertThat(Recording.requestSha256(a)).isEqualTo(Recording.requestSha256(b)).matches("[0-9a-f]{64}")
                .isNotEqualTo(Recording.requestSha256(c));
    }

    @Test
    void a_recorded_answer_replays_its_blocks_stop_reason_usage_and_pace_in_json_and_stream() throws Exception {
        Path file = rules("rules:\n" + rule("weather", "{request_sha256: " + sha() + "}",
                answer("Let me look.", ", latency: {ttfb_ms: 5, ttft_ms: 100, itl_ms: [10, 20], e2e_ms: 150}")));
        ManualClock clock = new ManualClock();
        try (Emulator emu = Emulator.start(EmulatorConfig.builder().clock(clock).rules(List.of(file))
                .latency(List.of(new LatencyProfile("*", 900, 0, 5, 0))).build())) {
            long t0 = clock.nanoTime();
            JsonNode message = json(post(emu.baseUri(), "/v1/messages", REQUEST, AUTH));
            long jsonWait = clock.nanoTime() - t0;
            long t1 = clock.nanoTime();
            List<Http.Event> stream = events(post(emu.baseUri(), "/v1/messages",
                    REQUEST.replace("{\"model\"", "{\"stream\":true,\"model\""), AUTH).body());
            long streamWait = clock.nanoTime() - t1;

            assertThat(message.get("content")).isEqualTo(Json.MAPPER.readTree("[{\"type\":\"text\",\"text\":\"Let me look.\"},"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_01rec\",\"name\":\"get_weather\",\"caller\":{\"type\":\"direct\"},"
                    + "\"input\":{\"city\":\"Paris\"}}]"));
            assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
            JsonNode usage = Json.YAML.readTree(USAGE);
            assertThat(message.get("usage")).as("the recorded usage, not the emulator's token and cache model")
                    .isEqualTo(usage);
            assertThat(jsonWait).as("e2e").isEqualTo(150_000_000L);
            assertThat(streamWait).as("e2e").isEqualTo(150_000_000L);

            ObjectNode merged = Json.object();
            stream.stream().filter(e -> e.name().equals("message_start"))
                    .forEach(e -> Usage.merge(merged, e.data().path("message").path("usage")));
            stream.stream().filter(e -> e.name().equals("message_delta")).forEach(e -> Usage.merge(merged, e.data().path("usage")));
            assertThat(merged).as("what a client merges from the stream").isEqualTo(usage);
            long paced = stream.stream().filter(e -> e.name().equals("content_block_delta"))
                    .filter(e -> !e.data().path("delta").path("partial_json").asText("x").isEmpty()).count();
            assertThat(paced).as("one delta per recorded gap, and the first").isEqualTo(3);
            String input = stream.stream().filter(e -> e.name().equals("content_block_delta"))
                    .map(e -> e.data().path("delta").path("partial_json").asText("")).reduce("", String::concat);
            assertThat(input).isEqualTo("{\"city\":\"Paris\"}");
        }
    }

    @Test
    void the_kth_repeat_gets_the_kth_answer_in_any_order_and_requests_without_one_take_turns() throws Exception {
        String sha = sha();
        Rules rules = Rules.load(List.of(rules("rules:\n"
                + rule("r0", "{request_sha256: " + sha + ", repeat: 0}", answer("zero", ""))
                + rule("r1", "{request_sha256: " + sha + ", repeat: 1}", answer("one", ""))
                + rule("r2", "{request_sha256: " + sha + ", repeat: 2}", answer("two", ""))
                + "  - {name: hand, match: {contains: weather}, reply: {text: hand-written}}\n")));
        MessagesRequest request = ResponderTest.request(REQUEST);
        assertThat(List.of(2, 0, 1, 1).stream().map(k -> rules.match(request, 0, 0, k).orElseThrow().name()))
                .containsExactly("r2", "r0", "r1", "r1");
        assertThat(Stream.of(1, 2, 3, 4).map(n -> rules.match(request, n, 0, -1).orElseThrow().name()))
                .as("arrival order, again from the first after the last").containsExactly("r0", "r1", "r2", "r0");
        assertThat(rules.match(request, 0, 0, 7).orElseThrow().name()).as("a repeat none was recorded for").isEqualTo("r1");
        assertThat(rules.match(ResponderTest.ask("weather elsewhere", 10, ""), 0, 0, 0).orElseThrow().name())
                .as("another request goes on to the hand-written rules").isEqualTo("hand");
    }

    @Test
    void what_the_writer_writes_the_loader_reads_back_and_the_responder_replays() throws Exception {
        JsonNode content = Json.MAPPER.readTree("[{\"type\":\"thinking\",\"thinking\":\"Hmm: \\\"quotes\\\" and\\nlines\","
                + "\"signature\":\"c2ln\"},{\"type\":\"text\",\"text\":\"  Ünïcode — tabs\\t and trailing space \"}]");
        JsonNode usage = Json.MAPPER.readTree("{\"input_tokens\":5,\"output_tokens\":40,"
                + "\"output_tokens_details\":{\"thinking_tokens\":12}}");
        // thinking at 20 ms, its signature 1.5 ms later, the text 2 ms after that (the first text: 23.5 ms)
        Timings timings = new Timings(2_000_000, 23_500_000, 20_000_000, 90_000_000, new long[] {1_500_000, 2_000_000}, 3);
        String yaml = Recording.yaml(List.of(new Recording.Entry("mine", sha(), 4, null, "claude-haiku-4-5-20251001",
                content, "end_turn", null, usage, timings)), "made by a test\nsecond line");
        assertThat(yaml).startsWith("# made by a test\n# second line\n").contains("ttft_text_ms: 23.5")
                .contains("itl_ms: [1.5, 2]");

        Rules rules = Rules.load(List.of(rules(yaml)));
        Answer answer = new Responder(1, rules).answer(ResponderTest.request(REQUEST), 1, 4);
        assertThat(answer.model()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(answer.blocks()).hasSize(2);
        assertThat(((Answer.Block.Thinking) answer.blocks().get(0)).thinking()).isEqualTo("Hmm: \"quotes\" and\nlines");
        assertThat(((Answer.Block.Text) answer.blocks().get(1)).text()).isEqualTo("  Ünïcode — tabs\t and trailing space ");
        assertThat(answer.stopReason()).isEqualTo("end_turn");
        assertThat(answer.thinkingTokens()).isEqualTo(12);
        assertThat(Wire.message(answer).get("usage")).isEqualTo(usage);
        // three deltas were timed, one of them the thinking block's signature: two paced chunks
        assertThat(answer.pacedDeltas()).isEqualTo(2);
        assertThat(answer.replay().firstByteNanos()).isEqualTo(2_000_000);
        assertThat(answer.replay().schedule().ttftNanos()).isEqualTo(18_000_000);
        assertThat(answer.replay().schedule().totalNanos()).as("e2e − ttfb").isEqualTo(88_000_000);
        assertThat(answer.replay().schedule().gapNanos()).as("the recorded gaps, the signature's included")
                .containsExactly(0, 1_500_000, 2_000_000);
        List<Long> delays = Wire.events(answer, answer.replay().schedule()).stream()
                .filter(e -> e.name().equals("content_block_delta")).map(Wire.Event::delayNanos).toList();
        assertThat(delays).as("thinking, its signature, the text: each delta at its recorded gap")
                .containsExactly(18_000_000L, 1_500_000L, 2_000_000L);
    }

    @Test
    void when_the_delta_counts_differ_the_first_text_still_comes_at_its_recorded_time() {
        // ttft 10 ms, the first text at 40 ms, 3 gaps summing to 60 ms, but 6 deltas to pace (the text's 4th)
        Recording.Latency latency = new Recording.Latency(1_000_000, 10_000_000, 40_000_000,
                new long[] {30_000_000, 10_000_000, 20_000_000}, 100_000_000);
        LatencyModel.Schedule schedule = Replayer.schedule(latency, 6, 3);
        long[] gaps = schedule.gapNanos();
        assertThat(gaps[1] + gaps[2] + gaps[3]).as("ttft_text − ttft").isEqualTo(30_000_000);
        assertThat(gaps[4] + gaps[5]).isEqualTo(30_000_000);
        assertThat(schedule.totalNanos()).as("e2e − ttfb").isEqualTo(99_000_000);
    }

    @Test
    void two_models_with_one_request_get_their_own_answers_by_their_label() throws Exception {
        String sha = sha();
        Rules rules = Rules.load(List.of(rules("rules:\n"
                + rule("a0", "{request_sha256: " + sha + ", model_id: a, repeat: 0}", answer("a zero", ""))
                + rule("b0", "{request_sha256: " + sha + ", model_id: b, repeat: 0}", answer("b zero", ""))
                + rule("b1", "{request_sha256: " + sha + ", model_id: b, repeat: 1}", answer("b one", "")))));
        MessagesRequest request = ResponderTest.request(REQUEST);
        assertThat(Stream.of(new Recording.Asker("b", 0), new Recording.Asker("a", 0), new Recording.Asker("b", 1),
                new Recording.Asker("a", 0)).map(k -> rules.match(request, 0, 0, k).orElseThrow().name()))
                .containsExactly("b0", "a0", "b1", "a0");
        assertThat(rules.match(request, 0, 0, new Recording.Asker("a", 5)).orElseThrow().name())
                .as("a repeat none was recorded for: that model's answers").isEqualTo("a0");
        assertThat(Stream.of(1, 2, 3).map(n -> rules.match(request, n, 0, Recording.Asker.NONE).orElseThrow().name()))
                .as("a client that says neither: arrival order").containsExactly("a0", "b0", "b1");
    }

    @Test
    @Tag("hostile")
    void the_writer_refuses_what_the_loader_would_and_stops_before_the_readers_limit() throws Exception {
        JsonNode usage = Json.MAPPER.readTree("{\"input_tokens\":5,\"output_tokens\":4}");
        JsonNode text = Json.MAPPER.readTree("[{\"type\":\"text\",\"text\":\"fine\"}]");
        JsonNode noId = Json.MAPPER.readTree("[{\"type\":\"tool_use\",\"id\":\"\",\"name\":\"n\",\"input\":{}}]");
        JsonNode floatUsage = Json.MAPPER.readTree("{\"input_tokens\":5.5,\"output_tokens\":4}");
        java.io.StringWriter out = new java.io.StringWriter();
        Recording.Writer writer = new Recording.Writer(out, "test", 800);
        assertThat(writer.add(new Recording.Entry("ok", sha(), 0, "m", null, text, "end_turn", null, usage, null),
                t -> t)).isInstanceOf(Recording.Writer.Added.Written.class);
        assertThat(writer.add(new Recording.Entry("no id", sha(), 1, "m", null, noId, "tool_use", null, usage, null),
                t -> t)).isEqualTo(new Recording.Writer.Added.Refused(
                        "rule.reply.recorded.content[0].id: must be 1 to 512 characters"));
        assertThat(writer.add(new Recording.Entry("float", sha(), 1, "m", null, text, "end_turn", null, floatUsage, null),
                t -> t)).isInstanceOf(Recording.Writer.Added.Refused.class);
        Recording.Writer.Added added;
        int written = 1;
        while ((added = writer.add(new Recording.Entry("more", sha(), written, "m", null, text, "end_turn", null, usage,
                null), t -> t)) instanceof Recording.Writer.Added.Written) {
            written++;
        }
        assertThat(added).isInstanceOf(Recording.Writer.Added.Full.class);
        assertThat(writer.add(new Recording.Entry("tiny", sha(), 0, null, null, text, "end_turn", null, usage, null),
                t -> t)).as("nothing after the first that did not fit").isInstanceOf(Recording.Writer.Added.Full.class);
        writer.finish();
        assertThat(out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(800);
        assertThat(Rules.load(List.of(rules(out.toString()))).size()).as("what was written loads").isEqualTo(written);
    }

    @Test
    void recorded_text_is_cut_into_the_recorded_number_of_deltas_in_proportion() {
        List<List<String>> tokens = List.of(Tokens.split("one two three four five six seven eight"), List.of(),
                Tokens.split("{\"a\":1}"));
        assertThat(Replayer.cut(tokens, 5).stream().mapToInt(List::size).sum()).isEqualTo(5);
        assertThat(Replayer.cut(tokens, 1).stream().map(List::size).toList()).as("one per non-empty block at least")
                .containsExactly(1, 0, 1);
        List<List<String>> all = Replayer.cut(tokens, 1000);
        assertThat(all.get(0)).as("at most one per token").hasSize(tokens.get(0).size());
        assertThat(String.join("", all.get(0))).isEqualTo("one two three four five six seven eight");
        assertThat(String.join("", Replayer.cut(tokens, 4).get(2))).isEqualTo("{\"a\":1}");
    }

    @Test
    @Tag("hostile")
    void a_malformed_repeat_header_is_a_400_naming_it() throws Exception {
        try (Emulator emu = Emulator.start(EmulatorConfig.builder().build())) {
            var response = post(emu.baseUri(), "/v1/messages", REQUEST, AUTH[0], AUTH[1], AUTH[2], AUTH[3],
                    Recording.REPEAT_HEADER, "-1");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).at("/error/message").asText()).startsWith("x-sonde-repeat: must be a whole number");
            assertThat(post(emu.baseUri(), "/v1/messages", REQUEST, AUTH[0], AUTH[1], AUTH[2], AUTH[3],
                    Recording.REPEAT_HEADER, "3").statusCode()).isEqualTo(200);
        }
    }

    static Stream<Arguments> malformed() throws Exception {
        String sha = sha();
        String ok = answer("x", "");
        String key = "{request_sha256: " + sha + "}";
        return Stream.of(
                Arguments.of(rule("a", "{request_sha256: ABC}", ok), "rules[0].match.request_sha256: must be 64 lowercase hex"),
                Arguments.of(rule("a", "{request_sha256: " + sha + ", repeat: -1}", ok), "rules[0].match.repeat: must be a whole"),
                Arguments.of(rule("a", "{request_sha256: " + sha + ", contains: x}", ok), "rules[0].match.contains: a recorded rule"),
                Arguments.of("  - {match: {repeat: 1}, reply: {text: x}}\n", "rules[0].match.repeat: only with request_sha256"),
                Arguments.of("  - {match: {contains: x}, reply: {recorded: " + ok + "}}\n", "rules[0].match.request_sha256: required"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttft_ms: -1, e2e_ms: 3}")),
                        "rules[0].reply.recorded.latency.ttft_ms: must be a number of milliseconds from 0"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttft_ms: \"12\", e2e_ms: 3}")),
                        "rules[0].reply.recorded.latency.ttft_ms: must be a number of milliseconds"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttft_ms: 1, itl_ms: [1, 1e300], e2e_ms: 3}")),
                        "rules[0].reply.recorded.latency.itl_ms[1]: must be a number of milliseconds"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttft_ms: 1}")), "rules[0].reply.recorded.latency.e2e_ms: required"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttft_ms: 1, itl_ms: [3600000, 3600000, 3600000, "
                        + "3600000, 3600000], e2e_ms: 10}")), "rules[0].reply.recorded.latency.itl_ms: the gaps end after e2e_ms"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttfb_ms: 20, ttft_ms: 10, e2e_ms: 30}")),
                        "rules[0].reply.recorded.latency.ttfb_ms: after ttft_ms"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttfb_ms: 20, e2e_ms: 10}")),
                        "rules[0].reply.recorded.latency.ttfb_ms: after e2e_ms"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttft_ms: 3600000, e2e_ms: 10}")),
                        "rules[0].reply.recorded.latency.ttft_ms: after e2e_ms"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttft_ms: 10, ttft_text_ms: 5, e2e_ms: 30}")),
                        "rules[0].reply.recorded.latency.ttft_text_ms: before ttft_ms"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttft_ms: 10, ttft_text_ms: 25, itl_ms: [5], e2e_ms: 30}")),
                        "rules[0].reply.recorded.latency.ttft_text_ms: after the last delta"),
                Arguments.of(rule("a", "{request_sha256: " + sha + ", model_id: \"\"}", ok),
                        "rules[0].match.model_id: must be 1 to 512 characters"),
                Arguments.of("  - {match: {model_id: a}, reply: {text: x}}\n", "rules[0].match.model_id: only with request_sha256"),
                Arguments.of(rule("a", key, answer("x", ", latency: {ttft: 1, e2e_ms: 2}")), "rules[0].reply.recorded.latency.ttft: unknown key"),
                Arguments.of(rule("a", key, "{content: [{type: server_tool_use, id: s}], stop_reason: end_turn, usage: " + USAGE + "}"),
                        "rules[0].reply.recorded.content[0].type: 'server_tool_use' cannot be replayed"),
                Arguments.of(rule("a", key, "{content: [], stop_reason: end_turn, usage: {input_tokens: -3, output_tokens: 1}}"),
                        "rules[0].reply.recorded.usage.input_tokens: must be a whole number from 0"),
                Arguments.of(rule("a", key, "{content: [], stop_reason: end_turn, usage: {input_tokens: 1.5, output_tokens: 1}}"),
                        "rules[0].reply.recorded.usage.input_tokens: must be a whole number from 0"),
                Arguments.of(rule("a", key, "{content: [], stop_reason: end_turn, usage: {output_tokens: 1}}"),
                        "rules[0].reply.recorded.usage: needs input_tokens and output_tokens"),
                Arguments.of(rule("a", key, "{content: [], usage: {input_tokens: 1, output_tokens: 1}}"),
                        "rules[0].reply.recorded.stop_reason: required"),
                Arguments.of(rule("a", key, "{content: [{type: tool_use, id: t, name: n, input: [1]}], stop_reason: tool_use, "
                        + "usage: {input_tokens: 1, output_tokens: 1}}"), "rules[0].reply.recorded.content[0].input: required, a mapping"),
                Arguments.of(rule("a", key, ok.replace("{content:", "{extra: 1, content:")), "rules[0].reply.recorded.extra: unknown key"),
                Arguments.of("  - name: a\n    match: " + key + "\n    reply: {text: x}\n",
                        "rules[0].reply: a recorded rule (request_sha256) answers with 'recorded' alone"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    @Tag("hostile")
    void a_malformed_recorded_rule_fails_loading_naming_the_file_rule_and_field(String rule, String message)
            throws Exception {
        Path file = rules("rules:\n" + rule);
        assertThatThrownBy(() -> Rules.load(List.of(file))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": " + message);
    }

    @Test
    @Tag("hostile")
    void a_recorded_rule_past_its_bounds_is_refused() throws Exception {
        List<String> gaps = new ArrayList<>();
        for (int i = 0; i <= Recording.MAX_GAPS; i++) {
            gaps.add("0");
        }
        Path file = rules("rules:\n" + rule("a", "{request_sha256: " + sha() + "}",
                answer("x", ", latency: {ttft_ms: 1, itl_ms: [" + String.join(",", gaps) + "], e2e_ms: 2}")));
        assertThatThrownBy(() -> Rules.load(List.of(file))).hasMessageContaining("itl_ms: more than 1000000 gaps");
    }
}
