package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sonde lint} end to end, and the same warnings ahead of {@code sonde run}. */
class LintCommandTest {
    private static final Path FIVE = Path.of("../core/src/test/resources/dev/sonde/suite/lint/five-mistakes.yaml");
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", ".."));

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private static Result sonde(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void the_five_mistakes_fixture_gives_five_located_warnings_and_exit_1() {
        Result r = sonde("lint", FIVE.toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.outLines()).hasSize(6);
        List<String> warnings = r.outLines().subList(0, 5);
        assertThat(warnings).extracting(l -> l.substring(0, l.indexOf(": warning: "))).containsExactly(
                FIVE + ":17:7", FIVE + ":29:13", FIVE + ":33:51", FIVE + ":48:55", FIVE + ":59:95");
        assertThat(warnings).allSatisfy(l -> assertThat(l).matches(".*: warning: .*\\. Fix: .*"));
        // the suite's emulator config sets the minimum to 40 tokens, and the lint uses it
        assertThat(warnings.get(2)).contains("below claude-sonnet-4-6's minimum of 40,");
        // after the warnings, what was checked
        assertThat(r.outLines().get(5)).isEqualTo(FIVE + ": 10 breakpoints in 5 cases × 1 model: 5 warnings");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void a_bedrock_model_is_held_to_the_minimum_of_the_anthropic_model_its_id_names(@TempDir Path dir) throws Exception {
        String text = Files.readString(FIVE).replace("    model: claude-sonnet-4-6\n",
                "    provider: bedrock\n    region: us-east-1\n    model: us.anthropic.claude-haiku-4-5-20251001-v1:0\n");
        try (Stream<Path> siblings = Files.list(FIVE.getParent())) { // its emulator config and datasets
            for (Path f : siblings.filter(f -> f.getFileName().toString().startsWith("five-mistakes-")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path suite = Files.writeString(dir.resolve("five-mistakes.yaml"), text);

        Result r = sonde("lint", suite.toString(), "--endpoint", "live");

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        // the platform id names claude-haiku-4-5, whose live minimum is 4,096 tokens (not the 1,024 of an unknown id)
        assertThat(r.outLines()).filteredOn(l -> l.contains("minimum of 4096")).hasSizeGreaterThan(1);
        assertThat(r.out()).doesNotContain("minimum of 1024");
    }

    @Test
    void against_a_live_endpoint_the_apis_minimums_apply_not_the_emulator_configs() {
        Result r = sonde("lint", FIVE.toString(), "--endpoint", "https://api.anthropic.com");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("minimum of 40,").contains("below claude-sonnet-4-6's minimum of 1024,");
        assertThat(r.outLines()).filteredOn(l -> l.contains("minimum of 1024")).hasSizeGreaterThan(1);
    }

    @Test
    void every_shipped_suite_lints_clean() throws Exception {
        List<Path> suites;
        try (Stream<Path> files = Files.list(PROJECT.resolve("suites"))) {
            suites = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(suites).isNotEmpty();
        for (Path suite : suites) {
            Result r = sonde("lint", suite.toString());
            assertThat(r.exit()).as(suite + ": " + r.out() + r.err()).isZero();
            assertThat(r.outLines()).as(suite.toString()).singleElement().asString()
                    .matches(java.util.regex.Pattern.quote(suite.toString())
                            + ": \\d+ breakpoints? in \\d+ cases? × \\d+ models?: no problems");
            assertThat(r.err()).as(suite.toString()).isEmpty();
        }
    }

    @Test
    void a_bad_suite_exits_2_with_the_same_one_line_error_as_run() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\nmodels: [{id: m, model: claude-sonnet-4-6}]\ncases:\n  - {id: a, promt: hi}\n");

        Result lint = sonde("lint", bad.toString());
        Result run = sonde("run", bad.toString(), "--out", dir.resolve("out").toString());

        assertThat(lint.exit()).isEqualTo(2);
        assertThat(lint.out()).isEmpty();
        assertThat(lint.err().lines().toList()).singleElement().asString()
                .startsWith(bad + ":4:").contains("cases[0].promt: unknown key");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(lint.err());
    }

    @Test
    void run_prints_the_warnings_on_stderr_then_runs_even_when_quiet() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "capital of France"}
                    reply: {text: "Paris."}
                """);
        Files.writeString(dir.resolve("fast.yaml"), """
                latency:
                  - {model: "*", ttft_base_ms: 0, prefill_us_per_token: 0, output_tokens_per_second: 0, jitter_sigma: 0}
                """);
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: warned
                models: [{id: sonnet, model: claude-sonnet-4-6}]
                cases:
                  - id: capital
                    system: [{type: text, text: "Be brief.", cache_control: {type: ephemeral}}]
                    prompt: "What is the capital of France?"
                    assert: [{type: contains, value: Paris}]
                emulator: {rules: [rules.yaml], config: fast.yaml}
                """);

        Result r = sonde("run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("PASS  warned: 1/1 passed");
        assertThat(r.err().lines().toList()).contains(suite + ":5:46: warning: cases[0].system[0].cache_control "
                + "(case capital): the prefix through this breakpoint is at most about 4 tokens (an over-count), below "
                + "claude-sonnet-4-6's minimum of 1024, so it is silently not cached (both cache counters stay 0). "
                + "Fix: remove this breakpoint, or place it after enough content that the prefix reaches 1024 tokens");
        assertThat(dir.resolve("out/trials.jsonl")).exists();
    }

    @Test
    void a_clean_suite_says_what_was_checked_and_exits_0() throws Exception {
        Path suite = dir.resolve("clean.yaml");
        Files.writeString(suite, """
                name: clean
                models: [{id: sonnet, model: claude-sonnet-4-6}, {id: haiku, model: claude-haiku-4-5}]
                defaults:
                  system: [{type: text, text: "{{policy}}", cache_control: {type: ephemeral}}]
                  vars: {policy: POLICY}
                cases:
                  - {id: a, prompt: "hi"}
                  - {id: b, prompt: "hello", system: [{type: text, text: "{{policy}}", cache_control: {type: ephemeral}}]}
                  - {id: c, prompt: "hey"}
                """.replace("POLICY", "Answer in one word. ".repeat(1200)));
        assertThat(sonde("lint", suite.toString())).isEqualTo(new Result(0,
                suite + ": 2 breakpoints in 3 cases × 2 models: no problems" + System.lineSeparator(), ""));

        Path one = dir.resolve("one.yaml");
        Files.writeString(one, "name: one\nmodels: [{id: sonnet, model: claude-sonnet-4-6}]\ncases: [{id: a, prompt: hi}]\n");
        assertThat(sonde("lint", one.toString()).out()).isEqualTo(one + ": 0 breakpoints in 1 case × 1 model: no problems"
                + System.lineSeparator());
    }

    @Test
    void an_unpriced_model_is_a_warning_with_a_suggestion_and_a_pricing_file_silences_it() throws Exception {
        Path suite = dir.resolve("typo.yaml");
        Files.writeString(suite, """
                name: typo
                models:
                  - id: haiku
                    model: claude-haiku-4.5
                cases: [{id: a, prompt: "hi"}]
                """);

        Result r = sonde("lint", suite.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.outLines()).containsExactly(suite + ":4:12: warning: models[0].model: 'claude-haiku-4.5' is not a "
                + "model the pricing table knows (did you mean 'claude-haiku-4-5'?): its trials will be UNPRICED, and a "
                + "live API may refuse the id (the emulator answers any id). Fix: write 'claude-haiku-4-5', or price "
                + "'claude-haiku-4.5' in a pricing file (the suite's pricing:, or --pricing)",
                suite + ": 0 breakpoints in 1 case × 1 model: 1 warning");

        Path pricing = dir.resolve("pricing.yaml");
        Files.writeString(pricing, "models:\n  claude-haiku-4.5: {input: 1, output: 5}\n");
        Result priced = sonde("lint", suite.toString(), "--pricing", pricing.toString());
        assertThat(priced.exit()).as(priced.out()).isZero();
    }

    @Test
    void a_snake_case_assertion_type_exits_2_naming_the_kebab_case_one() throws Exception {
        Path suite = dir.resolve("snake.yaml");
        Files.writeString(suite, """
                name: snake
                models: [{id: sonnet, model: claude-sonnet-4-6}]
                cases:
                  - id: a
                    prompt: "Answer in JSON"
                    assert: [{type: is_json}]
                """);

        Result r = sonde("lint", suite.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).singleElement().asString().startsWith(suite
                + ":6:14: cases[0].assert[0].type: unknown assertion type 'is_json' (did you mean 'is-json'?)");
    }

    @Test
    void run_warns_of_an_unpriced_model_on_stderr_before_it_runs_on_the_emulator() throws Exception {
        Path suite = dir.resolve("unpriced.yaml");
        Files.writeString(suite, """
                name: unpriced
                models: [{id: haiku, model: claude-haiku-4.5}]
                cases: [{id: a, prompt: "hi"}]
                """);

        Result r = sonde("run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err().lines().toList()).first().asString().startsWith(suite + ":2:29: warning: models[0].model: "
                + "'claude-haiku-4.5' is not a model the pricing table knows (did you mean 'claude-haiku-4-5'?)");
        assertThat(dir.resolve("out/trials.jsonl")).exists();
    }
}
