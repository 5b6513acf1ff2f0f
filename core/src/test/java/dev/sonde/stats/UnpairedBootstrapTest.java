package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The unpaired two-sample bootstrap of a quantile ratio, on fixed data. */
class UnpairedBootstrapTest {

    /** {@code n} log-normal values around {@code median} (σ = 0.2), from a fixed seed. */
    private static double[] lognormal(int n, double median, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double z = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
            v[i] = median * Math.exp(0.2 * z);
        }
        return v;
    }

    private static double[] times(double[] v, double f) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= f;
        }
        return out;
    }

    @Test
    void the_same_values_on_both_sides_give_a_ratio_of_1_inside_its_interval() {
        double[] v = lognormal(200, 100, 1);
        UnpairedBootstrap.Ratio r = UnpairedBootstrap.quantileRatio(v, new double[][] {v}, 0.95, 0.95);
        assertThat(r.ratio()).isEqualTo(1.0);
        assertThat(r.low()).isLessThan(1.0);
        assertThat(r.high()).isGreaterThan(1.0);
        assertThat(r.runCount()).isEqualTo(200);
        assertThat(r.baseCount()).isEqualTo(200);
    }

    @Test
    void every_value_50_percent_slower_puts_the_whole_interval_above_plus_20_percent() {
        double[] base = lognormal(200, 100, 2);
        UnpairedBootstrap.Ratio r = UnpairedBootstrap.quantileRatio(times(base, 1.5), new double[][] {base}, 0.95, 0.95);
        assertThat(r.ratio()).isCloseTo(1.5, within(1e-9));
        assertThat(r.low()).isGreaterThan(1.2);
        assertThat(r.run()).isCloseTo(r.base() * 1.5, within(1e-9));
    }

    @Test
    void two_independent_draws_of_one_distribution_keep_1_inside_the_interval() {
        UnpairedBootstrap.Ratio r = UnpairedBootstrap.quantileRatio(lognormal(150, 100, 3),
                new double[][] {lognormal(150, 100, 4)}, 0.95, 0.95);
        assertThat(r.low()).isLessThan(1.0);
        assertThat(r.high()).isGreaterThan(1.0);
        assertThat(r.low()).isGreaterThan(0.8);
    }

    @Test
    void the_interval_is_the_same_on_every_call() {
        double[] run = lognormal(80, 120, 5);
        double[][] base = {lognormal(90, 100, 6)};
        assertThat(UnpairedBootstrap.quantileRatio(run, base, 0.95, 0.9))
                .isEqualTo(UnpairedBootstrap.quantileRatio(run, base, 0.95, 0.9));
    }

    @Test
    void a_higher_level_widens_the_interval() {
        double[] run = lognormal(80, 120, 7);
        double[][] base = {lognormal(90, 100, 8)};
        UnpairedBootstrap.Ratio narrow = UnpairedBootstrap.quantileRatio(run, base, 0.95, 0.8);
        UnpairedBootstrap.Ratio wide = UnpairedBootstrap.quantileRatio(run, base, 0.95, 0.99);
        assertThat(wide.low()).isLessThanOrEqualTo(narrow.low());
        assertThat(wide.high()).isGreaterThanOrEqualTo(narrow.high());
    }

    @Test
    void baseline_runs_that_sat_apart_widen_the_interval_beyond_their_pooled_values_alone() {
        double[] slow = lognormal(100, 120, 9);
        double[] fast = lognormal(100, 85, 10);
        double[] pooled = new double[200];
        System.arraycopy(slow, 0, pooled, 0, 100);
        System.arraycopy(fast, 0, pooled, 100, 100);
        double[] run = lognormal(100, 100, 11);
        UnpairedBootstrap.Ratio asOne = UnpairedBootstrap.quantileRatio(run, new double[][] {pooled}, 0.95, 0.95);
        UnpairedBootstrap.Ratio asRuns = UnpairedBootstrap.quantileRatio(run, new double[][] {slow, fast}, 0.95, 0.95);
        assertThat(asRuns.ratio()).isEqualTo(asOne.ratio()); // the same values, the same observed quantiles
        assertThat(asRuns.baselineRuns()).isEqualTo(2);
        assertThat(asRuns.high() - asRuns.low()).isGreaterThan((asOne.high() - asOne.low()) * 1.2);
    }

    @Test
    void one_value_on_a_side_has_no_interval_and_bad_values_are_dropped() {
        UnpairedBootstrap.Ratio r = UnpairedBootstrap.quantileRatio(new double[] {5, Double.NaN, -1},
                new double[][] {{4, 4, 4}}, 0.5, 0.95);
        assertThat(r.hasInterval()).isFalse();
        assertThat(r.runCount()).isEqualTo(1);
        assertThat(r.ratio()).isEqualTo(1.25);
    }

    @Test
    void a_baseline_of_zeros_gives_no_ratio_and_no_interval() {
        UnpairedBootstrap.Ratio r = UnpairedBootstrap.quantileRatio(new double[] {1, 2, 3}, new double[][] {{0, 0, 0}},
                0.95, 0.95);
        assertThat(r.ratio()).isNaN();
        assertThat(r.hasInterval()).isFalse();
    }
}
