package dev.sonde.run;

import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.metrics.PricingTable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.api.AnthropicClient;
import dev.sonde.api.ApiKey;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.LatencyProfile;
import dev.sonde.metrics.Clock;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load steps against the real emulator on the real clock (generous ratios, never tight timings). */
class LoadRunnerTest {
    @TempDir
    Path dir;

    private final List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private LoadRunner.LoadResult run(String load, EmulatorConfig config) throws Exception {
        Path f = dir.resolve("load.yaml");
        Files.writeString(f, """
                name: load
                models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 20}}]
                cases:
                  - {id: a, prompt: "Tell me about harbours"}
                  - {id: b, prompt: "Tell me about bridges"}
                load: %s
                """.formatted(load));
        Suite suite = SuiteLoader.load(f);
        try (Emulator emu = Emulator.start(config)) {
            AnthropicClient client = new AnthropicClient(emu.baseUri(), ApiKey.of("k"), Clock.system(), Duration.ofSeconds(5));
            TrialListener listener = new TrialListener() {
                @Override
                public void finished(dev.sonde.journal.TrialResult result, int done, int total) {
                }

                @Override
                public void note(String message) {
                    notes.add(message);
                }
            };
            Path out = dir.resolve("out");
            new LoadRunner(t -> client, Clock.system(), listener).run(suite, Plan.expand(suite), out);
            // the steps as a session learns them: from the journal, in the run's analysis pass
            RunAnalysis analysis = RunAnalysis.read(out.resolve("trials.jsonl"), null, out, PricingTable.defaults(), false);
            assertThat(analysis.steps()).as("a pass without withSteps rebuilds no steps").isEmpty();
            analysis = RunAnalysis.begin(null, out, PricingTable.defaults(), false).withSteps(suite.load());
            analysis.finish(JournalPass.run(out.resolve("trials.jsonl"), analysis.folds()));
            Integer knee = LoadRunner.saturation(analysis.steps());
            return new LoadRunner.LoadResult(analysis.steps(), knee, dev.sonde.report.BenchmarkResults.write(suite.name(),
                    suite.file().toString(), suite.load(), analysis.steps(),
                    knee, analysis.loadDetail().timeline(), null, out));
        }
    }

    @Test
    void a_closed_sweep_scales_throughput_with_workers_until_nothing_limits_it_and_writes_results_json() throws Exception {
        EmulatorConfig config = EmulatorConfig.builder().latency(List.of(new LatencyProfile("*", 50, 0, 0, 0))).build();
        LoadRunner.LoadResult r = run("{mode: closed, concurrency: [1, 4], duration_s: 1.5, warmup_s: 0.3, slo: {ttft_ms: 1000}}",
                config);

        assertThat(r.steps()).hasSize(2);
        StepResult one = r.steps().get(0);
        StepResult four = r.steps().get(1);
        assertThat(one.succeeded()).isPositive();
        assertThat(one.errorRate()).isZero();
        assertThat(one.ttftMs().p50()).isBetween(45.0, 500.0);
        assertThat(four.requestRatePerS()).isGreaterThan(2.5 * one.requestRatePerS());
        // every request met the 1 s TTFT bound: goodput counts exactly the requests throughput counts
        assertThat(four.goodputPerS()).isEqualTo(four.requestRatePerS());
        assertThat(one.goodputPerS()).isEqualTo(one.requestRatePerS());
        assertThat(r.saturationStep()).isNull();
        assertThat(r.file().getFileName().toString()).isEqualTo("results.json");
        assertThat(Files.readString(r.file())).contains("\"kind\" : \"benchmark\"").contains("\"request_rate_per_s\"")
                .contains("\"response_ms\"").contains("\"concurrencies\" : [ 1, 4 ]");
    }

    @Test
    void an_open_loop_shows_a_stall_in_response_time_not_only_in_service_time() throws Exception {
        Path rules = dir.resolve("stall.yaml");
        Files.writeString(rules, """
                rules:
                  - name: stall-once
                    match: {request_number: 8}
                    reply: {fault: {first_byte_delay_ms: 2000}}
                """);
        EmulatorConfig config = EmulatorConfig.builder().rules(List.of(rules))
                .latency(List.of(new LatencyProfile("*", 10, 0, 0, 0))).build();
        LoadRunner.LoadResult r = run("{mode: open, rate_per_s: 20, duration_s: 3, max_in_flight: 1}", config);

        StepResult s = r.steps().get(0);
        // one request stalled 2 s; with one request in flight the sends behind it left late:
        // their service time stayed short, their response time (from the intended start) did not
        assertThat(s.e2eMs().p50()).isLessThan(200.0);
        assertThat(s.responseMs().p90()).isGreaterThan(500.0);
        assertThat(s.startDelayMs().max()).isGreaterThan(1000.0);
        assertThat(s.responseMs().p50()).isGreaterThan(s.e2eMs().p50());
    }

