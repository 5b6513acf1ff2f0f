package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code baseline:} for a benchmark, end to end on the embedded emulator: a run accepted as the
 * baseline, then the same benchmark again passes its per-step gates; with the emulator's first
 * token 50 % slower the TTFT p95 gate fails (exit 1); a changed load is refused before anything is
 * sent.
 */
class BenchmarkBaselineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // first tokens at 400 ms, so a loaded machine's stalls are small beside them; 16 workers give ~75
    // samples a step, so its p95 is not the single slowest answer
    private static final String LOAD = "{mode: closed, concurrency: [16], duration_s: 2.4, warmup_s: 0.4, "
            + "max_requests: 600, slo: {ttft_ms: 5000}}";
    private static final int TTFT_MS = 400;
    @TempDir
    Path dir;

    /**
     * One benchmark before the tests, so that none of their runs is the JVM's first: its class
     * loading and compilation stall every request in flight at once, which moves a step's p95.
     */
    @BeforeAll
    static void warmUp(@TempDir Path scratch) throws Exception {
        BenchmarkBaselineTest t = new BenchmarkBaselineTest();
        t.dir = scratch;
        SecretEchoTest.Run r = t.run(t.suite(LOAD, TTFT_MS), "warm-up");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(t.accept("warm-up", "--out", scratch.resolve("warm.json").toString()).exit()).isZero();
    }

    /** A benchmark whose emulator answers its first token after {@code ttftMs}, with no jitter. */
    private Path suite(String load, int ttftMs) throws Exception {
        Files.writeString(dir.resolve("latency.yaml"), """
                latency:
                  - {model: "claude-*", ttft_base_ms: %d, prefill_us_per_token: 0, output_tokens_per_second: 2000, jitter_sigma: 0}
                """.formatted(ttftMs));
        Path f = dir.resolve("bench.yaml");
        Files.writeString(f, """
                name: bench
                models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 20}}]
                cases:
                  - {id: a, prompt: "Tell me about harbours"}
                load: %s
                emulator: {seed: 7, config: latency.yaml}
                baseline: {file: baselines/bench.json}
                """.formatted(load));
        return f;
    }

    private SecretEchoTest.Run run(Path suite, String out) {
        return SecretEchoTest.run(Map.of(), "run", suite.toString(), "--out", dir.resolve(out).toString(), "-q");
    }

    private void accept(String out) {
        SecretEchoTest.Run r = accept(out, new String[0]);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("(benchmark, ").contains(" from run bench-");
    }

    private SecretEchoTest.Run accept(String out, String... more) {
        List<String> args = new ArrayList<>(List.of("baseline", "accept", dir.resolve(out).toString()));
        args.addAll(List.of(more));
        return SecretEchoTest.run(Map.of(), args.toArray(String[]::new));
    }

    private static List<JsonNode> gates(JsonNode doc, String gate) {
        List<JsonNode> out = new ArrayList<>();
        doc.path("baseline").path("verdict").path("gates").forEach(g -> {
            if (g.path("gate").asText().equals(gate)) {
                out.add(g);
            }
        });
        return out;
    }

    @Test
    void an_unchanged_benchmark_passes_its_accepted_baseline_step_by_step() throws Exception {
        Path s = suite(LOAD, TTFT_MS);
        SecretEchoTest.Run first = run(s, "first");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("note: no baseline file yet at");
        accept("first");
        JsonNode stored = JSON.readTree(dir.resolve("baselines/bench.json").toFile());
        assertThat(stored.path("format").asText()).isEqualTo("sonde-benchmark-baseline");
        assertThat(stored.path("load").path("duration_s").asDouble()).isEqualTo(2.4);
        assertThat(stored.path("steps").path("step 0 (16 workers)").path("concurrency").asInt()).isEqualTo(16);
        assertThat(stored.path("steps").path("step 0 (16 workers)").path("samples").path("ttft_ms").path("count").asLong()).isPositive();
        JsonNode step = stored.path("steps").path("step 0 (16 workers)");
        assertThat(step.path("good_in_window").asLong()).isPositive();
        // the baseline's goodput count is the step's: the same requests, the same SLO rule
        JsonNode reported = JSON.readTree(dir.resolve("first/results.json").toFile()).path("steps").get(0);
        assertThat(step.path("good_in_window").asLong() / step.path("window_s").asDouble())
                .isCloseTo(reported.path("goodput_per_s").asDouble(), org.assertj.core.api.Assertions.within(0.006));
        assertThat(step.path("finished_in_window").asLong()).isEqualTo(reported.path("finished_in_window").asLong());
        assertThat(step.path("samples").path("ttft_ms").path("count").asLong()).isEqualTo(reported.path("succeeded").asLong());

        SecretEchoTest.Run again = run(s, "again");

        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).startsWith("PASS  benchmark").contains("baseline gates: PASS")
                .contains("PASS ttft_p95 [step 0 · 16 workers]").contains("PASS e2e_p95 [step 0 · 16 workers]")
                .contains("PASS goodput [step 0 · 16 workers]");
        JsonNode doc = JSON.readTree(dir.resolve("again/results.json").toFile());
        assertThat(doc.path("passed").asBoolean()).isTrue();
        assertThat(doc.path("baseline").path("status").asText()).isEqualTo("compared");
        assertThat(gates(doc, "ttft_p95")).singleElement().satisfies(g -> assertThat(g.path("outcome").asText())
                .isEqualTo("pass"));
        assertThat(gates(doc, "goodput")).singleElement().satisfies(g -> assertThat(g.path("ci_low").asDouble())
                .isNegative());
        assertThat(stored.path("runs").get(0).path("timing_origin").asText()).isEqualTo("wire");

        // a baseline recorded before latencies started on the wire: compared, with the shift said once
        ((com.fasterxml.jackson.databind.node.ObjectNode) stored.path("runs").get(0)).remove("timing_origin");
        Files.writeString(dir.resolve("baselines/bench.json"), stored.toPrettyString());
        SecretEchoTest.Run shifted = run(s, "shifted");
        assertThat(shifted.out()).containsOnlyOnce("timing origin shifted: the baseline's latencies start at the call");
        assertThat(JSON.readTree(dir.resolve("shifted/results.json").toFile()).at("/baseline/verdict/notes").toString())
                .contains("timing origin shifted");
    }

    @Test
    void a_first_token_50_percent_slower_fails_the_ttft_p95_gate_with_exit_1() throws Exception {
        SecretEchoTest.Run first = run(suite(LOAD, TTFT_MS), "first");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        accept("first");

        SecretEchoTest.Run slower = run(suite(LOAD, TTFT_MS * 3 / 2), "slower");

        assertThat(slower.exit()).as(slower.out() + slower.err()).isEqualTo(1);
        assertThat(slower.out()).startsWith("FAIL  benchmark").contains("baseline gates: FAIL")
                .contains("FAIL ttft_p95 [step 0 · 16 workers]").contains("the whole interval lies above +20%");
        JsonNode doc = JSON.readTree(dir.resolve("slower/results.json").toFile());
        assertThat(doc.path("passed").asBoolean(true)).isFalse();
        assertThat(gates(doc, "ttft_p95")).singleElement().satisfies(g -> {
            assertThat(g.path("outcome").asText()).isEqualTo("fail");
            assertThat(g.path("ci_low").asDouble()).isGreaterThan(0.2);
        });
        String html = java.nio.file.Files.readString(dir.resolve("slower/report.html"));
        assertThat(html).as("the report fails as the run does, and shows the gate")
                .contains("<title>FAIL · bench · Sonde benchmark</title>", "✗ FAILED: a baseline gate",
                        "<h2 id=\"baseline\">Against the baseline</h2>", "ttft_p95 [step 0 · 16 workers]");
        Files.delete(dir.resolve("slower/report.html"));
        assertThat(SecretEchoTest.run(Map.of(), "report", dir.resolve("slower").toString()).exit()).isZero();
        assertThat(java.nio.file.Files.readString(dir.resolve("slower/report.html")))
                .as("sonde report keeps the verdict the run had: the suite is not reloaded")
                .contains("✗ FAILED: a baseline gate", "ttft_p95 [step 0 · 16 workers]");
        assertThat(JSON.readTree(dir.resolve("slower/results.json").toFile()).path("passed").asBoolean(true)).isFalse();
    }

    @Test
    void a_changed_load_is_refused_with_one_line_before_anything_is_sent() throws Exception {
        assertThat(run(suite(LOAD, TTFT_MS), "first").exit()).isZero();
        accept("first");

        SecretEchoTest.Run changed = run(suite(LOAD.replace("duration_s: 2.4", "duration_s: 3"), TTFT_MS), "changed");

        assertThat(changed.exit()).as(changed.out() + changed.err()).isEqualTo(2);
        assertThat(changed.err().lines().filter(l -> !l.isBlank()).toList()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("sonde: ").contains("bench.json").contains("load: has changed")
                .contains("duration_s 2.4 then, 3 now").doesNotContain("Exception"));
        assertThat(dir.resolve("changed/trials.jsonl")).doesNotExist();
    }

    @Test
    void update_baseline_runs_a_changed_load_and_makes_it_the_baseline() throws Exception {
        assertThat(run(suite(LOAD, TTFT_MS), "first").exit()).isZero();
        accept("first");
        Path changed = suite(LOAD.replace("duration_s: 2.4", "duration_s: 2"), TTFT_MS);

        SecretEchoTest.Run updated = SecretEchoTest.run(Map.of(), "run", changed.toString(), "--out",
                dir.resolve("updated").toString(), "-q", "--update-baseline");

        assertThat(updated.exit()).as(updated.out() + updated.err()).isZero();
        assertThat(updated.out()).contains("note: the baseline at ").contains("was not compared")
                .contains("baseline written: " + dir.resolve("baselines/bench.json"));
        JsonNode stored = JSON.readTree(dir.resolve("baselines/bench.json").toFile());
        assertThat(stored.path("load").path("duration_s").asDouble()).isEqualTo(2.0);
        assertThat(stored.path("runs").get(0).path("run_id").asText()).isNotEqualTo(
                JSON.readTree(dir.resolve("first/run.json").toFile()).path("run_id").asText());
        assertThat(run(changed, "again").exit()).isZero(); // the new load now compares
    }

    @Test
    void a_sweep_that_gained_a_step_is_matched_by_load_and_the_new_step_is_noted() throws Exception {
        assertThat(run(suite(LOAD.replace("[16]", "[8, 16]"), TTFT_MS), "first").exit()).isZero();
        accept("first");

        SecretEchoTest.Run wider = run(suite(LOAD.replace("[16]", "[16, 32]"), TTFT_MS), "wider");

        assertThat(wider.out()).contains(" ttft_p95 [step 0 · 16 workers]: ")
                .contains("note: step 1 (32 workers) is not in the baseline: not gated")
                .contains("note: the baseline's step at 8 workers is not in this run")
                .doesNotContain("[step 1 · 32 workers]");
    }

    @Test
    void append_adds_a_run_and_the_comparison_resamples_both() throws Exception {
        assertThat(run(suite(LOAD, TTFT_MS), "first").exit()).isZero();
        assertThat(run(suite(LOAD, TTFT_MS), "second").exit()).isZero();
        accept("first");
        SecretEchoTest.Run append = SecretEchoTest.run(Map.of(), "baseline", "accept", dir.resolve("second").toString(),
                "--append");
        assertThat(append.exit()).as(append.out() + append.err()).isZero();
        assertThat(append.out()).contains("2 runs: bench-");

        SecretEchoTest.Run again = run(suite(LOAD, TTFT_MS), "again");

        assertThat(again.out()).contains("(2 runs)").contains("the baseline's 2 runs resampled too")
                .contains("the baseline's 2 runs pooled");
    }
}
