package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.LatencyProfile;
import dev.sonde.metrics.Clock;
import dev.sonde.run.TrialListener;
import dev.sonde.session.SuiteSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's acceptance for record and replay: a "live" Anthropic-compatible server (a second
 * emulator on loopback, with a real latency profile, rules and a key it insists on) answers a suite
 * with repeats, a tool loop and an llm-rubric check under {@code --record}; the same suite then runs
 * offline on the embedded emulator from the recorded file, and gives the same verdicts, outputs,
 * usage and costs per trial, and TTFT / end-to-end percentiles within 10 % or 2 ms of the recorded run.
 */
class RecordReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Split in two, so no committed line looks like a real key. */
    private static final String KEY = "sk-ant-" + "record-test-0123456789abcdef";
    private static final Path GRADER_RULES = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("fixtures/graders/rules.yaml").toAbsolutePath().normalize();
    @TempDir
    Path dir;

    private static final String SUITE = """
            name: recorded
            models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 60}}]
            grader: {model: h, params: {max_tokens: 200}}
            run: {repeat: 3, concurrency: 4}
            emulator: {rules: [recorded.yaml]}
            cases:
              - id: plain
                prompt: "Tell me about harbours"
                assert: [{type: stop-reason, value: [end_turn, max_tokens]}]
              - id: weather
                prompt: "What is the weather in Paris?"
                params:
                  tools:
                    - name: get_weather
                      description: Current weather in a city.
                      input_schema: {type: object, required: [city], properties: {city: {type: string}}}
                tool_loop: {max_turns: 3, results: {get_weather: "Paris: 15 C, sunny"}}
                assert: [{type: tool-sequence, value: [get_weather]}]
              - id: capital
                prompt: "What is the capital of France?"
                assert: [{type: llm-rubric, value: "Names the capital of France correctly."}]
              - id: echo
                prompt: "echo %s"
                assert: [{type: contains, value: "You said"}]
            """.formatted(KEY);

    @Test
    void a_recorded_live_run_replays_offline_with_the_same_verdicts_outputs_usage_costs_and_latency() throws Exception {
        Path liveRules = dir.resolve("live.yaml");
        Files.writeString(liveRules, """
                rules:
                  # the first request about harbours only: the repeats of one trial get different answers live
                  - {match: {contains: "harbours"}, max_matches: 1, reply: {text: "Harbours, the first answer."}}
                  - {match: {contains: "weather in Paris"}, reply: {tool_use: {name: get_weather, input: {city: Paris}}}}
                  - {match: {contains: "capital of France"}, reply: {text: "The capital of France is Paris."}}
                  - {match: {contains: "echo"}, reply: {text: "You said: {{last_user_text}}"}}
                """);
        Files.writeString(dir.resolve("recorded.yaml"), "rules: []\n"); // the suite names it before it is recorded
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, SUITE);
        EmulatorConfig live = EmulatorConfig.builder().seed(11).acceptedKeys(java.util.Set.of(KEY))
                .rules(List.of(GRADER_RULES, liveRules))
                .latency(List.of(new LatencyProfile("*", 400, 0, 300, 0.3))).build();
        try (Emulator server = Emulator.start(live)) {
            SuiteSession.Evaluated recorded = run(suite, server.baseUri().toString(), "rec", Map.of("ANTHROPIC_API_KEY", KEY),
                    dir.resolve("recorded.yaml"));
            long liveRequests = server.requestCount();
            SuiteSession.Evaluated replayed = run(suite, null, "rep", Map.of(), null);

            assertThat(recorded.result().info().live()).isTrue();
            assertThat(replayed.result().info().live()).isFalse();
            assertThat(server.requestCount()).as("the replay sent nothing to the live server").isEqualTo(liveRequests);
            String file = Files.readString(dir.resolve("recorded.yaml"));
            assertThat(file).doesNotContain(KEY).contains("[masked]").contains("request_sha256").contains("repeat: 2");
            // 4 cases x 3 repeats, a second turn for each tool loop, a grader call for each capital trial
            assertThat(file.split("\n- name: ", -1).length - 1).isEqualTo(12 + 3 + 3);

            Map<String, JsonNode> a = journal("rec");
            Map<String, JsonNode> b = journal("rep");
            assertThat(b.keySet()).isEqualTo(a.keySet()).hasSize(12);
            for (String id : a.keySet()) {
                for (String field : List.of("pass", "output_text", "stop_reason", "tool_calls", "usage", "cost_usd",
                        "checks", "grader_usage", "grader_cost_usd", "error")) {
                    assertThat(b.get(id).get(field)).as(id + " " + field).isEqualTo(a.get(id).get(field));
                }
                assertThat(b.get(id).get("turns").findValues("usage")).as(id + " turns")
                        .isEqualTo(a.get(id).get("turns").findValues("usage"));
            }
            assertThat(a.values().stream().filter(t -> t.get("case").asText().equals("plain"))
                    .map(t -> t.get("output_text").asText()).distinct().count())
                    .as("repeats answered differently live, so each must get its own").isGreaterThan(1);
            assertThat(a.get("echo/h/0").get("output_text").asText()).contains("[masked]").doesNotContain(KEY);
            assertThat(a.get("weather/h/1").get("turns").size()).isEqualTo(2);
            assertThat(a.values()).allSatisfy(t -> assertThat(t.get("pass").asBoolean()).as(t.toString()).isTrue());
            // the k-th repeat gets the k-th answer by its header, not by the order requests arrive in: the
            // answers to each request are rotated by one in the file, and each trial still gets its own
            rotateAnswers();
            run(suite, null, "rotated", Map.of(), null);
            Map<String, JsonNode> c = journal("rotated");
            assertThat(c.keySet()).isEqualTo(a.keySet());
            c.forEach((id, t) -> assertThat(t.get("output_text")).as(id).isEqualTo(a.get(id).get("output_text")));

            double spent = a.values().stream().mapToDouble(t -> t.get("cost_usd").asDouble()).sum();
            assertThat(b.values().stream().mapToDouble(t -> t.get("cost_usd").asDouble()).sum()).isEqualTo(spent)
                    .isPositive();

            for (String metric : List.of("ttft_ms", "e2e_ms")) {
                Function<Map<String, JsonNode>, List<Double>> samples = j -> j.values().stream()
                        .map(t -> t.path("timings").path(metric)).filter(JsonNode::isNumber).map(JsonNode::asDouble)
                        .sorted().toList();
                List<Double> was = samples.apply(a);
                List<Double> now = samples.apply(b);
                assertThat(now).as(metric + " samples").hasSameSizeAs(was).isNotEmpty();
                for (double p : new double[] {0.5, 0.9, 1.0}) {
                    double expected = percentile(was, p);
                    assertThat(percentile(now, p)).as(metric + " p" + (int) (p * 100))
                            .isCloseTo(expected, org.assertj.core.data.Offset.offset(Math.max(2.0, expected * 0.10)));
                }
            }
        }
    }

    @Test
    void two_models_of_one_api_id_repeats_with_equal_answers_and_a_thinking_answer_replay_per_trial() throws Exception {
        Path liveRules = dir.resolve("live.yaml");
        Files.writeString(liveRules, """
                rules:
                  # one request body for both models: only the first request gets the first answer
                  - {match: {contains: "red planet"}, max_matches: 1, reply: {text: "Mars, the first answer."}}
                  - {match: {contains: "red planet"}, reply: {text: "Mars, a later answer."}}
                  # every answer the same, every grading request the same: only the first grading passes
                  - {match: {contains: "Names the capital"}, max_matches: 1,
                     reply: {text: '{"pass": true, "score": 0.9, "reason": "the first verdict"}'}}
                  - {match: {contains: "Names the capital"},
                     reply: {text: '{"pass": false, "score": 0.1, "reason": "a later verdict"}'}}
                  - {match: {contains: "capital of France"}, reply: {text: "The capital of France is Paris."}}
                """);
        Files.writeString(dir.resolve("recorded.yaml"), "rules: []\n");
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: labelled
                models:
                  - {id: a, model: claude-haiku-4-5, params: {max_tokens: 1200}}
                  - {id: b, model: claude-haiku-4-5, params: {max_tokens: 1200}, headers: {anthropic-beta: a-flag}}
                grader: {model: a, params: {max_tokens: 200}}
                run: {repeat: 2, concurrency: 1}
                emulator: {rules: [recorded.yaml]}
                cases:
                  - id: planet
                    prompt: "Name the red planet"
                    assert: [{type: contains, value: Mars}]
                  - id: capital
                    prompt: "What is the capital of France?"
                    assert: [{type: llm-rubric, value: "Names the capital of France correctly."}]
                  - id: think
                    prompt: "Think, then tell me about harbours"
                    params: {thinking: {type: enabled, budget_tokens: 1024}}
                    assert: [{type: stop-reason, value: [end_turn, max_tokens]}]
                """);
        EmulatorConfig live = EmulatorConfig.builder().seed(5).acceptedKeys(java.util.Set.of(KEY)).rules(List.of(liveRules))
                .latency(List.of(new LatencyProfile("*", 40, 0, 4000, 0.3))).build();
        try (Emulator server = Emulator.start(live)) {
            run(suite, server.baseUri().toString(), "rec", Map.of("ANTHROPIC_API_KEY", KEY), dir.resolve("recorded.yaml"));
        }
        Map<String, JsonNode> a = journal("rec");
        assertThat(a.values().stream().filter(t -> t.get("case").asText().equals("planet"))
                .map(t -> t.get("output_text").asText()).distinct().count()).as("answers differed live").isEqualTo(2);
        assertThat(a.values().stream().filter(t -> t.get("case").asText().equals("capital"))
                .map(t -> t.get("pass").asBoolean()).distinct().count()).as("verdicts differed live").isEqualTo(2);
        // answers to one request rotated by one in the file: arrival order would now deal them out wrongly
        rotateAnswers();
        run(suite, null, "rep", Map.of(), null);
        Map<String, JsonNode> b = journal("rep");
        assertThat(b.keySet()).isEqualTo(a.keySet()).hasSize(12);
        for (String id : a.keySet()) {
            for (String field : List.of("pass", "output_text", "checks", "usage")) {
                assertThat(b.get(id).get(field)).as(id + " " + field).isEqualTo(a.get(id).get(field));
            }
            if (id.startsWith("think/")) {
                double was = a.get(id).at("/timings/ttft_ms").asDouble();
                assertThat(b.get(id).at("/timings/ttft_ms").asDouble()).as(id + " time to the first text")
                        .isCloseTo(was, org.assertj.core.data.Offset.offset(Math.max(2.0, was * 0.10)));
            }
        }
    }

    /** Rotates the recorded answers to each request by one in the file, so arrival order would deal them out wrongly. */
    private void rotateAnswers() throws Exception {
        ObjectMapper yaml = new YAMLMapper();
        Map<String, List<JsonNode>> byRequest = new LinkedHashMap<>();
        yaml.readTree(dir.resolve("recorded.yaml").toFile()).get("rules").forEach(r -> byRequest
                .computeIfAbsent(r.at("/match/request_sha256").asText(), k -> new ArrayList<>()).add(r));
        List<JsonNode> rotated = new ArrayList<>();
        byRequest.values().forEach(answers -> {
            rotated.addAll(answers.subList(1, answers.size()));
            rotated.add(answers.get(0));
        });
        yaml.writeValue(dir.resolve("recorded.yaml").toFile(), Map.of("rules", rotated));
    }

    private SuiteSession.Evaluated run(Path suite, String endpoint, String out, Map<String, String> env, Path record)
            throws Exception {
        return (SuiteSession.Evaluated) SuiteSession.run(new SuiteSession.Options(suite, endpoint, dir.resolve(out), null,
                null, dir, env, TrialListener.NONE, Clock.system(), null, false, null, false, false, List.of(), List.of(),
                null, record));
    }

    private Map<String, JsonNode> journal(String out) throws Exception {
        Map<String, JsonNode> trials = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve(out).resolve("trials.jsonl"))) {
            JsonNode t = JSON.readTree(line);
            trials.put(t.get("trial_id").asText(), t);
        }
        return trials;
    }

    /** The nearest-rank percentile of sorted {@code values}. */
    private static double percentile(List<Double> values, double p) {
        int rank = (int) Math.ceil(p * values.size());
        return new ArrayList<>(values).get(Math.max(0, rank - 1));
    }
}
