package dev.sonde.run;

import dev.sonde.testing.ScriptedProvider;

import dev.sonde.testing.Analyses;

import dev.sonde.journal.AttemptRecord;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.api.Provider;
import dev.sonde.api.ServerHints;
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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries, budgets and resume, on a manual clock so every wait is exact. */
class RetriesAndBudgetTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();

    /** Answers from a script of exchanges (then successes); counts calls; advances the clock 100 ms per call. */
    static Exchange ok(String model, int in, int out) {
        Usage u = Usage.fromJson(JSON.valueToTree(Map.of("input_tokens", in, "output_tokens", out)));
        return new Exchange(200, "req_ok", model, List.of(new ContentBlock.Text("Paris")), "end_turn", null, u,
                new Timings(10_000_000, 60_000_000, 60_000_000, 100_000_000, new long[0], 1), null);
    }

    static Exchange error(int status, String type, ErrorClass cls, ServerHints hints) {
        return new Exchange(status, "req_" + status, "m", List.of(), null, null, Usage.NONE, Timings.NONE,
                new ApiFailure(cls, status, type, "scripted"), hints);
    }

    private Suite suite(String extra, int cases) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                name: r
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                cases:
                """);
        for (int i = 0; i < cases; i++) {
            yaml.append("  - {id: c").append(i).append(", prompt: \"capital of France?\", assert: [{type: contains, value: Paris}]}\n");
        }
        yaml.append(extra);
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml.toString());
        return SuiteLoader.load(f);
    }

    private RunResult run(Suite suite, Provider provider, int concurrency) throws Exception {
        RunInfo meta = new RunInfo("r", "s.yaml", "run", "x", true, Instant.EPOCH, null, 0, 0, 0, List.of(), null, "t", "21");
        return new Runner(provider, PricingTable.defaults(), clock, TrialListener.NONE)
                .run(suite, Plan.expand(suite), concurrency, meta, dir.resolve("out"));
    }

    private List<TrialResult> journal() throws Exception {
        try (Stream<TrialResult> s = Journal.read(dir.resolve("out/trials.jsonl"))) {
            return s.toList();
        }
    }

    @Test
    void honours_retry_after_then_succeeds_and_keeps_backoff_out_of_the_latency() throws Exception {
        ScriptedProvider p = scripted();
        p.then(error(429, "rate_limit_error", ErrorClass.RATE_LIMITED, new ServerHints(null, 2_000_000_000L, Map.of())));
        p.then(error(529, "overloaded_error", ErrorClass.OVERLOADED, new ServerHints(null, 3_000_000_000L, Map.of())));

        RunResult r = run(suite("", 1), p, 1);

        TrialResult t = journal().get(0);
        assertThat(p.calls()).isEqualTo(3);
        assertThat(t.pass()).isTrue();
        assertThat(t.attempts()).isEqualTo(3);
        assertThat(t.backoffMs()).isEqualTo(5000.0);
        assertThat(t.attemptLog()).extracting(AttemptRecord::status).containsExactly(429, 529, 200);
        assertThat(t.attemptLog()).extracting(AttemptRecord::backoffMs).containsExactly(0.0, 2000.0, 3000.0);
        assertThat(t.attemptLog().get(0).error()).isEqualTo("rate_limited");
        assertThat(t.timings().e2eMs()).isEqualTo(100.0); // the last attempt's own time only
        assertThat(Analyses.summary(r).total().e2eMs().max()).isLessThan(101.0);
    }

    @Test
    void backs_off_exponentially_without_a_retry_after_and_gives_up_after_max_attempts() throws Exception {
        ScriptedProvider p = scripted();
        for (int i = 0; i < 3; i++) {
            p.then(error(500, "api_error", ErrorClass.SERVER_ERROR, ServerHints.NONE));
        }
        run(suite("run: {retry: {max_attempts: 3, base_delay_ms: 500, max_delay_ms: 800, jitter: 0}}\n", 1), p, 1);

        TrialResult t = journal().get(0);
        assertThat(p.calls()).isEqualTo(3);
        assertThat(t.status()).isEqualTo("errored");
        assertThat(t.error().errorClass()).isEqualTo("server_error");
        assertThat(t.attemptLog()).extracting(AttemptRecord::backoffMs).containsExactly(0.0, 500.0, 800.0); // 1000 capped
    }

    @Test
    void never_retries_a_400_and_obeys_x_should_retry_false() throws Exception {
        ScriptedProvider p = scripted();
        p.then(error(400, "invalid_request_error", ErrorClass.INVALID_REQUEST, ServerHints.NONE));
        p.then(error(529, "overloaded_error", ErrorClass.OVERLOADED, new ServerHints(false, ServerHints.NO_WAIT, Map.of())));
        p.then(error(409, null, ErrorClass.CONFLICT, new ServerHints(true, 0, Map.of())));

        run(suite("", 3), p, 1);

        List<TrialResult> ts = journal();
        assertThat(ts.get(0).attempts()).isEqualTo(1);
        assertThat(ts.get(0).error().errorClass()).isEqualTo("invalid_request");
        assertThat(ts.get(1).attempts()).isEqualTo(1);
        assertThat(ts.get(1).error().errorClass()).isEqualTo("overloaded");
        assertThat(ts.get(2).attempts()).isEqualTo(2);
        assertThat(ts.get(2).pass()).isTrue();
        assertThat(p.calls()).isEqualTo(4);
    }

    @Test
    void a_usd_budget_is_never_exceeded_and_the_rest_are_skipped_with_the_reason() throws Exception {
        ScriptedProvider p = scripted();
        // Each answer costs about 70 × $3/M + 100 × $15/M ≈ $0.0017; the worst case reserved is larger.
        Suite s = suite("budget: {max_usd: 0.02}\n", 20);

        assertThatThrownBy(() -> run(s, p, 4))
                .isInstanceOf(RunAborted.class)
                .hasMessageStartingWith("budget: max_usd $0.0200 would be exceeded");
        List<TrialResult> ts = journal();
        assertThat(ts).hasSize(20);
        double spent = ts.stream().filter(t -> t.costUsd() != null).mapToDouble(TrialResult::costUsd).sum();
        assertThat(spent).isLessThanOrEqualTo(0.02).isGreaterThan(0.01);
        long skipped = ts.stream().filter(t -> t.skipped() != null).count();
        assertThat(skipped).isEqualTo(20 - p.calls());
        assertThat(ts.stream().filter(t -> t.skipped() != null).map(TrialResult::status)).containsOnly("skipped");
    }

    @Test
    void max_trials_and_resume_send_each_trial_exactly_once() throws Exception {
        ScriptedProvider first = scripted();
        Suite limited = suite("budget: {max_trials: 4}\n", 10);
        assertThatThrownBy(() -> run(limited, first, 2)).hasMessage("budget: max_trials 4 reached");
        assertThat(first.calls()).isEqualTo(4);

        ScriptedProvider second = scripted();
        RunResult resumed = run(suite("", 10), second, 3);
        assertThat(second.calls()).isEqualTo(6);
        List<TrialResult> ts = journal();
        assertThat(ts.stream().filter(t -> t.skipped() == null).map(TrialResult::trialId).distinct().count()).isEqualTo(10);
        assertThat(ts.stream().filter(t -> t.skipped() == null).count()).isEqualTo(10);
        assertThat(Analyses.summary(resumed).total().trials()).isEqualTo(10);
        assertThat(Analyses.allPassed(resumed)).isTrue();
    }

    @Test
    void a_max_trials_stop_says_a_resume_would_meet_that_limit_again() throws Exception {
        RunAborted trials = catchThrowableOfType(RunAborted.class,
                () -> run(suite("budget: {max_trials: 3}\n", 6), scripted(), 1));
        assertThat(trials.spentLimit()).contains(RunAborted.SpentLimit.MAX_TRIALS);
    }

    @Test
    void a_max_usd_stop_says_a_resume_would_meet_that_limit_again() throws Exception {
        RunAborted usd = catchThrowableOfType(RunAborted.class,
                () -> run(suite("budget: {max_usd: 0.02}\n", 20), scripted(), 4));
        assertThat(usd.spentLimit()).contains(RunAborted.SpentLimit.MAX_USD);
    }

    @Test
    void a_passed_deadline_is_not_a_spent_limit_since_each_resume_has_its_own() throws Exception {
        // each call takes 100 ms of the test's clock: the deadline passes after the third trial
        RunAborted deadline = catchThrowableOfType(RunAborted.class,
                () -> run(suite("budget: {deadline_s: 0.25}\n", 6), scripted(), 1));
        assertThat(deadline).hasMessageStartingWith("budget: deadline");
        assertThat(deadline.spentLimit()).isEmpty();
    }

    /**
     * A provider on this test's clock: each call takes 100 ms of it, and an unscripted request gets a
     * realistic answer (about 4 bytes of request per input token, and the whole output budget).
     */
    ScriptedProvider scripted() {
        return ScriptedProvider.answering(r -> ok(r.model(), r.body().toString().length() / 4,
                r.body().path("max_tokens").asInt())).onEachCall(() -> clock.advanceMillis(100)).serial();
    }
}
