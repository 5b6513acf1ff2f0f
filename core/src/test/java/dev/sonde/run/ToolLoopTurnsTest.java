package dev.sonde.run;

import dev.sonde.testing.ScriptedProvider;

import dev.sonde.testing.Analyses;

import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.journal.TurnRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool-loop trial journals one record per request — its own timings, usage, cost, stop reason and
 * tool calls — and its totals are the sums over those records; tool results are chosen by the
 * call's input; resume and merge keep the records.
 */
class ToolLoopTurnsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double IN = 3e-6;   // claude-sonnet-4-6, USD per input token
    private static final double OUT = 15e-6; // per output token
    @TempDir
    Path dir;

    /** Per request (by how many messages it has): usage, timings and the answer. */
    private static Exchange answer(MessageRequest r, List<String> toolResultsSeen) {
        ArrayNode messages = (ArrayNode) r.body().get("messages");
        JsonNode lastTurn = messages.get(messages.size() - 1).get("content");
        if (lastTurn.isArray()) {
            lastTurn.forEach(b -> toolResultsSeen.add(b.path("content").asText()));
        }
        String prompt = messages.get(0).get("content").asText();
        return switch (messages.size()) {
            case 1 -> exchange(r, List.of(new ContentBlock.Text("Checking."), tool("t1", prompt.contains("Lima") ? "Lima" : "Paris")),
                    "tool_use", Map.of("input_tokens", 1000, "output_tokens", 50),
                    new Timings(5_000_000, 40_000_000, 40_000_000, 90_000_000, new long[0], 3));
            case 3 -> exchange(r, List.of(tool("t2", "Oslo")), "tool_use",
                    Map.of("input_tokens", 200, "output_tokens", 60, "cache_read_input_tokens", 1000),
                    new Timings(6_000_000, Timings.ABSENT, 55_000_000, 120_000_000, new long[0], 2));
            default -> exchange(r, List.of(new ContentBlock.Text("Paris 15°C, Oslo -3°C.")), "end_turn",
                    Map.of("input_tokens", 1400, "output_tokens", 80),
                    new Timings(7_000_000, 65_000_000, 65_000_000, 150_000_000, new long[0], 4));
        };
    }

    private static ContentBlock.ToolUse tool(String id, String city) {
        return new ContentBlock.ToolUse(id, "get_weather", JSON.createObjectNode().put("city", city));
    }

    private static Exchange exchange(MessageRequest r, List<ContentBlock> content, String stop, Map<String, Integer> usage,
            Timings timings) {
        return new Exchange(200, "req_" + stop, r.model(), content, stop, null, Usage.fromJson(JSON.valueToTree(usage)),
                timings, null);
    }

    private Suite suite() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: turns
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                cases:
                  - id: weather
                    prompt: "Weather in Paris and Oslo?"
                    params:
                      tools: [{name: get_weather, input_schema: {type: object}}]
                    tool_loop:
                      results:
                        get_weather:
                          - {when: {city: Paris}, result: "15°C"}
                          - {when: {city: Oslo}, result: "-3°C"}
                    assert: [{type: contains, value: "Oslo -3°C"}]
                  - id: unknown-city
                    prompt: "Weather in Lima?"
                    params:
                      tools: [{name: get_weather, input_schema: {type: object}}]
                    tool_loop:
                      results:
                        get_weather:
                          - {when: {city: Paris}, result: "15°C"}
                """);
        return SuiteLoader.load(f);
    }

    private static RunInfo meta() {
        return new RunInfo("turns", "s.yaml", "run-1", "http://fake.test", true, Instant.EPOCH, null, 0, 0, 0,
                List.of(), null, "test", "21");
    }

    private static Map<String, TrialResult> byCase(RunResult result) throws Exception {
        try (Stream<TrialResult> s = result.trials()) {
            return s.collect(java.util.stream.Collectors.toMap(TrialResult::caseId, t -> t));
        }
    }

    @Test
    void each_request_of_a_tool_loop_is_journaled_and_the_totals_are_their_sums() throws Exception {
        Suite suite = suite();
        List<String> toolResults = new ArrayList<>();
        ScriptedProvider provider = RunnerTest.fake(r -> answer(r, toolResults));
        Runner runner = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE);
        Path out = dir.resolve("out");

        RunResult result = runner.run(suite, Plan.expand(suite), 1, meta(), out);

        TrialResult weather = byCase(result).get("weather");
        assertThat(weather.pass()).as(String.valueOf(weather)).isTrue();
        assertThat(toolResults).containsExactly("15°C", "-3°C"); // chosen by the call's city
        List<TurnRecord> turns = weather.turns();
        assertThat(turns).extracting(TurnRecord::turn).containsExactly(1, 2, 3);
        assertThat(turns).extracting(TurnRecord::stopReason).containsExactly("tool_use", "tool_use", "end_turn");
        assertThat(turns).extracting(TurnRecord::ttftMs).containsExactly(40.0, null, 65.0);
        assertThat(turns).extracting(TurnRecord::ttftAnyMs).containsExactly(40.0, 55.0, 65.0);
        assertThat(turns).extracting(TurnRecord::e2eMs).containsExactly(90.0, 120.0, 150.0);
        assertThat(turns).extracting(TurnRecord::attempts).containsExactly(1, 1, 1);
        assertThat(turns.get(0).toolCalls()).hasSize(1);
        assertThat(turns.get(0).toolCalls().get(0).at("/input/city").asText()).isEqualTo("Paris");
        assertThat(turns.get(1).toolCalls().get(0).at("/input/city").asText()).isEqualTo("Oslo");
        assertThat(turns.get(2).toolCalls()).isEmpty();

        double turn1 = 1000 * IN + 50 * OUT;
        double turn2 = 200 * IN + 1000 * 0.1 * IN + 60 * OUT;
        double turn3 = 1400 * IN + 80 * OUT;
        assertThat(turns.get(0).costUsd()).isCloseTo(turn1, offset(1e-12));
        assertThat(turns.get(1).costUsd()).isCloseTo(turn2, offset(1e-12));
        assertThat(turns.get(2).costUsd()).isCloseTo(turn3, offset(1e-12));
        assertThat(weather.costUsd()).isCloseTo(turn1 + turn2 + turn3, offset(1e-12));
        assertThat(weather.usage().get("input_tokens").asLong()).isEqualTo(1000 + 200 + 1400);
        assertThat(weather.usage().get("output_tokens").asLong()).isEqualTo(50 + 60 + 80);
        assertThat(weather.usage().get("cache_read_input_tokens").asLong()).isEqualTo(1000);
        assertThat(weather.timings().e2eMs()).isEqualTo(360.0); // summed over the turns (ConversationTimings)
        assertThat(Analyses.summary(result).models().get("s").costUsd())
                .isCloseTo(turn1 + turn2 + turn3 + 1000 * IN + 50 * OUT, offset(1e-12));

        JsonNode line = Files.readAllLines(out.resolve("trials.jsonl")).stream().map(ToolLoopTurnsTest::json)
                .filter(j -> j.get("case").asText().equals("weather")).findFirst().orElseThrow();
        assertThat(line.at("/turns/1/usage/cache_read_input_tokens").asInt()).isEqualTo(1000);
        assertThat(line.at("/turns/1/ttft_any_ms").asDouble()).isEqualTo(55.0);
        assertThat(line.at("/turns/2/cost_usd").asDouble()).isCloseTo(turn3, offset(1e-12));
    }

    @Test
    void a_call_no_result_covers_ends_the_trial_with_an_error_naming_the_tool_and_input() throws Exception {
        Suite suite = suite();
        ScriptedProvider provider = RunnerTest.fake(r -> answer(r, new ArrayList<>()));
        RunResult result = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE)
                .run(suite, Plan.expand(suite), 1, meta(), dir.resolve("out"));

        TrialResult lima = byCase(result).get("unknown-city");
        assertThat(lima.status()).isEqualTo("errored");
        assertThat(lima.error().errorClass()).isEqualTo("tool_result_missing");
        assertThat(lima.error().describe()).contains("get_weather").contains("{\"city\":\"Lima\"}");
        assertThat(lima.turns()).hasSize(1); // nothing was sent for the unanswered call
        assertThat(lima.costUsd()).isCloseTo(1000 * IN + 50 * OUT, offset(1e-12));
        assertThat(provider.calls()).isEqualTo(3 + 1);
    }

    @Test
    void resume_and_merge_keep_the_turns() throws Exception {
        Suite suite = suite();
        ScriptedProvider provider = RunnerTest.fake(r -> answer(r, new ArrayList<>()));
        Runner runner = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE);
        Path out = dir.resolve("out");
        RunResult first = runner.run(suite, Plan.expand(suite), 1, meta(), out);
        List<TurnRecord> turns = byCase(first).get("weather").turns();

        RunResult resumed = runner.run(suite, Plan.expand(suite), 1, meta(), out);
        assertThat(provider.calls()).isEqualTo(4); // nothing sent again
        assertThat(Analyses.summary(resumed).total().costUsd()).isCloseTo(Analyses.summary(first).total().costUsd(), offset(1e-12));
        assertThat(byCase(resumed).get("weather").turns()).isEqualTo(turns);

        Files.writeString(out.resolve("results.json"), Journal.JSON.writeValueAsString(Map.of("run", first.info())));
        first.info().writeTo(out); // run.json, as a session writes it: a run of the whole plan, merged alone
        RunResult merged = Merge.merge(List.of(out), dir.resolve("merged"));
        assertThat(byCase(merged).get("weather").turns()).isEqualTo(turns);
        assertThat(Analyses.summary(merged).total().costUsd()).isCloseTo(Analyses.summary(first).total().costUsd(), offset(1e-12));
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