    @Test
    void every_request_is_journaled_and_the_steps_come_from_the_journal_as_they_were_seen_live() throws Exception {
        EmulatorConfig config = EmulatorConfig.builder().latency(List.of(new LatencyProfile("*", 5, 0, 2000, 0))).build();
        LoadRunner.LoadResult r = run("{mode: open, rate_per_s: [20, 40], duration_s: 1, warmup_s: 0.2, slo: {ttft_ms: 1000}}",
                config);
        List<dev.sonde.journal.TrialResult> journal;
        try (var s = dev.sonde.journal.Journal.read(dir.resolve("out/trials.jsonl"))) {
            journal = s.toList();
        }
        // every request of every step, and the probe (in no step) first
        assertThat(journal).hasSize((int) (1 + r.steps().get(0).sent() + r.steps().get(1).sent()));
        assertThat(journal.get(0).load().step()).isEqualTo(LoadRunner.PROBE_STEP);
        assertThat(journal.subList(1, journal.size())).allSatisfy(t -> {
            assertThat(t.load()).isNotNull();
            assertThat(t.load().sentMs()).isGreaterThanOrEqualTo(t.load().intendedStartMs());
            assertThat(t.load().doneMs()).isGreaterThan(t.load().sentMs());
            assertThat(t.costUsd()).isPositive();
        });
        assertThat(journal.stream().map(dev.sonde.journal.TrialResult::trialId).distinct().count()).isEqualTo(journal.size());
        // the live step lines (printed while the run went) and the steps read back from the journal agree
        assertThat(notes).containsExactlyElementsOf(r.steps().stream().map(LoadRunner::describe).toList());
        assertThat(r.steps().get(1).measured()).isGreaterThan(r.steps().get(0).measured());
    }

    @Test
    void an_open_step_starts_request_i_at_i_over_the_rate_on_its_own_thread_and_journals_each_start_delay()
            throws Exception {
        Path f = dir.resolve("open.yaml");
        Files.writeString(f, """
                name: open
                models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 20}}]
                cases:
                  - {id: a, prompt: "Tell me about harbours"}
                load: {mode: open, rate_per_s: 200, duration_s: 1, warmup_s: 0.1}
                """);
        Suite suite = SuiteLoader.load(f);
        dev.sonde.metrics.ManualClock clock = new dev.sonde.metrics.ManualClock();
        List<String> sentOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.sonde.testing.ScriptedProvider provider = dev.sonde.testing.ScriptedProvider.answering(r -> {
            sentOn.add(Thread.currentThread().isVirtual() ? "virtual" : Thread.currentThread().getName());
            return RetriesAndBudgetTest.ok(r.model(), 10, 20);
        });
        Path out = dir.resolve("out");
        new LoadRunner(t -> provider, clock, new TrialListener() {
            @Override
            public void finished(dev.sonde.journal.TrialResult result, int done, int total) {
            }
        }).run(suite, Plan.expand(suite), out);

        List<dev.sonde.journal.TrialResult> journal;
        try (var s = dev.sonde.journal.Journal.read(out.resolve("trials.jsonl"))) {
            journal = s.filter(t -> t.load().step() == 0).toList();
        }
        // 200/s for 1 s on a clock that moves only when the schedule sleeps: exactly 200 requests,
        // request n due at n x 5 ms, none handed to the client before it was due
        assertThat(journal).hasSize(200);
        assertThat(journal).allSatisfy(t -> {
            long n = Long.parseLong(t.trialId().substring(t.trialId().lastIndexOf('.') + 1));
            assertThat(t.load().intendedStartMs()).isEqualTo(n * 5.0);
            assertThat(t.load().sentMs()).isGreaterThanOrEqualTo(t.load().intendedStartMs());
            assertThat(t.load().measured()).isEqualTo(n >= 20); // the 0.1 s warm-up: the first 20
        });
        // the probe is sent from the caller; every step request from a virtual thread of its own
        assertThat(sentOn).hasSize(201);
        assertThat(sentOn.subList(1, sentOn.size())).containsOnly("virtual");
        // the step's start delays are the journal's sent - intended, over the measured requests
        LoadRunner.StepFold fold = LoadRunner.steps(suite.load());
        journal.forEach(fold);
        StepResult step = fold.steps().get(0);
        assertThat(step.sent()).isEqualTo(200);
        assertThat(step.measured()).isEqualTo(180);
        double maxDelay = journal.stream().filter(t -> t.load().measured())
                .mapToDouble(t -> t.load().sentMs() - t.load().intendedStartMs()).max().orElseThrow();
        assertThat(step.startDelayMs().max()).isCloseTo(maxDelay, org.assertj.core.data.Offset.offset(Math.max(0.01, maxDelay * 0.002)));
    }

    @Test
    void a_rejected_key_stops_the_benchmark_at_its_probe_after_one_request() throws Exception {
        EmulatorConfig config = EmulatorConfig.builder().acceptedKeys(java.util.Set.of("sk-right"))
                .latency(List.of(new LatencyProfile("*", 1, 0, 0, 0))).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("{mode: closed, concurrency: [4], duration_s: 1, warmup_s: 0.5}",
                config)).isInstanceOf(LoadRunner.ProbeRefused.class).hasMessageContaining("401").hasMessageContaining("auth");
        List<dev.sonde.journal.TrialResult> journal;
        try (var s = dev.sonde.journal.Journal.read(dir.resolve("out/trials.jsonl"))) {
            journal = s.toList();
        }
        assertThat(journal).singleElement().satisfies(t -> assertThat(t.load().step()).isEqualTo(LoadRunner.PROBE_STEP));
        assertThat(notes).isEmpty();
    }
}
