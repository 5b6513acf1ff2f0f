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
        d.add(trial(true, null, 0.010, 100), 0);
        d.add(trial(false, new TrialError("server_error", 500, "api_error", "boom"), 0.0, 0), 0);
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
                    .build(), i);
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
        d.add(trial(true, null, 0.010, 100), 0);
        d.add(notEvaluated("c"), 0);
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
            base.get(id).add(trial(true, null, 0.01, 10), 0);
            cand.put(id, new Migration.CaseData(~id.hashCode()));
        }
        cand.get("a").add(trial(true, null, 0.01, 10), 0);
        cand.get("b").add(notEvaluated("b"), 0);
        cand.get("c").add(trial(false, null, 0.01, 10), 0);
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

    private static TrialResult answer(String caseId, int repeat, String text, com.fasterxml.jackson.databind.JsonNode... calls) {
        return TrialResult.builder(caseId + "/m/" + repeat, caseId, "m", "m-id", repeat).pass(true).attempts(1)
                .outputText(text).toolCalls(java.util.List.of(calls)).build();
    }

    private static com.fasterxml.jackson.databind.JsonNode call(String id, String name, String input) throws Exception {
        ObjectNode call = new ObjectMapper().createObjectNode().put("id", id).put("name", name);
        call.set("input", new ObjectMapper().readTree(input));
        return call;
    }

    @Test
    void same_output_pairs_trials_by_case_and_repeat_and_counts_only_those_answered_on_both() throws Exception {
        OutputDigest digest = new OutputDigest();
        java.util.Map<String, Migration.CaseData> base = new java.util.LinkedHashMap<>();
        java.util.Map<String, Migration.CaseData> cand = new java.util.LinkedHashMap<>();
        for (String id : java.util.List.of("a", "b")) {
            base.put(id, new Migration.CaseData(1));
            cand.put(id, new Migration.CaseData(2));
        }
        // a: repeat 0 identical, repeat 1 differs by one byte, repeat 2 errored on the candidate
        for (TrialResult t : java.util.List.of(answer("a", 0, "positive"), answer("a", 1, "positive"),
                answer("a", 2, "positive"))) {
            base.get("a").add(t, digest.of(t));
        }
        for (TrialResult t : java.util.List.of(answer("a", 1, "positive."), answer("a", 0, "positive"))) {
            cand.get("a").add(t, digest.of(t)); // journal order is completion order, not repeat order
        }
        TrialResult errored = answer("a", 2, null).toBuilder().pass(false)
                .error(new TrialError("server_error", 500, "api_error", "boom")).build();
        cand.get("a").add(errored, digest.of(errored));
        // b: the same tool call under a fresh id is identical; another input is not; a skipped repeat pairs with nothing
        TrialResult b0 = answer("b", 0, "", call("toolu_1", "lookup", "{\"order\":4471}"));
        TrialResult b1 = answer("b", 1, "", call("toolu_2", "lookup", "{\"order\":4471}"));
        base.get("b").add(b0, digest.of(b0));
        base.get("b").add(b1, digest.of(b1));
        TrialResult c0 = answer("b", 0, "", call("toolu_9", "lookup", "{\"order\":4471}"));
        TrialResult c1 = answer("b", 1, "", call("toolu_8", "lookup", "{\"order\":4472}"));
        cand.get("b").add(c0, digest.of(c0));
        cand.get("b").add(c1, digest.of(c1));
        TrialResult skipped = TrialResult.skipped("b/m/2", "b", "m", "m-id", 2, java.time.Instant.EPOCH, "budget");
        base.get("b").add(skipped, digest.of(skipped));
        cand.get("b").add(skipped, digest.of(skipped));

        assertThat(Migration.sameOutput(java.util.List.of("a", "b"), base, cand))
                .isEqualTo(new ModelComparison.SameOutput(4, 2));
        assertThat(Migration.sameOutput(java.util.List.of("b"), base, cand)).as("only the paired cases count")
                .isEqualTo(new ModelComparison.SameOutput(2, 1));
    }

    @Test
    void the_output_digest_tells_text_from_tool_calls_and_null_from_empty() throws Exception {
        OutputDigest digest = new OutputDigest();
        assertThat(digest.of(answer("a", 0, "ok"))).isEqualTo(digest.of(answer("b", 3, "ok")));
        assertThat(digest.of(answer("a", 0, null))).isNotEqualTo(digest.of(answer("a", 0, "")));
        assertThat(digest.of(answer("a", 0, "lookup"))).as("text that reads like a call is not the call")
                .isNotEqualTo(digest.of(answer("a", 0, "", call("t", "lookup", "{}"))));
        assertThat(digest.of(answer("a", 0, "", call("t", "a", "{\"b\":1}"))))
                .isNotEqualTo(digest.of(answer("a", 0, "", call("t", "a", "{\"b\":2}"))));
        assertThat(digest.of(answer("a", 0, "é"))).isNotEqualTo(digest.of(answer("a", 0, "e\u0301")));
    }
}
