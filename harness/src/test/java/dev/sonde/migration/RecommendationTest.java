package dev.sonde.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.suite.CompareSpec;
import dev.sonde.suite.Location;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decision table of {@link Recommendation} row by row, and the paragraph's wording, on
 * hand-made comparisons (tolerance 5 pp, at most 2 excepted cases).
 */
class RecommendationTest {
    private static final CompareSpec SPEC = new CompareSpec("sonnet", List.of("haiku"), 5, 2, CompareSpec.Volume.NONE,
            new Location(Path.of("s.yaml"), 1, 1));
    private static final ModelComparison.TokenChange NO_TOKENS = new ModelComparison.TokenChange(0, null, null, null,
            null, null, null, null, null, null, null, null);

    private static ModelComparison.Agreement agreement(int both, List<String> newlyFailing, int newlyPassing,
            int bothFail) {
        return new ModelComparison.Agreement(both + newlyFailing.size() + newlyPassing + bothFail, both,
                newlyFailing.size(), newlyPassing, bothFail, newlyFailing, List.of(), List.of());
    }

    /** A cost ratio with its CI; per-request $0.004 on the baseline, monthly figures when given. */
    private static ModelComparison.CostChange cost(double ratio, double ciLow, double ciHigh, Double baseMonthly,
            Double candMonthly, Double exceptMonthly) {
        return new ModelComparison.CostChange(false, 10, 1.0, ratio, 0.004, null, null, 0.004 * ratio, null, null,
                ratio, ciLow, ciHigh, baseMonthly, null, null, candMonthly, null, null,
                exceptMonthly == null ? null : 0.003, exceptMonthly);
    }

    private static ModelComparison.CostChange cheaper(double ratio) {
        return cost(ratio, ratio * 0.9, ratio * 1.1, null, null, null);
    }

    private static List<ModelComparison.LatencyChange> ttftP95(double change, double ciLow, double ciHigh) {
        ModelComparison.Quantile q = new ModelComparison.Quantile(100.0, null, null, 100 * (1 + change), null, null,
                change, ciLow, ciHigh);
        return List.of(new ModelComparison.LatencyChange("ttft_ms", 20, 20, q, q));
    }

    private static List<ModelComparison.LatencyChange> noFaster() {
        return ttftP95(0.1, -0.05, 0.3);
    }

    private static ModelComparison.Recommendation decide(ModelComparison.Agreement g, ModelComparison.CostChange c,
            List<ModelComparison.LatencyChange> latency) {
        return decide(g, c, latency, NO_TOKENS, 0, 0, List.of());
    }

    private static ModelComparison.Recommendation decide(ModelComparison.Agreement g, ModelComparison.CostChange c,
            List<ModelComparison.LatencyChange> latency, ModelComparison.TokenChange tokens, long baseErrored,
            long candErrored, List<String> params) {
        return Recommendation.decide(SPEC, new Recommendation.Facts("claude-haiku-4-5", "claude-sonnet-4-6", g,
                Migration.passRate(g), c, latency, tokens, baseErrored, candErrored, params));
    }

