package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.suite.CompareSpec;
import dev.sonde.suite.Location;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision rules and the paragraph's wording, on hand-made comparisons. */
class RecommendationTest {
    private static final CompareSpec SPEC = new CompareSpec("sonnet", List.of("haiku"), 5, 2, CompareSpec.Volume.NONE,
            new Location(Path.of("s.yaml"), 1, 1));

    private static ModelComparison.Agreement agreement(int both, List<String> newlyFailing, int newlyPassing,
            int bothFail) {
        return new ModelComparison.Agreement(both + newlyFailing.size() + newlyPassing + bothFail, both,
                newlyFailing.size(), newlyPassing, bothFail, newlyFailing, List.of(), List.of());
    }

    private static ModelComparison.CostChange cost(Double ratio, Double baseMonthly, Double candMonthly) {
        return new ModelComparison.CostChange(false, 10, 1.0, ratio, 0.004, null, null,
                ratio == null ? null : 0.004 * ratio, null, null, ratio, null, null, baseMonthly, null, null,
                candMonthly, null, null);
    }

    private static List<ModelComparison.LatencyChange> ttftP95Change(double change) {
        ModelComparison.Quantile q = new ModelComparison.Quantile(100.0, null, null, 100 * (1 + change), null, null,
                change, null, null);
        return List.of(new ModelComparison.LatencyChange("ttft_ms", 20, 20, q, q));
    }

    private static ModelComparison.Recommendation decide(ModelComparison.Agreement g, ModelComparison.CostChange c,
            List<ModelComparison.LatencyChange> latency) {
        return Recommendation.decide(SPEC, "claude-haiku-4-5", "claude-sonnet-4-6", g, ModelCompare.passRate(g), c,
                latency);
    }

    @Test
    void migrates_when_cheaper_and_the_ci_stays_within_the_tolerance() {
        ModelComparison.Agreement g = agreement(200, List.of(), 0, 0);
        ModelComparison.Recommendation r = decide(g, cost(0.34, 412.0, 140.08), ttftP95Change(-0.38));
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE);
        assertThat(r.text()).isEqualTo("claude-haiku-4-5 passes 200 of the 200 cases claude-sonnet-4-6 passes"
                + " (0.0 pp, 95 % CI [−1.9, 1.9]), costs 34 % as much ($412 → $140 a month at your volume),"
                + " TTFT p95 −38 %: migrate");
    }

    @Test
    void keeps_a_few_newly_failing_cases_on_the_baseline_and_refuses_many() {
        ModelComparison.Agreement few = agreement(10, List.of("legal-summary"), 0, 1);
        ModelComparison.Recommendation r = decide(few, cost(0.5, null, null), ttftP95Change(0.1));
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE_EXCEPT);
        assertThat(r.exceptCases()).containsExactly("legal-summary");
        assertThat(r.text()).contains("costs 50 % as much ($0.004 → $0.002 per request), TTFT p95 +10 %")
                .endsWith(": migrate, except case `legal-summary`");

        ModelComparison.Agreement many = agreement(10, List.of("a", "b", "c"), 0, 0);
        ModelComparison.Recommendation no = decide(many, cost(0.5, null, null), ttftP95Change(-0.2));
        assertThat(no.decision()).isEqualTo(ModelComparison.Decision.DONT_MIGRATE);
        assertThat(no.text()).startsWith("claude-haiku-4-5 passes 10 of the 13 cases claude-sonnet-4-6 passes (−23.1 pp")
                .contains(": don't migrate (the pass rate may drop by up to ")
                .endsWith("3 case(s) newly fail, more than the 2 that may stay on claude-sonnet-4-6)");
    }

    @Test
    void no_gain_means_no_migration_and_unpriced_is_never_cheaper() {
        ModelComparison.Agreement g = agreement(30, List.of(), 2, 0);
        assertThat(decide(g, cost(1.3, null, null), ttftP95Change(0.05)).decision())
                .isEqualTo(ModelComparison.Decision.DONT_MIGRATE);
        ModelComparison.CostChange unpriced = new ModelComparison.CostChange(true, 0, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
        ModelComparison.Recommendation r = decide(g, unpriced, ttftP95Change(0.0));
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.DONT_MIGRATE);
        assertThat(r.text()).contains("passes 30 of the 30 cases claude-sonnet-4-6 passes and 2 it fails (6.3 pp")
                .contains(", cost unknown (unpriced), TTFT p95 0 %: don't migrate (it is neither cheaper nor faster");
    }

    @Test
    void dollars_round_for_reading() {
        assertThat(Recommendation.usd(412.4)).isEqualTo("$412");
        assertThat(Recommendation.usd(12_345.6)).isEqualTo("$12,346");
        assertThat(Recommendation.usd(30.464)).isEqualTo("$30.46");
        assertThat(Recommendation.usd(0.0018270)).isEqualTo("$0.0018");
        assertThat(Recommendation.signedPp(-0.04)).isEqualTo("0.0");
    }
}
