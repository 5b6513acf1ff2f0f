package dev.sonde.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import org.junit.jupiter.api.Test;

/** What one model's trials of one case add to a comparison: an errored trial fails the case and adds no cost. */
class MigrationCaseDataTest {

    private static TrialResult trial(boolean pass, TrialError error, Double cost, int outputTokens) {
        ObjectNode usage = new ObjectMapper().createObjectNode().put("output_tokens", outputTokens);
        return TrialResult.builder("c/m/0", "c", "m", "m-id", 0).pass(pass).error(error).usage(usage).costUsd(cost)
                .attempts(1).build();
    }

    @Test
    void an_errored_trial_fails_the_case_but_is_not_a_cheaper_answer() {
        Migration.CaseData d = new Migration.CaseData(1L);
        d.add(trial(true, null, 0.010, 100));
        d.add(trial(false, new TrialError("server_error", 500, "api_error", "boom"), 0.0, 0));
        assertThat(d.allPassed).isFalse();
        assertThat(d.errored).isEqualTo(1);
        assertThat(d.costCount).isEqualTo(1);
        assertThat(d.costSum / d.costCount).as("mean cost over answered trials").isEqualTo(0.010);
        assertThat(d.outputSum / d.tokenCount).isEqualTo(100);
    }

    @Test
    void a_case_keeps_at_most_a_reservoir_of_latency_samples_however_many_repeats_ran() {
        Migration.CaseData d = new Migration.CaseData(7L);
        for (int i = 0; i < 5_000; i++) {
            d.add(TrialResult.builder("c/m/" + i, "c", "m", "m-id", i).pass(true).attempts(1)
                    .timings(new dev.sonde.metrics.TimingsMillis(null, 100.0 + i % 1000, null, 200.0 + i % 1000,
                            null, 0, null, null))
                    .build());
        }
        assertThat(d.ttft.values()).hasSize(dev.sonde.stats.Reservoir.CAPACITY);
        assertThat(d.ttft.seen()).isEqualTo(5_000);
        assertThat(d.ttft.weight()).isEqualTo(5_000.0 / dev.sonde.stats.Reservoir.CAPACITY);
        assertThat(d.e2e.values()).hasSize(dev.sonde.stats.Reservoir.CAPACITY);
    }

    /** An answer whose checks could not apply (a latency bound on a batch answer): no verdict, not a fail. */
    private static TrialResult notEvaluated(String caseId) {
        return TrialResult.builder(caseId + "/m/0", caseId, "m", "m-id", 0).pass(false).attempts(1)
                .usage(new ObjectMapper().createObjectNode().put("output_tokens", 10)).costUsd(0.002)
                .checks(java.util.List.of(dev.sonde.check.CheckResult.notApplicable("latency",
                        "no timings: answered by Message Batches")))
                .build();
    }

    @Test
    void a_trial_with_no_applicable_check_neither_passes_nor_fails_its_case() {
        Migration.CaseData d = new Migration.CaseData(3L);
        d.add(trial(true, null, 0.010, 100));
        d.add(notEvaluated("c"));
        assertThat(d.allPassed).as("the verdicts it has all pass").isTrue();
        assertThat(d.judged).isEqualTo(1);
        assertThat(d.trials).isEqualTo(2);
        assertThat(d.costCount).as("its answer still costs").isEqualTo(2);
    }

    @Test
    void a_case_with_no_verdict_on_one_model_is_left_out_of_the_pass_rate_not_counted_as_newly_failing() {
        java.util.Map<String, Migration.CaseData> base = new java.util.LinkedHashMap<>();
        java.util.Map<String, Migration.CaseData> cand = new java.util.LinkedHashMap<>();
        for (String id : java.util.List.of("a", "b", "c")) {
            base.put(id, new Migration.CaseData(id.hashCode()));
            base.get(id).add(trial(true, null, 0.01, 10));
            cand.put(id, new Migration.CaseData(~id.hashCode()));
        }
        cand.get("a").add(trial(true, null, 0.01, 10));
        cand.get("b").add(notEvaluated("b"));
        cand.get("c").add(trial(false, null, 0.01, 10));
        dev.sonde.suite.CompareSpec spec = new dev.sonde.suite.CompareSpec("base", java.util.List.of("cand"),
                dev.sonde.suite.CompareSpec.DEFAULT_MAX_PASS_RATE_DROP_PP, 0, dev.sonde.suite.CompareSpec.Volume.NONE,
                null);
        ModelComparison.Agreement g = Migration.candidate(spec, "cand", "m2", "m2", "m1", java.util.List.of("a", "b", "c"),
                base, cand, java.util.List.of()).agreement();
        assertThat(g.cases()).isEqualTo(2);
        assertThat(g.bothPass()).isEqualTo(1);
        assertThat(g.newlyFailingCases()).containsExactly("c");
        assertThat(g.notEvaluatedCases()).containsExactly("b");
        assertThat(g.unpairedCases()).isEmpty();
    }
}