    @Test
    void a_cheaper_candidate_that_breaks_no_case_migrates_even_on_a_small_suite() {
        ModelComparison.Agreement g = agreement(3, List.of(), 0, 1); // identical pass sets on 4 cases
        ModelComparison.Recommendation r = decide(g, cheaper(0.34), noFaster());
        assertThat(Migration.passRate(g).ciLowPp()).as("a small suite's CI reaches below −5 pp").isLessThan(-5);
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE);
        assertThat(r.text()).startsWith("claude-haiku-4-5 passes 3 of the 3 cases claude-sonnet-4-6 passes (0.0 pp")
                .endsWith(": migrate (none of the cases claude-sonnet-4-6 passes fails on it; the 95 % CI's lower"
                        + " bound, " + Recommendation.signedPp(Migration.passRate(g).ciLowPp()) + " pp, is below"
                        + " the tolerated −5.0 pp only because 4 cases are little evidence)");
    }

    @Test
    void more_newly_failing_cases_never_give_a_better_decision_on_the_same_suite() {
        ModelComparison.Recommendation none = decide(agreement(3, List.of(), 0, 1), cheaper(0.34), noFaster());
        ModelComparison.Recommendation one = decide(agreement(2, List.of("b"), 0, 1), cheaper(0.34), noFaster());
        ModelComparison.Recommendation three = decide(agreement(0, List.of("a", "b", "c"), 0, 1), cheaper(0.34),
                noFaster());
        assertThat(List.of(none.decision(), one.decision(), three.decision())).containsExactly(
                ModelComparison.Decision.MIGRATE, ModelComparison.Decision.MIGRATE_EXCEPT,
                ModelComparison.Decision.DONT_MIGRATE);
        assertThat(one.text()).endsWith(": migrate, except case `b` (1 case newly fails, at most 2 may stay on"
                + " claude-sonnet-4-6)");
        assertThat(three.text()).contains(": don't migrate (3 cases newly fail, more than the 2 that may stay on"
                + " claude-sonnet-4-6, and the 95 % CI's lower bound, −");
    }

    @Test
    void migrates_with_the_ci_within_the_tolerance_and_states_why() {
        ModelComparison.Agreement g = agreement(200, List.of(), 0, 0);
        ModelComparison.Recommendation r = decide(g, cost(0.34, 0.30, 0.38, 412.0, 140.08, null), ttftP95(-0.38,
                -0.5, -0.2));
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE);
        assertThat(r.text()).isEqualTo("claude-haiku-4-5 passes 200 of the 200 cases claude-sonnet-4-6 passes"
                + " (0.0 pp, 95 % CI [−1.9, 1.9]), costs 34 % as much ($412 → $140 a month at your volume),"
                + " TTFT p95 −38 %: migrate (none of the cases claude-sonnet-4-6 passes fails on it; the 95 % CI's"
                + " lower bound, −1.9 pp, is within the tolerated −5.0 pp)");
        assertThat(r.reasons()).contains("it costs 34 % as much per request (95 % CI [0.30, 0.38])",
                "TTFT p95 is lower (change 95 % CI [−50 %, −20 %])");
    }

    @Test
    void many_newly_failing_cases_are_excepted_only_when_the_tolerance_holds() {
        ModelComparison.Agreement g = agreement(400, List.of("a", "b", "c"), 20, 0); // net +3.9 pp
        ModelComparison.Recommendation r = decide(g, cheaper(0.5), noFaster());
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE_EXCEPT);
        assertThat(r.exceptCases()).containsExactly("a", "b", "c");
        assertThat(r.text()).contains("and 20 cases claude-sonnet-4-6 fails")
                .contains(": migrate, except cases `a`, `b`, `c` (3 cases newly fail, more than the 2 that may stay"
                        + " on claude-sonnet-4-6, but the 95 % CI's lower bound, ");
    }

    @Test
    void the_excepted_cases_blend_the_monthly_projection_and_the_paragraph_says_so() {
        ModelComparison.Agreement g = agreement(10, List.of("legal-summary"), 0, 1);
        ModelComparison.Recommendation r = decide(g, cost(0.1, 0.08, 0.12, 457.0, 45.7, 80.0), noFaster());
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE_EXCEPT);
        assertThat(r.text()).contains(", costs 10 % as much ($457 → $80.00 a month at your volume, with the excepted"
                + " case kept on claude-sonnet-4-6), TTFT p95 +10 %: migrate, except case `legal-summary`");
    }

    @Test
    void gains_within_noise_are_no_gains() {
        ModelComparison.Agreement g = agreement(30, List.of(), 2, 0);
        ModelComparison.Recommendation r = decide(g, cost(0.97, 0.91, 1.04, null, null, null),
                ttftP95(-0.06, -0.2, 0.08));
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.DONT_MIGRATE);
        assertThat(r.text()).contains("passes 30 of the 30 cases claude-sonnet-4-6 passes and 2 cases"
                + " claude-sonnet-4-6 fails (6.3 pp").endsWith(": don't migrate (it is neither cheaper nor faster"
                        + " than claude-sonnet-4-6 beyond noise: the cost ratio's 95 % CI [0.91, 1.04] does not lie"
                        + " below 1, the TTFT p95 change's 95 % CI [−20 %, +8 %] does not lie below 0)");
        ModelComparison.CostChange unpriced = new ModelComparison.CostChange(true, 0, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        ModelComparison.Recommendation u = decide(g, unpriced, ttftP95(0.0, -0.1, 0.1));
        assertThat(u.decision()).isEqualTo(ModelComparison.Decision.DONT_MIGRATE);
        assertThat(u.text()).contains(", cost unknown (unpriced), TTFT p95 0 %: don't migrate (it is neither cheaper"
                + " nor faster than claude-sonnet-4-6 beyond noise: its cost is unknown");
    }

    @Test
    void a_dearer_candidate_is_written_as_a_multiple() {
        ModelComparison.Agreement g = agreement(13, List.of(), 1, 0);
        ModelComparison.Recommendation r = decide(g, cost(1.82, 1.7, 1.9, 457.0, 831.0, null), ttftP95(0.22, 0.1,
                0.3));
        assertThat(r.text()).contains("passes 13 of the 13 cases claude-sonnet-4-6 passes and 1 case claude-sonnet-4-6"
                + " fails (7.1 pp").contains(", 1.8× the cost ($457 → $831 a month at your volume), TTFT p95 +22 %:"
                        + " don't migrate (it is neither");
    }

    @Test
    void differing_request_params_and_errored_trials_are_named() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode sonnet = json.createObjectNode().put("max_tokens", 2048);
        sonnet.putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
        ObjectNode haiku = json.createObjectNode().put("max_tokens", 400).put("temperature", 0);
        List<String> params = ParamDifferences.of("claude-sonnet-4-6", sonnet, "claude-haiku-4-5", haiku);
        assertThat(params).containsExactly("claude-sonnet-4-6 runs with max_tokens 2048, claude-haiku-4-5 with"
                + " max_tokens 400", "claude-sonnet-4-6 runs with thinking (budget 1024), claude-haiku-4-5 without",
                "claude-sonnet-4-6 runs with temperature unset, claude-haiku-4-5 with temperature 0");
        assertThat(ParamDifferences.of("a", sonnet, "b", sonnet.deepCopy())).isEmpty();
        ModelComparison.TokenChange tokens = new ModelComparison.TokenChange(14, 110.0, 28.0, -82.0, null, null,
                -0.75, 82.0, 0.0, -82.0, null, null);
        ModelComparison.Recommendation r = decide(agreement(14, List.of(), 0, 0), cheaper(0.07), noFaster(), tokens,
                0, 3, params);
        assertThat(r.text()).contains(", TTFT p95 +10 %; errored (counted as failing, left out of cost and latency):"
                + " 3 errored on claude-haiku-4-5; note: claude-sonnet-4-6 runs with max_tokens 2048,"
                + " claude-haiku-4-5 with max_tokens 400; claude-sonnet-4-6 runs with thinking (budget 1024),"
                + " claude-haiku-4-5 without; claude-sonnet-4-6 runs with temperature unset, claude-haiku-4-5 with"
                + " temperature 0 — output tokens per case 110 → 28, of them thinking 82 → 0: migrate (");
    }

    @Test
    void formats_numbers_for_reading() {
        assertThat(Recommendation.signedPp(-0.04)).isEqualTo("0.0");
        assertThat(Recommendation.signedPp(-7.14)).isEqualTo("−7.1");
        assertThat(Recommendation.signedPct(-0.38)).isEqualTo("−38");
        assertThat(Recommendation.signedPct(0.051)).isEqualTo("+5");
        assertThat(Recommendation.ratio(0.0712)).isEqualTo("7 % as much");
        assertThat(Recommendation.ratio(1.824)).isEqualTo("1.8× the cost");
        assertThat(Recommendation.usd(457.3)).isEqualTo("$457");
        assertThat(Recommendation.usd(30.456)).isEqualTo("$30.46");
        assertThat(Recommendation.usd(0.004213)).isEqualTo("$0.0042");
    }
}
