package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.testing.Suites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An offline run whose answers no emulator rule matched says how many, counted from the emulator's
 * response header as journaled on each trial (and each tool-loop turn): on the console, in
 * summary.md, report.html and results.json; a run whose every answer a rule chose says nothing.
 */
class EmulatorFillerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINE = " emulator filler: no rule matched — record them with --record, or write rules";
    @TempDir
    Path dir;
    private final StringWriter console = new StringWriter();

    private int run(String rules) throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), rules);
        Path suite = Suites.write(dir, "suite.yaml", """
                name: mine
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                cases:
                  - {id: capital, prompt: "What is the capital of France?", assert: [{type: icontains, value: paris}]}
                  - {id: greet, prompt: "Say hello to Ada.", assert: [{type: icontains, value: ada}]}
                  - {id: count, prompt: "Count to three.", assert: [{type: contains, value: "1, 2, 3"}]}
                run: {repeat: 2}
                emulator: {rules: [rules.yaml], config: fast.yaml}
                """);
        PrintWriter pw = new PrintWriter(console, true);
        return Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");
    }

    private String file(String name) throws Exception {
        return Files.readString(dir.resolve("out").resolve(name));
    }

    @Test
    void a_suite_with_no_rules_is_told_that_every_answer_is_filler_everywhere() throws Exception {
        int exit = run("rules: []\n");

        assertThat(exit).isEqualTo(1);
        assertThat(console.toString()).contains("  6 of 6 answers are" + LINE);
        assertThat(file("summary.md")).contains("6 of 6 answers are" + LINE);
        assertThat(file("report.html")).contains("6 of 6 answers are" + LINE);
        JsonNode results = JSON.readTree(file("results.json"));
        assertThat(results.at("/emulator_filler/filler").asLong()).isEqualTo(6);
        assertThat(results.at("/emulator_filler/answers").asLong()).isEqualTo(6);
        for (String line : Files.readAllLines(dir.resolve("out/trials.jsonl"))) {
            assertThat(JSON.readTree(line).get("emulator_filler").asBoolean()).as(line).isTrue();
        }
    }

    @Test
    void answers_a_rule_chose_are_not_counted() throws Exception {
        int exit = run("""
                rules:
                  - {match: {contains: "capital of France"}, reply: {text: "Paris."}}
                """);

        assertThat(exit).isEqualTo(1);
        assertThat(console.toString()).contains("  4 of 6 answers are" + LINE);
        JsonNode results = JSON.readTree(file("results.json"));
        assertThat(results.at("/emulator_filler/filler").asLong()).isEqualTo(4);
        for (String line : Files.readAllLines(dir.resolve("out/trials.jsonl"))) {
            JsonNode t = JSON.readTree(line);
            assertThat(t.has("emulator_filler")).as(line).isEqualTo(!t.get("case").asText().equals("capital"));
        }
    }

    @Test
    void with_a_rule_for_every_case_nothing_is_said_and_results_json_has_no_count() throws Exception {
        int exit = run("""
                rules:
                  - {match: {contains: "capital of France"}, reply: {text: "Paris."}}
                  - {match: {contains: "hello to Ada"}, reply: {text: "Hello, Ada!"}}
                  - {match: {contains: "Count to three"}, reply: {text: "1, 2, 3"}}
                """);

        assertThat(exit).as(console.toString()).isZero();
        assertThat(console.toString()).doesNotContain("filler");
        assertThat(file("summary.md")).doesNotContain("filler");
        assertThat(file("report.html")).doesNotContain("no rule matched");
        assertThat(JSON.readTree(file("results.json")).get("emulator_filler").isNull()).isTrue();
        assertThat(file("trials.jsonl")).doesNotContain("emulator_filler");
    }

    @Test
    void a_tool_loop_turn_no_rule_answered_is_marked_and_makes_its_trial_filler() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "weather in Paris"}
                    reply: {text: "Let me check.", tool_use: {name: get_weather, input: {city: Paris}}}
                """);
        Path suite = Suites.write(dir, "suite.yaml", """
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
                    assert: [{type: tool-sequence, value: [get_weather]}]
                emulator: {rules: [rules.yaml], config: fast.yaml}
                """);
        PrintWriter pw = new PrintWriter(console, true);
        Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");

        JsonNode trial = JSON.readTree(Files.readAllLines(dir.resolve("out/trials.jsonl")).getFirst());
        assertThat(trial.get("turns")).as(trial.toString()).hasSize(2);
        assertThat(trial.get("turns").get(0).has("emulator_filler")).isFalse();
        assertThat(trial.get("turns").get(1).get("emulator_filler").asBoolean()).isTrue();
        assertThat(trial.get("emulator_filler").asBoolean()).isTrue();
        assertThat(console.toString()).contains("  1 of 1 answer is" + LINE);
    }

    @Test
    void grader_answers_no_rule_matched_are_no_verdict_and_are_counted_apart() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - {match: {contains: "France's capital"}, reply: {text: "Paris."}}
                """); // the grader's request holds the rubric and the answer, not the prompt: no rule matches it
        Path suite = Suites.write(dir, "suite.yaml", """
                name: graded
                models:
                  - {id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}
                  - {id: judge, model: claude-haiku-4-5, params: {max_tokens: 200}}
                grader: {model: judge}
                cases:
                  - id: capital
                    models: [s]
                    prompt: "Which city is France's capital?"
                    assert: [{type: llm-rubric, value: "Names Paris."}]
                run: {repeat: 4}
                emulator: {rules: [rules.yaml], config: fast.yaml}
                """);
        PrintWriter pw = new PrintWriter(console, true);
        int exit = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");

        assertThat(exit).isEqualTo(1);
        String line = "4 grader answers are emulator filler: no rule matched — record them with --record, or write rules";
        assertThat(console.toString()).contains("  " + line);
        assertThat(file("summary.md")).contains(line);
        assertThat(file("report.html")).contains(line);
        JsonNode results = JSON.readTree(file("results.json"));
        assertThat(results.at("/emulator_filler/filler").asLong()).as("the trials' own answers had a rule").isZero();
        assertThat(results.at("/emulator_filler/answers").asLong()).isEqualTo(4);
        assertThat(results.at("/emulator_filler/grader_filler").asLong()).isEqualTo(4);
        for (String journaled : Files.readAllLines(dir.resolve("out/trials.jsonl"))) {
            JsonNode t = JSON.readTree(journaled);
            assertThat(t.has("emulator_filler")).as(journaled).isFalse();
            assertThat(t.at("/grader_usage/filler_calls").asLong()).isEqualTo(1);
            JsonNode check = t.get("checks").get(0);
            assertThat(check.get("undecided").asBoolean()).isTrue();
            assertThat(check.get("reason").asText()).isEqualTo("grader judge failed: its answer was emulator filler: "
                    + "no rule matched the grader's request — record it with --record, or write a rule for it");
        }
    }
}
