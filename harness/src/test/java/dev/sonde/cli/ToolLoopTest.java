package dev.sonde.cli;

import dev.sonde.testing.Suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A case with tool_loop answers tool calls with canned results until the model is done, within max_turns. */
class ToolLoopTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void a_tool_loop_answers_calls_until_the_final_answer_and_stops_at_max_turns() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "weather in Paris"}
                    reply: {text: "Let me check.", tool_use: {name: get_weather, input: {city: Paris}}}
                  - match: {contains: "15°C and sunny"}
                    reply: {text: "It is 15°C and sunny in Paris."}
                  - match: {contains: "[forever]"}
                    reply: {tool_use: {name: get_weather, input: {city: Nowhere}}}
                """);
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: tools
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                defaults:
                  params:
                    tools:
                      - {name: get_weather, description: Weather now, input_schema: {type: object, properties: {city: {type: string}}, required: [city]}}
                cases:
                  - id: weather
                    prompt: "What's the weather in Paris?"
                    tool_loop: {results: {get_weather: "15°C and sunny"}}
                    assert:
                      - {type: contains, value: "15°C and sunny in Paris"}
                      - {type: tool-sequence, value: [get_weather]}
                      - {type: stop-reason, value: end_turn}
                  - id: endless
                    prompt: "Loop [forever]"
                    tool_loop: {max_turns: 3, results: {default: "again [forever]"}}
                emulator: {rules: [rules.yaml], config: fast.yaml}
                """);
        Suites.fastEmulator(dir);
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int exit = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");

        Map<String, JsonNode> trials = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("out/trials.jsonl"))) {
            JsonNode t = JSON.readTree(line);
            trials.put(t.get("case").asText(), t);
        }
        JsonNode weather = trials.get("weather");
        assertThat(weather.get("pass").asBoolean()).as(console.toString() + weather).isTrue();
        assertThat(weather.get("output_text").asText()).isEqualTo("Let me check.\n\nIt is 15°C and sunny in Paris.");
        assertThat(weather.get("attempts").asInt()).isEqualTo(1); // two turns, no retry
        assertThat(weather.at("/usage/turns").asInt()).isEqualTo(2);
        assertThat(weather.get("tool_calls").get(0).at("/input/city").asText()).isEqualTo("Paris");
        JsonNode endless = trials.get("endless");
        assertThat(endless.get("pass").asBoolean()).isFalse();
        assertThat(endless.at("/error/class").asText()).isEqualTo("tool_loop_limit");
        assertThat(endless.get("tool_calls")).hasSize(3);
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void each_turn_is_journaled_with_its_own_timings_from_the_emulator_latency_and_the_trial_sums_them() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "weather in Paris and Oslo"}
                    reply: {text: "Paris first.", tool_use: {name: get_weather, input: {city: Paris}}}
                  - match: {contains: "Paris: 15"}
                    reply: {text: "Now Oslo.", tool_use: {name: get_weather, input: {city: Oslo}}}
                  - match: {contains: "Oslo: -3"}
                    reply: {text: "Paris 15, Oslo -3."}
                """);
        Files.writeString(dir.resolve("slow.yaml"), "latency: [{model: \"*\", ttft_base_ms: 60, prefill_us_per_token: 0, "
                + "output_tokens_per_second: 0, jitter_sigma: 0}]\n");
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: turns
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                cases:
                  - id: weather
                    prompt: "What's the weather in Paris and Oslo?"
                    params:
                      tools:
                        - {name: get_weather, input_schema: {type: object, properties: {city: {type: string}}}}
                    tool_loop:
                      results:
                        get_weather:
                          - {when: {city: Paris}, result: "Paris: 15"}
                          - {when: {city: Oslo}, result: "Oslo: -3"}
                emulator: {rules: [rules.yaml], config: slow.yaml}
                """);
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int exit = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");

        JsonNode t = JSON.readTree(Files.readAllLines(dir.resolve("out/trials.jsonl")).get(0));
        assertThat(exit).as(console.toString()).isZero();
        JsonNode turns = t.get("turns");
        assertThat(turns).hasSize(3);
        double cost = 0;
        long input = 0;
        for (int i = 0; i < 3; i++) {
            JsonNode turn = turns.get(i);
            assertThat(turn.get("turn").asInt()).isEqualTo(i + 1);
            assertThat(turn.get("ttft_any_ms").asDouble()).as("turn %d waited the emulator's 60 ms", i + 1)
                    .isGreaterThanOrEqualTo(60.0);
            assertThat(turn.get("e2e_ms").asDouble()).isGreaterThanOrEqualTo(turn.get("ttft_any_ms").asDouble());
            cost += turn.get("cost_usd").asDouble();
            input += turn.at("/usage/input_tokens").asLong();
        }
        assertThat(turns.get(0).at("/tool_calls/0/input/city").asText()).isEqualTo("Paris");
        assertThat(turns.get(1).at("/tool_calls/0/input/city").asText()).isEqualTo("Oslo");
        assertThat(turns.get(2).get("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(t.get("cost_usd").asDouble()).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.at("/usage/input_tokens").asLong()).isEqualTo(input);
        double e2e = 0;
        for (JsonNode turn : turns) {
            e2e += turn.get("e2e_ms").asDouble();
        }
        assertThat(t.at("/timings/e2e_ms").asDouble()).isCloseTo(e2e, org.assertj.core.data.Offset.offset(0.002));
        assertThat(t.at("/timings/ttft_any_ms").asDouble()).isEqualTo(turns.get(0).get("ttft_any_ms").asDouble());
    }
}
