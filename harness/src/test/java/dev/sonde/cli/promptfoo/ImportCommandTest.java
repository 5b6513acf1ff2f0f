package dev.sonde.cli.promptfoo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sonde import promptfoo} end to end: the report and its exit codes, the suite it writes
 * loading and running offline on the embedded emulator, and keys never leaving the config.
 */
class ImportCommandTest {
    private static final Path RESOURCES = Path.of("src/test/resources/import");

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private static Result sonde(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path copy(String example) throws IOException {
        Path from = RESOURCES.resolve(example);
        Path to = dir.resolve(example);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to.resolve("promptfooconfig.yaml");
    }

    @Test
    void writes_a_suite_that_loads_and_reports_every_unmapped_item_with_its_line() throws Exception {
        Path config = copy("basic");
        Path suite = dir.resolve("out/capitals.yaml");

        Result r = sonde("import", "promptfoo", config.toString(), "--out", suite.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).containsExactly(
                "mapped 12 of 16 items; unmapped: 4",
                config + ":11:15: provider anthropic:messages:claude-sonnet-4-6 config.apiKey — a key is never written to a suite: "
                        + "set ANTHROPIC_API_KEY (or the variable api_key_env names) in the environment",
                config + ":13:5: provider vertex:gemini-2.0-flash — Sonde speaks the Anthropic Messages API and OpenAI-compatible "
                        + "chat completions only",
                config + ":27:9: assertion javascript — runs JavaScript; write a custom check (README, Custom checks)",
                config + ":31:17: assertion not-icontains metric: no-london — dropped: Sonde reports each assertion by its type, "
                        + "with no named metrics",
                "note: anthropic:messages:claude-sonnet-4-6: max_tokens set to 1024 (the Messages API requires it; promptfoo's default too)",
                suite + ": loads");
        String text = Files.readString(suite);
        assertThat(text).startsWith("# Imported from promptfooconfig.yaml by sonde import promptfoo.\n# mapped 12 of 16 items; unmapped: 4\n#   "
                + config + ":11:15: provider");
        assertThat(text).contains("name: Capitals-quiz").contains("- id: France-p1\n").contains("- id: test-2-polite-2\n")
                .contains("prompt: |\n    Please tell me, in a {{tone}} way: what is the capital of {{country}}?\n")
                .doesNotContain("KEY_PLACEHOLDER");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void without_out_the_suite_goes_to_stdout_and_the_report_to_stderr() throws Exception {
        Result r = sonde("import", "promptfoo", copy("files").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("# Imported from promptfooconfig.yaml").contains("\ncases:\n");
        assertThat(r.err().lines().toList()).first().isEqualTo("mapped 22 of 25 items; unmapped: 3");
        assertThat(r.err()).contains("files/data/tests.csv:2:1: __expected2 'javascript:output.length < 9' — code (javascript:)")
                .contains("files/promptfooconfig.yaml:23:5: tests file://data/missing.yaml — no such file")
                .contains("files/promptfooconfig.yaml:5:5: prompt file://prompts/script.py:make_prompt — ")
                .doesNotContain("does not load");
        // the CSV's cells are vars and shorthand; the if/else became a section and its inverse
        assertThat(r.out()).contains("  - type: not-contains\n    value: purple\n")
                .contains("Reply {{#formal}}formally{{/formal}}{{^formal}}casually{{/formal}} to: {{question}}")
                .contains("- id: sum-chat\n  system: You are terse.\n");
    }

    @Test
    void strict_exits_1_when_anything_is_unmapped_and_still_writes_the_suite() throws Exception {
        Path suite = dir.resolve("s.yaml");
        Result r = sonde("import", "promptfoo", copy("basic").toString(), "--out", suite.toString(), "--strict");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(suite).exists();
    }

    @Test
    @Tag("hostile")
    void a_bad_config_is_one_located_line_and_exit_2_without_echoing_a_key() throws Exception {
        String key = "sk-ant-" + "api03-0123456789abcdefghijklmnop";
        Path config = dir.resolve("promptfooconfig.json");
        Files.writeString(config, "{\"providers\": [\"anthropic:claude-haiku-4-5\"],\n \"apiKey\": \"" + key + "\" \"x\"\n}");

        Result r = sonde("import", "promptfoo", config.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("sonde import: " + config + ":2:").doesNotContain(key).doesNotContain("Exception");
        assertThat(r.out()).isEmpty();

        Result missing = sonde("import", "promptfoo", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("sonde import: " + dir.resolve("nope.yaml") + ":1:1: no such file " + dir.resolve("nope.yaml"));
    }

    @Test
    @Tag("hostile")
    void a_key_in_the_config_reaches_neither_the_suite_nor_the_console() throws Exception {
        String key = "sk-ant-" + "api03-ZYXWVUTSRQPONMLKJIHGFEDCBA";
        Path config = dir.resolve("promptfooconfig.yaml");
        Files.writeString(config, """
                prompts: ["Hi {{name}}"]
                providers:
                  - id: anthropic:claude-haiku-4-5
                    config: {apiKey: %s, headers: {Authorization: "Bearer %s"}}
                env: {ANTHROPIC_API_KEY: %s}
                tests: [{vars: {name: Ann}}]
                """.formatted(key, key, key));
        Path suite = dir.resolve("s.yaml");

        Result r = sonde("import", "promptfoo", config.toString(), "--out", suite.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(suite)).doesNotContain(key).doesNotContain("Bearer");
        assertThat(r.out() + r.err()).doesNotContain(key).contains("config.apiKey — a key is never written")
                .contains("header Authorization — a credential is never written").contains(":5:6: env — set these in the environment");
    }

    @Test
    void an_imported_suite_runs_offline_on_the_embedded_emulator() throws Exception {
        Path config = dir.resolve("promptfooconfig.yaml");
        Files.writeString(config, """
                description: offline
                prompts: ["What is the capital of {{ country }}?"]
                providers:
                  - id: anthropic:messages:claude-haiku-4-5
                    config: {max_tokens: 64}
                tests:
                  - vars: {country: France}
                    assert:
                      - {type: icontains, value: paris}
                      - {type: not-contains, value: London}
                      - {type: equals, value: The capital of France is Paris.}
                """);
        Path suite = dir.resolve("offline.yaml");
        Result imported = sonde("import", "promptfoo", config.toString(), "--out", suite.toString(), "--strict");
        assertThat(imported.exit()).as(imported.out() + imported.err()).isZero();
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "capital of France"}
                    reply: {text: "The capital of France is Paris."}
                """);
        Files.writeString(suite, Files.readString(suite) + "emulator: {seed: 7, rules: [rules.yaml]}\n");

        Result run = sonde("run", suite.toString(), "--endpoint", "emulator", "--out", dir.resolve("run").toString(), "-q");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("PASS  offline: 1/1 passed");
    }

    @Test
    void a_suite_with_similar_is_written_whole_and_checked_without_it_when_this_build_has_no_embedder() throws Exception {
        Path config = dir.resolve("promptfooconfig.yaml");
        Files.writeString(config, """
                prompts: ["Say hello"]
                providers: [anthropic:messages:claude-haiku-4-5]
                tests:
                  - assert:
                      - {type: similar, value: hello there, threshold: 0.8}
                      - {type: answer-relevance}
                      - {type: icontains, value: hello}
                """);
        Path suite = dir.resolve("similar.yaml");

        Result r = sonde("import", "promptfoo", config.toString(), "--out", suite.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.contains("-Pembeddings")).toList())
                .containsExactly("note: this suite needs the -Pembeddings build (similar, answer-relevance)");
        assertThat(r.out()).contains(suite + ": loads with similar, answer-relevance left out (this build has no embedder)");
        assertThat(Files.readString(suite)).contains("type: similar").contains("type: answer-relevance");
        Result lint = sonde("lint", suite.toString());
        assertThat(lint.exit()).as("this build still refuses the suite itself").isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void prompt_comparisons_responses_models_and_subscripts_import_to_suites_that_run_offline() throws Exception {
        Path config = dir.resolve("promptfooconfig.yaml");
        Files.writeString(config, """
                description: mixed
                prompts: ["Pick {{ picks[0]['name'] }} or {{ picks[1].name }}", "Choose {{ picks[1]['name'] }}"]
                providers:
                  - id: openai:responses:gpt-4.1-mini
                    config: {max_output_tokens: 64, reasoning: {effort: low}, text: {format: {type: json_object}}}
                tests:
                  - vars: {picks: [{name: tea}, {name: coffee}]}
                    assert:
                      - {type: select-best, value: the clearest}
                      - {type: icontains, value: coffee}
                """);
        Path suite = dir.resolve("mixed.yaml");
        Result imported = sonde("import", "promptfoo", config.toString(), "--out", suite.toString());
        assertThat(imported.exit()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("assertion select-best in test #1 — it runs on 1 model").contains(suite + ": loads");
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "Pick tea or coffee"}
                    reply: {text: "coffee"}
                  - match: {contains: "Choose coffee"}
                    reply: {text: "Coffee it is"}
                """);
        Files.writeString(suite, Files.readString(suite) + "emulator: {seed: 7, rules: [rules.yaml]}\n");

        Result run = sonde("run", suite.toString(), "--endpoint", "emulator", "--out", dir.resolve("run").toString(), "-q");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("PASS  mixed: 2/2 passed");
    }
}
