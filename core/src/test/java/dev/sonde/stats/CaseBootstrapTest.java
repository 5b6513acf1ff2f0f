package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Bootstrap intervals on tiny fixed data against values computed independently: the expected
 * numbers come from {@code src/test/resources/dev/sonde/stats/bootstrap_reference.py}, a Python
 * re-implementation of the JDK's {@code SplittableRandom} (seed, golden gamma, mix32, bounded
 * {@code nextInt}) and of the documented percentile rule — none of Sonde's code. A wrong seed,
 * draw, statistic, percentile rank or clustering changes them.
 */
class CaseBootstrapTest {

    @Test
    void mean_over_cases_matches_the_reference_implementation() {
        double[] costs = {1.0, 2.0, 3.0, 10.0, 4.5};
        double[] ones = new double[costs.length];
        Arrays.fill(ones, 1);
        double[] ci = CaseBootstrap.ci(costs.length, d -> CaseBootstrap.weightedMean(costs, ones, d));
        assertThat(ci).containsExactly(new double[] {1.8, 7.2}, within(1e-12));
    }

    @Test
    void cluster_bootstrap_of_a_percentile_resamples_cases_with_all_their_trials() {
        double[][] clusters = {{100, 110, 120}, {200, 210}, {50}, {400, 420, 440}, {300}};
        assertThat(CaseBootstrap.ci(5, d -> CaseBootstrap.clusterQuantile(clusters, d, 0.5)))
                .containsExactly(100, 400);
        assertThat(CaseBootstrap.ci(5, d -> CaseBootstrap.clusterQuantile(clusters, d, 0.95)))
                .containsExactly(210, 440);
        assertThat(CaseBootstrap.clusterQuantile(clusters, CaseBootstrap.all(5), 0.95)).isEqualTo(440);
        assertThat(CaseBootstrap.clusterQuantile(clusters, new int[] {2, 2}, 0.5)).isEqualTo(50);
    }

    @Test
    void a_case_with_many_repeats_widens_the_interval_compared_with_treating_trials_as_independent() {
        // Two cases, one slow and one fast, each with 20 identical repeats: trials are not
        // independent, so the p50's interval must span both cases' values.
        double[][] clusters = {new double[20], new double[20]};
        Arrays.fill(clusters[0], 100);
        Arrays.fill(clusters[1], 900);
        double[] ci = CaseBootstrap.ci(2, d -> CaseBootstrap.clusterQuantile(clusters, d, 0.5));
        assertThat(ci).containsExactly(100, 900);
    }
}
