package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.testing.LoadRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sonde merge} of two load generators' benchmark runs (fixed journals): one set of
 * percentiles per step from all their requests, rates that add up, the clock offset it assumed,
 * and a merged folder {@code sonde report} re-renders.
 */
class LoadMergeTest {
    @TempDir
    Path dir;

    private static SecretEchoTest.Run sonde(String... args) {
        return SecretEchoTest.run(Map.of(), args);
    }

    private static JsonNode json(Path file) throws Exception {
        return Journal.JSON.readTree(file.toFile());
    }

    /** Machine 1, and machine 2 whose clock is 250 ms ahead (its steps drifting 1 ms more each). */
    private List<Path> twoMachines() throws Exception {
        Path a = LoadRuns.write(dir.resolve("gen-a"), "bench", LoadRuns.load(), LoadRuns.START, LoadRuns.requests(1, 0, 0));
        Path b = LoadRuns.write(dir.resolve("gen-b"), "bench", LoadRuns.load(), LoadRuns.START.plusMillis(250),
                LoadRuns.requests(2, 250, 1));
        return List.of(a, b);
    }

    @Test
    void two_load_generators_merge_into_the_percentiles_of_one_run_over_all_their_requests() throws Exception {
        List<Path> machines = twoMachines();
        // the same requests as one generator offering both loads would have journaled them
        List<TrialResult> all = new ArrayList<>(LoadRuns.requests(1, 0, 0));
        all.addAll(LoadRuns.requests(2, 0, 0));
        all.sort(Comparator.comparingInt((TrialResult t) -> t.load().step()).thenComparingDouble(t -> t.load().doneMs()));
        Path one = LoadRuns.write(dir.resolve("one"), "bench", LoadRuns.load(2), LoadRuns.START, all);
        assertThat(sonde("report", one.toString()).exit()).isZero();

        Path merged = dir.resolve("merged");
        SecretEchoTest.Run r = sonde("merge", machines.get(0).toString(), machines.get(1).toString(), "--out",
                merged.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode steps = json(merged.resolve("results.json")).path("steps");
        JsonNode expected = json(one.resolve("results.json")).path("steps");
        assertThat(steps.size()).isEqualTo(2);
        for (int k = 0; k < 2; k++) {
            for (String metric : List.of("ttft_ms", "itl_ms", "tpot_ms", "e2e_ms", "response_ms", "start_delay_ms")) {
                assertThat(steps.get(k).path(metric)).as("step " + k + " " + metric).isEqualTo(expected.get(k).path(metric));
            }
            assertThat(steps.get(k)).as("step " + k).isEqualTo(expected.get(k));
        }
        // …and that is more than the first machine alone had: both machines' samples are in it
        JsonNode alone = json(reportOf(machines.get(0))).path("steps");
        assertThat(steps.get(0).path("succeeded").asLong()).isGreaterThan(alone.get(0).path("succeeded").asLong());
    }

    /** Step 0's start on the run's wall clock, in epoch milliseconds, from its journal. */
    private static double stepStartMs(Path run) throws Exception {
        try (var trials = Journal.read(run.resolve("trials.jsonl"))) {
            return trials.filter(t -> t.load().step() == 0)
                    .mapToDouble(t -> t.startedAt().toEpochMilli() + t.startedAt().getNano() % 1_000_000 / 1e6
                            - t.load().sentMs())
                    .min().orElseThrow();
        }
    }

    private Path reportOf(Path run) {
        assertThat(sonde("report", run.toString()).exit()).isZero();
        return run.resolve("results.json");
    }

    @Test
    void rates_add_up_and_the_offered_load_is_the_sum_of_the_machines() throws Exception {
        List<Path> machines = twoMachines();
        JsonNode a = json(reportOf(machines.get(0))).path("steps");
        JsonNode b = json(reportOf(machines.get(1))).path("steps");
        Path merged = dir.resolve("merged");
        assertThat(sonde("merge", machines.get(0).toString(), machines.get(1).toString(), "--out", merged.toString())
                .exit()).isZero();

        JsonNode doc = json(merged.resolve("results.json"));
        assertThat(doc.path("load").path("rates_per_second").toString()).isEqualTo("[20.0,40.0]");
        for (int k = 0; k < 2; k++) {
            JsonNode s = doc.path("steps").get(k);
            assertThat(s.path("offered_rate_per_s").asDouble()).isEqualTo(2 * a.get(k).path("offered_rate_per_s").asDouble());
            assertThat(s.path("request_rate_per_s").asDouble()).isCloseTo(
                    a.get(k).path("request_rate_per_s").asDouble() + b.get(k).path("request_rate_per_s").asDouble(),
                    within(0.011));
            assertThat(s.path("finished_in_window").asLong()).isEqualTo(
                    a.get(k).path("finished_in_window").asLong() + b.get(k).path("finished_in_window").asLong());
            assertThat(s.path("sent").asLong()).isEqualTo(a.get(k).path("sent").asLong() + b.get(k).path("sent").asLong());
        }
    }

    @Test
    void the_merge_states_the_clock_offset_it_assumed_on_the_console_and_in_results_json() throws Exception {
        List<Path> machines = twoMachines();
        Path merged = dir.resolve("merged");
        SecretEchoTest.Run r = sonde("merge", machines.get(0).toString(), machines.get(1).toString(), "--out",
                merged.toString());

        assertThat(r.out()).startsWith("PASS  benchmark: 2 steps").contains("40.0/s offered")
                .contains("clock offsets assumed").contains("machine 1 " + machines.get(0) + ": the reference clock")
                .contains("machine 2 " + machines.get(1) + ": +250.0 ms").contains("steps differ by up to 1.0 ms");
        JsonNode merge = json(merged.resolve("results.json")).path("merge");
        assertThat(merge.path("assumption").asText()).contains("step k began at the same moment on every machine");
        JsonNode second = merge.path("machines").get(1);
        assertThat(second.path("clock_offset_ms").asDouble()).isEqualTo(250.0);
        assertThat(second.path("step_offsets_ms").toString()).isEqualTo("[250.0,251.0]");
        assertThat(second.path("requests").asLong()).isEqualTo(LoadRuns.requests(2, 0, 0).size());
        assertThat(merge.path("machines").get(0).path("clock_offset_ms").asDouble()).isZero();
    }

    @Test
    void the_merged_journal_keeps_every_request_once_aligned_on_the_first_machines_clock() throws Exception {
        List<Path> machines = twoMachines();
        Path merged = dir.resolve("merged");
        assertThat(sonde("merge", machines.get(0).toString(), machines.get(1).toString(), "--out", merged.toString())
                .exit()).isZero();

        List<TrialResult> trials;
        try (var s = Journal.read(merged.resolve("trials.jsonl"))) {
            trials = s.toList();
        }
        assertThat(trials).hasSize(LoadRuns.requests(1, 0, 0).size() + LoadRuns.requests(2, 0, 0).size());
        assertThat(trials.stream().map(TrialResult::trialId).distinct().count()).isEqualTo(trials.size());
        assertThat(trials).filteredOn(t -> t.trialId().endsWith("@2")).hasSize(LoadRuns.requests(2, 0, 0).size());
        // machine 2's requests, moved onto machine 1's clock, are stamped as if it had had no offset
        List<TrialResult> unshifted = LoadRuns.requests(2, 0, 0);
        for (TrialResult t : trials) {
            if (t.trialId().endsWith("@2") && t.load().step() >= 0) {
                TrialResult original = unshifted.stream().filter(u -> (u.trialId() + "@2").equals(t.trialId()))
                        .findFirst().orElseThrow();
                assertThat(Math.abs(t.startedAt().toEpochMilli() - original.startedAt().toEpochMilli()))
                        .as(t.trialId()).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void two_real_runs_on_the_emulator_merge_with_the_time_between_them_as_the_offset() throws Exception {
        Files.writeString(dir.resolve("fast.yaml"), """
                latency:
                  - {model: "claude-*", ttft_base_ms: 5, prefill_us_per_token: 0, output_tokens_per_second: 2000, jitter_sigma: 0}
                """);
        Path suite = dir.resolve("bench.yaml");
        Files.writeString(suite, """
                name: bench
                models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 20}}]
                cases:
                  - {id: a, prompt: "Tell me about harbours"}
                load: {mode: closed, concurrency: [2], duration_s: 0.6, warmup_s: 0.1, max_requests: 40}
                emulator: {seed: 7, config: fast.yaml}
                """);
        Path a = dir.resolve("gen-a");
        Path b = dir.resolve("gen-b");
        assertThat(sonde("run", suite.toString(), "--out", a.toString(), "-q").exit()).isZero();
        assertThat(sonde("run", suite.toString(), "--out", b.toString(), "-q").exit()).isZero();
        JsonNode stepA = json(a.resolve("results.json")).path("steps").get(0);
        JsonNode stepB = json(b.resolve("results.json")).path("steps").get(0);
        Path merged = dir.resolve("merged");

        SecretEchoTest.Run r = sonde("merge", a.toString(), b.toString(), "--out", merged.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("4 workers");
        JsonNode doc = json(merged.resolve("results.json"));
        JsonNode step = doc.path("steps").get(0);
        assertThat(step.path("succeeded").asLong()).isEqualTo(stepA.path("succeeded").asLong()
                + stepB.path("succeeded").asLong());
        // run b began after run a had ended: the merge takes the gap between their steps' starts for b's
        // clock offset (each step start: a request's stamp less its sent_ms), and says so
        double offsetMs = doc.path("merge").path("machines").get(1).path("clock_offset_ms").asDouble();
        assertThat(offsetMs).as("b began after a").isPositive().isCloseTo(stepStartMs(b) - stepStartMs(a), within(0.01));
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "machine 2 %s: %+.1f ms", b, offsetMs));
        assertThat(merged.resolve("latency.hlog")).isNotEmptyFile();
    }

    @Test
    void sonde_report_re_renders_the_merged_folder_with_its_merge_record() throws Exception {
        List<Path> machines = twoMachines();
        Path merged = dir.resolve("merged");
        assertThat(sonde("merge", machines.get(0).toString(), machines.get(1).toString(), "--out", merged.toString())
                .exit()).isZero();
        JsonNode before = json(merged.resolve("results.json"));
        Files.delete(merged.resolve("report.html"));
        Files.delete(merged.resolve("latency.hlog"));

        SecretEchoTest.Run r = sonde("report", merged.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("json: ").contains("html: ").contains("hlog: ");
        JsonNode after = json(merged.resolve("results.json"));
        assertThat(after.path("steps")).isEqualTo(before.path("steps"));
        assertThat(after.path("merge")).isEqualTo(before.path("merge"));
        assertThat(after.path("load")).isEqualTo(before.path("load"));
        assertThat(merged.resolve("report.html")).exists();
        assertThat(Files.readString(merged.resolve("latency.hlog"))).contains("Tag=ttft.step1,");
    }
}
