package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.metrics.PricingTable;
import dev.sonde.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run answered without timings (Message Batches) against a baseline of a timed run: the latency
 * gates skip and say why, a latency check that did not apply is no new failure, and a case none of
 * whose checks applied is noted as not evaluated — neither a new failure nor a missing case.
 */
class UntimedRunGatesTest {
    private static final String BATCH = "sent through Message Batches, which report no timings";
    private static final List<String> CASES = List.of("capital", "sentiment", "ticket", "invoice", "contact", "summary",
            "refusal", "tool", "policy", "translate");

    @TempDir
    Path dir;

    /** 10 cases × 2 models; untimed: every trial answered without timings, at half the cost. */
    private RunResult run(String name, String untimed, String latencyOnly) throws Exception {
        RunFixture f = new RunFixture();
        if (untimed != null) {
            f.untimed(untimed);
        }
        for (int i = 0; i < CASES.size(); i++) {
            for (String model : List.of("sonnet", "haiku")) {
                double ttft = (model.equals("sonnet") ? 900 : 450) * (0.8 + 0.05 * i);
                double cost = untimed == null ? 0.0004 : 0.0002;
                if (CASES.get(i).equals(latencyOnly)) {
                    f.latencyOnly(CASES.get(i), model, cost, "Paris");
                } else {
                    f.trial(CASES.get(i), model, 0, true, ttft, ttft + 800, cost, "Paris");
                }
            }
        }
        return f.write(Files.createDirectories(dir.resolve(name)));
    }

    private Comparison compare(Path baseline, RunResult run) throws Exception {
        return Baselines.compare(baseline, run, Gates.DEFAULTS, PricingTable.defaults());
    }

    @Test
    void a_batch_run_with_the_same_answers_passes_and_its_latency_gates_skip_saying_why() throws Exception {
        Path baseline = dir.resolve("timed.json");
        Baselines.write(run("timed", null, null), baseline);

        Comparison c = compare(baseline, run("batch", BATCH, null));

        assertThat(c.verdict().passed()).as(String.join("\n", c.verdict().lines())).isTrue();
        GateResult newFailures = c.verdict().gates().getFirst();
        assertThat(newFailures.gate()).isEqualTo("new_failures");
        assertThat(newFailures.outcome()).isEqualTo(GateResult.Decision.PASS);
        assertThat(newFailures.observed()).isEqualTo("0 new failures of 20 cases");
        List<GateResult> latency = c.verdict().gates().stream().filter(g -> g.gate().equals("ttft_p95")).toList();
        assertThat(latency).hasSize(2).allSatisfy(g -> assertThat(g.outcome()).isEqualTo(GateResult.Decision.SKIP));
        assertThat(latency.getFirst().reason())
                .isEqualTo("no ttft_ms samples in the run: its 10 trials on sonnet were " + BATCH);
        assertThat(latency.get(1).line()).isEqualTo("SKIP ttft_p95 [haiku]: not judged — no ttft_ms samples in the run:"
                + " its 10 trials on haiku were " + BATCH);
        assertThat(c.passRate().runPassed()).isEqualTo(20);
        assertThat(c.verdict().notes()).isEmpty();
    }

    @Test
    void a_timed_run_without_samples_for_another_reason_says_only_that() throws Exception {
        Path baseline = dir.resolve("timed.json");
        Baselines.write(run("timed", null, null), baseline);
        RunFixture errored = new RunFixture();
        for (String c : CASES) {
            errored.trial(c, "sonnet", 0, false, null, null, null, "");
            errored.trial(c, "haiku", 0, true, 500.0, 1300.0, 0.0004, "Paris");
        }
        Comparison c = compare(baseline, errored.write(Files.createDirectories(dir.resolve("errored"))));
        GateResult sonnet = c.verdict().gates().stream().filter(g -> g.name().equals("ttft_p95 [sonnet]")).findFirst()
                .orElseThrow();
        assertThat(sonnet.outcome()).isEqualTo(GateResult.Decision.SKIP);
        assertThat(sonnet.reason()).isEqualTo("no ttft_ms samples in the run");
    }

    @Test
    void a_case_only_latency_checks_is_not_evaluated_noted_and_neither_a_failure_nor_missing() throws Exception {
        Path baseline = dir.resolve("timed.json");
        Baselines.write(run("timed", null, null), baseline);

        Comparison c = compare(baseline, run("batch", BATCH, "ticket"));

        assertThat(c.verdict().passed()).as(String.join("\n", c.verdict().lines())).isTrue();
        assertThat(c.cases().newFailures()).isEmpty();
        assertThat(c.cases().removed()).isEmpty();
        assertThat(c.cases().compared()).isEqualTo(18);
        assertThat(c.passRate().runTrials()).as("the pass rate is over trials evaluated").isEqualTo(18);
        assertThat(c.verdict().notes()).containsExactly("2 case(s) not evaluated, no check applied (e.g. latency"
                + " bounds on answers without timings), not gated: ticket [haiku], ticket [sonnet]");
    }

    @Test
    void a_baseline_accepted_from_a_batch_run_keeps_which_checks_did_not_apply() throws Exception {
        Path baseline = dir.resolve("batch.json");
        Baselines.write(run("batch", BATCH, "ticket"), baseline);

        String text = Files.readString(baseline);
        assertThat(text).contains("{ \"type\" : \"latency\", \"pass\" : false, \"applicable\" : false }")
                .contains("{ \"type\" : \"contains\", \"pass\" : true }");
        BaselineFile back = BaselineFile.read(baseline);
        BaselineFile.TrialEntry ticket = back.trials().get("ticket/sonnet/0");
        assertThat(ticket.notEvaluated()).isTrue();
        assertThat(back.trials().get("capital/sonnet/0").notEvaluated()).isFalse();
        assertThat(back.trials().get("capital/sonnet/0").checks().getFirst())
                .isEqualTo(new BaselineFile.CheckEntry("latency", false, false));
        assertThat(BaselineJudge.tally(BaselineJudge.inScope(back, null))).as("no tally of a trial with no verdict")
                .doesNotContainKeys("ticket [sonnet]", "ticket [haiku]").hasSize(18);

        Comparison same = compare(baseline, run("again", BATCH, "ticket"));
        assertThat(same.verdict().passed()).as(String.join("\n", same.verdict().lines())).isTrue();
        assertThat(same.cases().newFailures()).isEmpty();
        assertThat(same.cases().removed()).isEmpty();
    }
}
