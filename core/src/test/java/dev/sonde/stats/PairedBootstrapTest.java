package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The paired bootstrap on tiny fixed data against values computed independently (the expected
 * numbers come from {@code src/test/resources/dev/sonde/stats/bootstrap_reference.py}, none of
 * Sonde's code), and the properties the gates rely on.
 */
class PairedBootstrapTest {
    /** Per case: the run's values. */
    private static final double[][] RUN = {{110, 130}, {205}, {62, 58, 66}, {450}, {330, 300}};
    /** Per case and baseline run: the baseline's values. */
    private static final double[][][] BASE = {{{100, 120}}, {{200}}, {{50, 55, 60}}, {{400}}, {{310, 290}}};
    private static final double[][][] BASE_3_RUNS = {{{100, 120}, {130, 150}, {90}}, {{200}, {260}, {190}},
        {{50, 55, 60}, {70}, {45, 50}}, {{400}, {520}, {380}}, {{310, 290}, {400}, {280}}};

    private static PairedBootstrap.Trials run(double[][] run) {
        PairedBootstrap.Trials.Builder b = PairedBootstrap.Trials.builder();
        for (int i = 0; i < run.length; i++) {
            for (double v : run[i]) {
                b.add(i, 0, v, 1);
            }
        }
        return b.build();
    }

    private static PairedBootstrap.Trials base(double[][][] base) {
        PairedBootstrap.Trials.Builder b = PairedBootstrap.Trials.builder();
        for (int i = 0; i < base.length; i++) {
            for (int j = 0; j < base[i].length; j++) {
                for (double v : base[i][j]) {
                    b.add(i, j, v, 1);
                }
            }
        }
        return b.build();
    }

    private static PairedBootstrap.Ratio mean(double[][] run, double[][][] base, double level) {
        double[] means = new double[run.length];
        double[][] sums = new double[base.length][];
        long[][] counts = new long[base.length][];
        for (int i = 0; i < run.length; i++) {
            double sum = 0;
            for (double v : run[i]) {
                sum += v;
            }
            means[i] = sum / run[i].length; // as the baseline's: a sum over its count
            sums[i] = new double[base[i].length];
            counts[i] = new long[base[i].length];
            for (int j = 0; j < base[i].length; j++) {
                for (double v : base[i][j]) {
                    sums[i][j] += v;
                    counts[i][j]++;
                }
            }
        }
        return PairedBootstrap.meanRatio(means, sums, counts, level);
    }

    @Test
    void quantile_ratio_matches_the_reference_implementation() {
        PairedBootstrap.Ratio p95 = PairedBootstrap.quantileRatio(run(RUN), base(BASE), 5, 1, 0.95, 0.95);
        assertThat(p95.ratio()).isEqualTo(450.0 / 400);
        assertThat(new double[] {p95.low(), p95.high()}).containsExactly(new double[] {1.025, 1.125}, within(1e-12));
        PairedBootstrap.Ratio p50 = PairedBootstrap.quantileRatio(run(RUN), base(BASE), 5, 1, 0.5, 0.90);
        assertThat(new double[] {p50.low(), p50.high()})
                .containsExactly(new double[] {1.025, 1.1272727272727272}, within(1e-12));
    }

    @Test
    void mean_ratio_matches_the_reference_implementation() {
        PairedBootstrap.Ratio r = mean(RUN, BASE, 0.95);
        assertThat(new double[] {r.low(), r.high()})
                .containsExactly(new double[] {1.0418300653594772, 1.1215686274509804}, within(1e-12));
    }

    @Test
    void a_run_stands_in_for_a_baseline_run_by_its_deviation_from_the_centre() {
        double[][] dev = PairedBootstrap.deviations(base(BASE_3_RUNS), 5, 3);
        // case 1: 200, 260 and 190 ms, centre their geometric mean
        double centre = Math.cbrt(200.0 * 260 * 190);
        assertThat(dev[1]).containsExactly(new double[] {200 / centre, 260 / centre, 190 / centre}, within(1e-12));
        // a slow run moves every case: run 1 sits above the centre on each
        for (double[] d : dev) {
            assertThat(d[1]).isGreaterThan(1);
        }
        double[] scratch = new double[9];
        int[] once = {1, 1, 1, 1, 1};
        assertThat(PairedBootstrap.scaledQuantile(run(RUN), once, dev, 1, 0.95, scratch)).isEqualTo(450 * dev[3][1]);
    }

    @Test
    void a_baseline_of_several_runs_has_its_runs_resampled_too() {
        PairedBootstrap.Ratio p95 = PairedBootstrap.quantileRatio(run(RUN), base(BASE_3_RUNS), 5, 3, 0.95, 0.95);
        assertThat(p95.baselineRuns()).isEqualTo(3);
        assertThat(new double[] {p95.low(), p95.high()})
                .containsExactly(new double[] {0.7159994527668426, 1.4348834185529102}, within(1e-12));
        PairedBootstrap.Ratio mean = mean(RUN, BASE_3_RUNS, 0.95);
        assertThat(new double[] {mean.low(), mean.high()})
                .containsExactly(new double[] {0.8369565217391305, 1.1685164212910533}, within(1e-12));
        // the same trials taken as one run: the spread between runs no longer widens the interval
        double[][][] pooled = new double[BASE_3_RUNS.length][1][];
        for (int i = 0; i < pooled.length; i++) {
            pooled[i][0] = Arrays.stream(BASE_3_RUNS[i]).flatMapToDouble(Arrays::stream).toArray();
        }
        PairedBootstrap.Ratio one = PairedBootstrap.quantileRatio(run(RUN), base(pooled), 5, 1, 0.95, 0.95);
        assertThat(one.ratio()).isEqualTo(p95.ratio());
        assertThat(one.high() - one.low()).isLessThan(p95.high() - p95.low());
    }

    @Test
    void the_same_values_on_both_sides_give_exactly_one_in_every_replicate() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] values = new double[40][];
        double[][][] same = new double[40][1][];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.doubles(1 + rng.nextInt(4), 1e-6, 3e-3).toArray();
            same[i][0] = values[i].clone();
        }
        PairedBootstrap.Ratio cost = mean(values, same, 0.9);
        assertThat(cost.ratio()).isEqualTo(1.0);
        assertThat(cost.low()).isEqualTo(1.0);
        assertThat(cost.high()).isEqualTo(1.0);
        PairedBootstrap.Ratio p95 = PairedBootstrap.quantileRatio(run(values), base(same), 40, 1, 0.95, 0.95);
        assertThat(new double[] {p95.ratio(), p95.low(), p95.high()}).containsExactly(1.0, 1.0, 1.0);
    }

    @Test
    void pairing_sees_a_small_change_that_case_to_case_spread_would_hide() {
        // cases from 100 ms to 10 s, every one 8 % slower: the interval stays near 1.08
        double[][] run = new double[30][];
        double[][][] base = new double[30][1][];
        for (int i = 0; i < 30; i++) {
            double ms = 100 * Math.pow(100, i / 29.0);
            base[i][0] = new double[] {ms};
            run[i] = new double[] {ms * 1.08};
        }
        PairedBootstrap.Ratio mean = mean(run, base, 0.95);
        assertThat(mean.low()).isCloseTo(1.08, within(1e-9));
        assertThat(mean.high()).isCloseTo(1.08, within(1e-9));
    }

    @Test
    void a_narrower_level_lies_inside_a_wider_one_and_calls_repeat_exactly() {
        PairedBootstrap.Ratio wide = PairedBootstrap.quantileRatio(run(RUN), base(BASE), 5, 1, 0.5, 0.99);
        PairedBootstrap.Ratio narrow = PairedBootstrap.quantileRatio(run(RUN), base(BASE), 5, 1, 0.5, 0.8);
        assertThat(narrow.low()).isGreaterThanOrEqualTo(wide.low());
        assertThat(narrow.high()).isLessThanOrEqualTo(wide.high());
        assertThat(PairedBootstrap.quantileRatio(run(RUN), base(BASE), 5, 1, 0.5, 0.99)).isEqualTo(wide);
    }

    @Test
    void fewer_than_two_cases_have_no_interval() {
        PairedBootstrap.Ratio one = PairedBootstrap.quantileRatio(run(new double[][] {{10, 12}}),
                base(new double[][][] {{{8, 9}}}), 1, 1, 0.95, 0.95);
        assertThat(one.ratio()).isEqualTo(12.0 / 9);
        assertThat(one.hasInterval()).isFalse();
    }

    @Test
    void weighted_trials_take_the_weighted_nearest_rank() {
        // one case kept 2 of its 4 values (each standing for 2), another all 2 of its own
        PairedBootstrap.Trials t = PairedBootstrap.Trials.builder().add(0, 0, 10, 2).add(0, 0, 40, 2)
                .add(1, 0, 20, 1).add(1, 0, 30, 1).build();
        double[][] clusters = {{10, 40}, {20, 30}};
        double[] weights = {2, 1};
        for (double q : new double[] {0.1, 0.34, 0.5, 0.67, 0.95}) {
            assertThat(t.quantile(q)).as("q %s", q)
                    .isEqualTo(CaseBootstrap.clusterQuantile(clusters, weights, CaseBootstrap.all(2), q));
        }
        PairedBootstrap.Trials unit = run(RUN);
        double[] all = {110, 130, 205, 62, 58, 66, 450, 330, 300};
        Arrays.sort(all);
        for (double q : new double[] {0, 0.2, 0.5, 0.9, 0.95, 1}) {
            assertThat(unit.quantile(q)).isEqualTo(Percentiles.nearestRank(all, q));
        }
    }
}
