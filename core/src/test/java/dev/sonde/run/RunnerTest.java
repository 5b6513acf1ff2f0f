package dev.sonde.run;

import dev.sonde.testing.ScriptedProvider;

import dev.sonde.testing.Analyses;

import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    /** A provider that answers from a function and records how many calls overlapped. */
    static Exchange text(MessageRequest r, String text) {
        Usage usage = Usage.fromJson(JSON.valueToTree(java.util.Map.of("input_tokens", 1000, "output_tokens", 200)));
        return new Exchange(200, "req_x", r.model(), List.of(new ContentBlock.Text(text)), "end_turn", null, usage,
                new Timings(1_000_000, 50_000_000, 50_000_000, 80_000_000, new long[] {10_000_000}, 2), null);
    }

    private Suite suite(String models) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: t
                models: %s
                cases:
                  - id: a
                    prompt: "capital of France?"
                    assert: [{type: contains, value: Paris}, {type: cost, max_usd: 1}]
                  - id: b
                    prompt: "capital of Spain?"
                    assert: [{type: contains, value: Madrid}]
                run: {repeat: 5}
                """.formatted(models));
        return SuiteLoader.load(f);
    }

    private static RunInfo meta() {
        return new RunInfo("t", "s.yaml", "run-1", "http://fake.test", true, Instant.EPOCH, null, 0, 0, 0,
                List.of(), null, "test", "21");
    }

    @Test
    void runs_every_trial_within_the_concurrency_limit_and_journals_checked_priced_results() throws Exception {
        Suite suite = suite("[{id: s, model: claude-sonnet-4-6}, {id: x, model: claude-unknown-9}]");
        ScriptedProvider provider = fake(r -> text(r, "It is Paris."));
        Runner runner = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE);

        RunResult result = runner.run(suite, Plan.expand(suite), 3, meta(), dir.resolve("out"));

        assertThat(provider.calls()).isEqualTo(20);
        assertThat(provider.maxInFlight()).isBetween(1, 3);
        List<TrialResult> trials;
        try (Stream<TrialResult> s = result.trials()) {
            trials = s.toList();
        }
        assertThat(trials).hasSize(20);
        TrialResult sonnetA = trials.stream().filter(t -> t.trialId().equals("a/s/0")).findFirst().orElseThrow();
        assertThat(sonnetA.pass()).isTrue();
        assertThat(sonnetA.costUsd()).isCloseTo(1000 * 3e-6 + 200 * 15e-6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(sonnetA.timings().ttftMs()).isEqualTo(50.0);
        TrialResult unknownA = trials.stream().filter(t -> t.trialId().equals("a/x/0")).findFirst().orElseThrow();
        assertThat(unknownA.unpriced()).isTrue();
        assertThat(unknownA.costUsd()).isNull();
        assertThat(unknownA.pass()).isFalse(); // the cost bound cannot hold for an unpriced model
        assertThat(Analyses.summary(result).total().trials()).isEqualTo(20);
        assertThat(Analyses.summary(result).total().passed()).isEqualTo(5); // only a/s/*: b expects Madrid
        assertThat(Analyses.summary(result).models().get("x").unpricedTrials()).isEqualTo(10);
        assertThat(result.info().trialsPlanned()).isEqualTo(20);
    }

    @Test
    void a_rejected_key_stops_the_run_after_exactly_one_request() throws Exception {
        Suite suite = suite("[{id: s, model: claude-sonnet-4-6}]");
        ScriptedProvider provider = fake(r -> new Exchange(401, "req_401", r.model(), List.of(), null, null,
                Usage.NONE, Timings.NONE, new ApiFailure(ErrorClass.AUTH, 401, "authentication_error", "invalid x-api-key")));
        Runner runner = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE);

        assertThatThrownBy(() -> runner.run(suite, Plan.expand(suite), 8, meta(), dir.resolve("out")))
                .isInstanceOf(RunAborted.class)
                .hasMessage("http://fake.test: auth (401 authentication_error): invalid x-api-key");
        assertThat(provider.calls()).isEqualTo(1);
        List<String> lines = Files.readAllLines(dir.resolve("out/trials.jsonl"));
        assertThat(lines).hasSize(10); // one result, the rest journaled as skipped
        assertThat(lines.subList(1, 10)).allSatisfy(l -> assertThat(l).contains("\"skipped\":\"http://fake.test: auth"));
    }

    @Test
    void a_bad_assertion_parameter_fails_before_any_request() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                name: t
                models: [{id: s, model: claude-sonnet-4-6}]
                cases:
                  - id: a
                    prompt: hi
                    assert: [{type: regex, value: "(open"}]
                """);
        Suite suite = SuiteLoader.load(f);
        ScriptedProvider provider = fake(r -> text(r, "x"));
        Runner runner = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE);

        assertThatThrownBy(() -> runner.run(suite, Plan.expand(suite), 1, meta(), dir.resolve("out")))
                .hasMessageStartingWith(f + ":6:14: cases[0].assert[0].value: not a valid regular expression");
        assertThat(provider.calls()).isEqualTo(0);
    }

    @Test
    void a_case_threshold_passes_on_the_weighted_share_of_its_checks() throws Exception {
        Path f = dir.resolve("w.yaml");
        Files.writeString(f, """
                name: t
                models: [{id: s, model: claude-sonnet-4-6}]
                cases:
                  - id: lenient
                    prompt: "capital of France?"
                    threshold: 0.7
                    assert: [{type: contains, value: Paris, weight: 3}, {type: contains, value: Lyon}]
                  - id: strict
                    prompt: "capital of France?"
                    assert: [{type: contains, value: Paris, weight: 3}, {type: contains, value: Lyon}]
                  - id: informational
                    prompt: "capital of France?"
                    assert: [{type: contains, value: Paris}, {type: contains, value: Lyon, weight: 0}]
                """);
        Suite suite = SuiteLoader.load(f);
        ScriptedProvider provider = fake(r -> text(r, "It is Paris."));
        RunResult result = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE)
                .run(suite, Plan.expand(suite), 1, meta(), dir.resolve("w-out"));
        try (Stream<TrialResult> s = result.trials()) {
            java.util.Map<String, Boolean> pass = s.collect(java.util.stream.Collectors.toMap(TrialResult::caseId, TrialResult::pass));
            assertThat(pass).containsEntry("lenient", true).containsEntry("strict", false).containsEntry("informational", true);
        }
    }

    /** A provider answering with {@code answer} after 5 ms, so that concurrent requests overlap. */
    static ScriptedProvider fake(java.util.function.Function<MessageRequest, Exchange> answer) {
        return ScriptedProvider.answering(answer).endpoint("http://fake.test").onEachCall(() -> {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
