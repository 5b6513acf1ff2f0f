package dev.sonde.cli;

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

/**
 * A suite using the example custom check (dev.sonde.examples.KeywordCoverageProvider, registered by the
 * test class path's META-INF/services) runs against the emulator like any built-in type, with its
 * not- form, weight and threshold; a bad parameter of it stops the run before anything is sent.
 */
class CustomCheckRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final StringWriter console = new StringWriter();

    private int run(String cases) throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - {match: {contains: "Where is Paris?"}, reply: {text: "Paris is in France, on the Seine."}}
                """);
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, "name: custom\nmodels: [{id: s, model: claude-sonnet-4-6}]\n" + cases
                + "emulator: {rules: [rules.yaml]}\n");
        PrintWriter pw = new PrintWriter(console, true);
        return Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");
    }

    @Test
    void a_custom_check_runs_with_not_weight_and_threshold() throws Exception {
        int exit = run("""
                cases:
                  - id: covered
                    prompt: "Where is Paris?"
                    assert: [{type: keyword-coverage, value: [Paris, France, Seine]}]
                  - id: partly
                    prompt: "Where is Paris?"
                    assert: [{type: keyword-coverage, value: [Paris, Texas, Seine], threshold: 0.6}]
                  - id: not-covered
                    prompt: "Where is Paris?"
                    assert: [{type: not-keyword-coverage, value: [Texas, Austin]}]
                  - id: uncovered
                    prompt: "Where is Paris?"
                    assert:
                      - {type: keyword-coverage, value: [Texas]}
                      - {type: keyword-coverage, value: [Austin], weight: 0}
                """);
        Map<String, JsonNode> t = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("out/trials.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            t.put(n.get("case").asText(), n);
        }
        assertThat(t.get("covered").get("pass").asBoolean()).as(console.toString()).isTrue();
        assertThat(t.get("partly").get("pass").asBoolean()).isTrue();
        assertThat(t.get("partly").at("/checks/0/reason").asText()).isEqualTo("score 0.67 ≥ threshold 0.60: missing texas");
        assertThat(t.get("not-covered").get("pass").asBoolean()).isTrue();
        assertThat(t.get("not-covered").at("/checks/0/type").asText()).isEqualTo("not-keyword-coverage");
        assertThat(t.get("uncovered").get("pass").asBoolean()).isFalse();
        assertThat(t.get("uncovered").at("/checks/0/reason").asText()).isEqualTo("missing texas");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void a_bad_parameter_of_a_custom_check_stops_the_run_with_exit_2() throws Exception {
        int exit = run("""
                cases:
                  - id: c
                    prompt: "Where is Paris?"
                    assert: [{type: keyword-coverage, value: Paris}]
                """);
        assertThat(exit).isEqualTo(2);
        assertThat(console.toString().strip()).endsWith("suite.yaml:6:14: cases[0].assert[0].value: 'keyword-coverage' "
                + "needs a 'value': a non-empty list of keywords");
        assertThat(dir.resolve("out/trials.jsonl")).doesNotExist();
    }
}
