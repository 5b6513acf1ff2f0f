package dev.sonde.cli;

import dev.sonde.testing.Suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.LatencyProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end: exit codes, one-line errors, outputs, and that keys never leak. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "sonde-test-key-DO-NOT-LEAK-0123456789abcdef";
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private Result sonde(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path suite(String assertion) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rules:
                  - match: {contains: "capital of France"}
                    reply: {text: "The capital of France is Paris."}
                """);
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, """
                name: cli
                models:
                  - {id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 64}}
                  - {id: haiku, model: claude-haiku-4-5, stream: false, params: {max_tokens: 64}}
                cases:
                  - id: capital
                    prompt: "What is the capital of France?"
                    assert: [%s]
                emulator: {seed: 7, rules: [rules.yaml]}
                """.formatted(assertion));
        return f;
    }

    private static EmulatorConfig.Builder fastEmulator() {
        return EmulatorConfig.builder().latency(List.of(new LatencyProfile("*", 0, 0, 0, 0)));
    }

    @Test
    @Tag("hostile")
    void an_out_path_that_is_a_file_or_lies_under_one_is_one_line_and_exit_2_before_anything_is_sent() throws Exception {
        Path suite = suite("{type: contains, value: Paris}");
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        for (Path out : List.of(file, file.resolve("under"), file.resolve("under/deeper"))) {
            Result r = sonde(Map.of(), "run", suite.toString(), "--out", out.toString());
            assertThat(r.exit()).as(out + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).as(out.toString()).startsWith("sonde: --out " + out + ": ")
                    .containsAnyOf("is a file, not a folder", "cannot make the folder").doesNotContain("\n").doesNotContain("Exception");
        }
        assertThat(Files.readString(file)).isEqualTo("not a folder");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a-file", "rules.yaml", "suite.yaml");
        }
    }

    @Test
    @Tag("hostile")
    void a_bad_emulator_rules_file_is_one_line_naming_the_file_and_the_field_and_exit_2() throws Exception {
        Path suite = suite("{type: contains, value: Paris}");
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - {model: claude-sonnet-4-6, match: {contains: "capital"}, reply: {text: "Paris."}}
                """);
        Result r = sonde(Map.of(), "run", suite.toString(), "--out", dir.resolve("out").toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(r.err()).singleElement().asString()
                .startsWith("sonde: " + dir.resolve("rules.yaml")).contains("rules[0].model: unknown key")
                .doesNotContain("internal error").doesNotContain("Exception");
        assertThat(dir.resolve("out/trials.jsonl")).as("nothing was sent").doesNotExist();
    }

    @Test
    @Tag("hostile")
    void an_ftp_endpoint_or_a_missing_pricing_file_is_one_line_and_exit_2_before_anything_is_sent() throws Exception {
        Path suite = suite("{type: contains, value: Paris}");
        String yaml = Files.readString(suite);
        List<String[]> bad = List.of(
                new String[] {yaml + "endpoint: ftp://files.example.com/\n", "endpoint"},
                new String[] {yaml + "pricing: no-such-prices.yaml\n", "pricing"});
        for (String[] b : bad) {
            Files.writeString(suite, b[0]);
            Path out = dir.resolve("out-" + b[1]);
            Result r = sonde(Map.of("ANTHROPIC_API_KEY", "sk-ant-cli-test"), "run", suite.toString(), "--out", out.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            List<String> lines = r.err().strip().lines().toList();
            assertThat(lines).as(r.err()).hasSize(1);
            assertThat(lines.get(0)).contains(b[1]).doesNotContain("Exception").doesNotContain("sk-ant-cli-test");
            assertThat(out.resolve("trials.jsonl")).as("nothing was sent").doesNotExist();
        }
        Files.writeString(suite, yaml);
        Result flag = sonde(Map.of(), "run", suite.toString(), "--endpoint", "ftp://files.example.com", "--out",
                dir.resolve("out-flag").toString());
        assertThat(flag.exit()).as(flag.err()).isEqualTo(2);
        assertThat(flag.err().strip().lines()).singleElement().asString().contains("ftp://files.example.com");
    }

    @Test
    @Tag("hostile")
    void an_unreadable_baseline_is_one_line_and_exit_2_before_any_request_unless_the_run_replaces_it() throws Exception {
        Path suite = suite("{type: contains, value: Paris}");
        Path baseline = Files.createDirectories(dir.resolve("reports/baselines")).resolve("cli.json");
        Files.writeString(suite, Files.readString(suite) + "baseline: {file: reports/baselines/cli.json}\n");
        Files.writeString(baseline, "{\"format\": \"sonde-baseline\", \"trials\": [");
        Path out = dir.resolve("out");
        Result r = sonde(Map.of(), "run", suite.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        List<String> lines = r.err().strip().lines().toList();
        assertThat(lines.get(lines.size() - 1)).startsWith("sonde: " + baseline + ": not a readable Sonde baseline")
                .contains(": trials is not what a baseline holds there (line 1, column ")
                .endsWith("(mend it, or replace it with --update-baseline)")
                .doesNotContain("Source").doesNotContain("dev.sonde").doesNotContain("`");
        assertThat(lines).as("a note that the embedded emulator started, then the one error").hasSizeLessThanOrEqualTo(2)
                .noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
        assertThat(out.resolve("trials.jsonl")).as("nothing was sent").doesNotExist();

        Result replaced = sonde(Map.of(), "run", suite.toString(), "--out", out.toString(), "--update-baseline");
        assertThat(replaced.exit()).as(replaced.err()).isEqualTo(0);
        assertThat(Files.readString(baseline)).contains("\"format\" : \"sonde-baseline\"");
    }

    @Test
    void a_passing_suite_exits_0_and_writes_every_output_with_the_trial_fields() throws Exception {
        Path out = dir.resolve("out");
        Result r = sonde(Map.of(), "run", suite("{type: contains, value: Paris}").toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("PASS  cli: 2/2 passed").contains("report: " + out.resolve("report.html"));
        assertThat(out.resolve("report.html")).exists();
        assertThat(out.resolve("junit.xml")).exists();
        assertThat(out.resolve("summary.md")).exists();
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertThat(results.path("verdict").asText()).isEqualTo("pass");
        assertThat(results.at("/run/emulator_seed").asLong()).isEqualTo(7); // the suite's emulator seed, recorded
        assertThat(results.at("/run/git_commit").isNull()).as("a temp folder is no git checkout").isTrue();
        List<String> lines = Files.readAllLines(out.resolve("trials.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode t = JSON.readTree(lines.get(0));
        for (String field : List.of("trial_id", "case", "model", "repeat", "pass", "error", "request_id", "stop_reason",
                "output_text", "timings", "usage", "cost_usd", "checks")) {
            assertThat(t.has(field)).as(field).isTrue();
        }
        for (String timing : List.of("ttfb_ms", "ttft_ms", "e2e_ms", "itl_ms")) {
            assertThat(t.path("timings").has(timing)).as(timing).isTrue();
        }
        assertThat(t.path("output_text").asText()).isEqualTo("The capital of France is Paris.");
        assertThat(t.path("usage").path("input_tokens").asInt()).isPositive();
        assertThat(t.path("cost_usd").asDouble()).isPositive();
        assertThat(t.path("request_id").asText()).startsWith("req_");
    }

    @Test
    void a_failing_check_exits_1_and_says_why() throws Exception {
        Result r = sonde(Map.of(), "run", suite("{type: contains, value: Lyon}").toString(), "--out",
                dir.resolve("out").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("FAIL  cli: 0/2 passed, 2 failed");
        assertThat(r.err()).contains("expected to contain \"Lyon\" but the output was \"The capital of France is Paris.\"");
    }

    @Test
    void a_typo_in_the_suite_is_one_line_with_its_position_and_exit_2() throws Exception {
        Path f = suite("{type: contains, value: Paris}");
        Files.writeString(f, Files.readString(f).replace("prompt:", "promt:"));
        Result r = sonde(Map.of(), "run", f.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsExactly(f + ":7:5: cases[0].promt: unknown key (did you mean 'prompt'?)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void a_rejected_key_is_one_line_naming_the_endpoint_and_the_401_after_exactly_one_request() throws Exception {
        try (Emulator emu = Emulator.start(fastEmulator().acceptedKeys(Set.of("sk-the-right-key")).build())) {
            Result r = sonde(Map.of("ANTHROPIC_API_KEY", SECRET), "run", suite("{type: contains, value: Paris}").toString(),
                    "--endpoint", emu.baseUri().toString(), "--out", dir.resolve("out").toString(), "--concurrency", "8");

            assertThat(r.exit()).isEqualTo(3);
            assertThat(emu.requestCount()).isEqualTo(1);
            String firstLine = r.err().lines().filter(l -> l.startsWith("sonde:") && !l.startsWith("sonde: LIVE"))
                    .findFirst().orElseThrow();
            assertThat(firstLine).contains(emu.baseUri().toString().replaceAll("/$", "")).contains("401")
                    .contains("authentication_error");
            assertThat(r.err() + r.out()).doesNotContain(SECRET);
        }
    }

    @Test
    void a_live_run_never_writes_the_key_to_any_output_or_console() throws Exception {
        Path out = dir.resolve("live");
        Path suite = suite("{type: contains, value: Paris}");
        try (Emulator emu = Emulator.start(fastEmulator().rules(List.of(dir.resolve("rules.yaml"))).build())) {
            Result r = sonde(Map.of("ANTHROPIC_API_KEY", SECRET), "run", suite.toString(),
                    "--endpoint", emu.baseUri().toString(), "--out", out.toString());

            assertThat(r.exit()).as(r.err()).isEqualTo(0);
            assertThat(r.out()).contains("LIVE " + emu.baseUri().toString().replaceAll("/$", ""));
            assertThat(r.out() + r.err()).doesNotContain(SECRET);
        }
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SECRET).doesNotContain("DO-NOT-LEAK");
            }
        }
        assertThat(JSON.readTree(out.resolve("results.json").toFile()).path("run").path("live").asBoolean()).isTrue();
    }

    @Test
    void a_live_endpoint_without_a_key_or_a_malformed_endpoint_stops_before_sending() throws Exception {
        Path s = suite("{type: contains, value: Paris}");
        Result noKey = sonde(Map.of(), "run", s.toString(), "--endpoint", "http://127.0.0.1:9", "--out", dir.resolve("a").toString());
        assertThat(noKey.exit()).isEqualTo(3);
        assertThat(noKey.err()).contains("ANTHROPIC_API_KEY is not set");

        Result badUrl = sonde(Map.of("ANTHROPIC_API_KEY", SECRET), "run", s.toString(), "--endpoint", "ftp:/x",
                "--out", dir.resolve("b").toString());
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.err()).contains("neither 'emulator', 'live' nor an http(s) base URL");
    }

    @Test
    void nothing_listening_at_the_endpoint_exits_3() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Result r = sonde(Map.of("ANTHROPIC_API_KEY", SECRET), "run", suite("{type: contains, value: Paris}").toString(),
                "--endpoint", "http://127.0.0.1:" + port, "--out", dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("unreachable");
    }

    @Test
    void unknown_options_are_exit_2_with_a_hint() {
        Result r = sonde(Map.of(), "run", "--bogus", "x.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--bogus'").contains("sonde run --help");
    }

    @Test
    void a_usd_budget_caps_recorded_spend_skips_the_rest_and_exits_3() throws Exception {
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            cases.append("  - {id: essay-").append(i).append(", prompt: \"Write a long essay number ").append(i)
                    .append(" about harbours.\"}\n");
        }
        Path f = dir.resolve("budget.yaml");
        Files.writeString(f, """
                name: budget
                models: [{id: opus, model: claude-opus-4-7, params: {max_tokens: 600}}]
                cases:
                %s
                run: {concurrency: 4}
                budget: {max_usd: 0.05}
                emulator: {config: fast.yaml}
                """.formatted(cases));
        Suites.fastEmulator(dir);
        Path out = dir.resolve("out");
        Result r = sonde(Map.of(), "run", f.toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("run stopped: budget: max_usd $0.0500 would be exceeded");
        List<JsonNode> trials = Files.readAllLines(out.resolve("trials.jsonl")).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(trials).hasSize(30);
        double spent = trials.stream().mapToDouble(t -> t.path("cost_usd").asDouble(0)).sum();
        long skipped = trials.stream().filter(t -> t.path("skipped").isTextual()).count();
        assertThat(spent).isLessThanOrEqualTo(0.05).isGreaterThan(0.0);
        assertThat(skipped).isPositive();
        assertThat(out.resolve("results.json")).exists();
        assertThat(out.resolve("junit.xml")).exists();
        System.out.printf("budget test: spent $%.4f of $0.05 on %d trials, %d skipped%n", spent, 30 - skipped, skipped);
    }
}
