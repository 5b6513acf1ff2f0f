package dev.sonde.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sonde.suite.CompareSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cost per request and the monthly projection under both volume bases. */
class CostProjectionTest {
    /** A case's mean cost per trial and its total, as the journal gave them. */
    record Case(double mean, double total, boolean unpriced) {}

    private static final List<String> IDS = List.of("a", "b", "c");
    private static final Map<String, Case> BASE = Map.of("a", new Case(0.010, 0.030, false),
            "b", new Case(0.002, 0.006, false), "c", new Case(0.004, 0.012, false));
    private static final Map<String, Case> CAND = Map.of("a", new Case(0.004, 0.012, false),
            "b", new Case(0.001, 0.003, false), "c", new Case(0.002, 0.006, false));

    private static ModelComparison.CostChange project(CompareSpec.Volume v, Map<String, Case> cand) {
        return project(v, cand, List.of());
    }

    private static ModelComparison.CostChange project(CompareSpec.Volume v, Map<String, Case> cand,
            List<String> newlyFailing) {
        return CostProjection.of(v, IDS, newlyFailing, BASE, cand, Case::unpriced, Case::mean, Case::total);
    }

    @Test
    void the_except_blend_keeps_the_newly_failing_cases_at_the_baselines_cost() {
        ModelComparison.CostChange all = project(new CompareSpec.Volume(300_000.0, Map.of()), CAND);
        assertThat(all.exceptMonthlyUsd()).as("nothing to except").isNull();
        ModelComparison.CostChange c = project(new CompareSpec.Volume(300_000.0, Map.of()), CAND, List.of("a"));
        assertThat(c.exceptPerRequestUsd()).isCloseTo((0.010 + 0.001 + 0.002) / 3, within(1e-15));
        assertThat(c.exceptMonthlyUsd()).isCloseTo(300_000 * (0.010 + 0.001 + 0.002) / 3, within(1e-9));
        assertThat(c.candidateMonthlyUsd()).as("the all-traffic figure is unchanged")
                .isCloseTo(300_000 * 0.007 / 3, within(1e-9));
        ModelComparison.CostChange w = project(new CompareSpec.Volume(null, Map.of("a", 1000.0, "b", 9000.0)), CAND,
                List.of("b"));
        assertThat(w.exceptMonthlyUsd()).isCloseTo(1000 * 0.004 + 9000 * 0.002, within(1e-9));
    }

    @Test
    void requests_per_month_spreads_evenly_over_cases() {
        ModelComparison.CostChange c = project(new CompareSpec.Volume(300_000.0, Map.of()), CAND);
        assertThat(c.baselinePerRequestUsd()).isCloseTo(0.016 / 3, within(1e-15));
        assertThat(c.baselineMonthlyUsd()).isCloseTo(300_000 * 0.016 / 3, within(1e-9));
        assertThat(c.candidateMonthlyUsd()).isCloseTo(300_000 * 0.007 / 3, within(1e-9));
        assertThat(c.ratio()).isCloseTo(0.007 / 0.016, within(1e-12));
        assertThat(c.baselineTotalUsd()).isCloseTo(0.048, within(1e-15));
        assertThat(c.ratioCiLow()).isLessThanOrEqualTo(c.ratio());
        assertThat(c.ratioCiHigh()).isGreaterThanOrEqualTo(c.ratio());
    }

    @Test
    void per_case_weights_the_cases_by_their_traffic() {
        ModelComparison.CostChange c = project(new CompareSpec.Volume(null, Map.of("a", 1000.0, "b", 9000.0)), CAND);
        assertThat(c.baselineMonthlyUsd()).isCloseTo(1000 * 0.010 + 9000 * 0.002, within(1e-9));
        assertThat(c.candidateMonthlyUsd()).isCloseTo(1000 * 0.004 + 9000 * 0.001, within(1e-9));
        assertThat(c.baselinePerRequestUsd()).isCloseTo((1000 * 0.010 + 9000 * 0.002) / 10_000, within(1e-15));
    }

    @Test
    void without_volume_there_is_no_projection_and_an_unpriced_trial_prices_nothing() {
        ModelComparison.CostChange c = project(CompareSpec.Volume.NONE, CAND);
        assertThat(c.baselineMonthlyUsd()).isNull();
        assertThat(c.ratio()).isNotNull();
        ModelComparison.CostChange u = project(CompareSpec.Volume.NONE,
                Map.of("a", new Case(0.004, 0.012, true), "b", CAND.get("b"), "c", CAND.get("c")));
        assertThat(u.unpriced()).isTrue();
        assertThat(u.ratio()).isNull();
        assertThat(u.baselineTotalUsd()).isNull();
    }
}
