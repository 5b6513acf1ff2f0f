package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.stats.Samples;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A benchmark's per-step gates on fixed steps: a latency gate fails exactly when the whole interval
 * of its percentile ratio lies above its limit, the goodput gate exactly when the whole interval of
 * its rate ratio lies below its floor.
 */
class BenchmarkJudgeTest {
    private static final Gates.LatencyGate TTFT_P95 = new Gates.LatencyGate("ttft_p95", "ttft_ms", 0.95, 0.20);

    private static double[] values(int n, double median, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = median * Math.exp(0.15 * (rng.nextDouble() + rng.nextDouble() + rng.nextDouble() - 1.5) * 2);
        }
        Arrays.sort(v);
        return v;
    }

    private static BenchmarkBaseline.StepEntry step(int run, double[] ttft, long good, double windowS) {
        double[] sorted = ttft.clone();
        Arrays.sort(sorted);
        Samples s = Samples.of(Samples.MILLIS, sorted);
        return new BenchmarkBaseline.StepEntry(run, 2, 4, null, windowS, good, good,
                Map.of("ttft_ms", BaselineFile.SampleEntry.of(sorted, s, false)));
    }

    private static double[] times(double[] v, double f) {
        return Arrays.stream(v).map(x -> x * f).toArray();
    }

    @Test
    void first_tokens_50_percent_slower_fail_with_the_whole_interval_above_the_limit() {
        double[] base = values(150, 400, 1);
        GateResult g = BenchmarkJudge.latency(TTFT_P95, step(0, times(base, 1.5), 100, 10), List.of(step(0, base, 100, 10)),
                0.95, 1);
        assertThat(g.outcome()).isEqualTo(GateResult.Decision.FAIL);
        assertThat(g.subject()).isEqualTo("step 2 · 4 workers");
        assertThat(g.value()).isCloseTo(0.5, org.assertj.core.api.Assertions.within(0.01));
        assertThat(g.ciLow()).isGreaterThan(0.2);
        assertThat(g.line()).startsWith("FAIL ttft_p95 [step 2 · 4 workers]: ")
                .contains("unpaired bootstrap over requests (n = 150 vs 150)")
                .contains("the whole interval lies above +20%");
    }

    @Test
    void over_the_limit_with_an_interval_reaching_below_it_passes_and_says_so() {
        double[] base = values(12, 400, 2);
        GateResult g = BenchmarkJudge.latency(TTFT_P95, step(0, times(values(12, 400, 3), 1.3), 10, 10),
                List.of(step(0, base, 10, 10)), 0.95, 1);
        assertThat(g.value()).isGreaterThan(0.2);
        assertThat(g.ciLow()).isLessThanOrEqualTo(0.2);
        assertThat(g.outcome()).isEqualTo(GateResult.Decision.PASS);
        assertThat(g.reason()).startsWith("above the limit, but the interval reaches down to ");
    }

    @Test
    void an_unchanged_step_passes() {
        GateResult g = BenchmarkJudge.latency(TTFT_P95, step(0, values(120, 400, 4), 100, 10),
                List.of(step(0, values(120, 400, 5), 100, 10)), 0.95, 1);
        assertThat(g.outcome()).isEqualTo(GateResult.Decision.PASS);
        assertThat(g.ciLow()).isLessThan(0.0);
        assertThat(g.ciHigh()).isGreaterThan(0.0);
    }

    @Test
    void a_step_without_samples_on_either_side_is_skipped_with_the_reason() {
        GateResult noRun = BenchmarkJudge.latency(TTFT_P95, step(0, new double[0], 0, 10),
                List.of(step(0, values(20, 400, 6), 20, 10)), 0.95, 1);
        assertThat(noRun.outcome()).isEqualTo(GateResult.Decision.SKIP);
        assertThat(noRun.reason()).isEqualTo("no measured success with ttft_ms in this run's step");
        GateResult one = BenchmarkJudge.latency(TTFT_P95, step(0, new double[] {500}, 1, 10),
                List.of(step(0, values(20, 400, 7), 20, 10)), 0.95, 1);
        assertThat(one.outcome()).isEqualTo(GateResult.Decision.SKIP);
        assertThat(one.reason()).isEqualTo("too few samples to judge (n = 1 vs 20)");
    }

    @Test
    void half_the_goodput_fails_with_the_whole_interval_below_the_floor() {
        double[] v = values(10, 400, 8);
        GateResult g = BenchmarkJudge.goodput(0.10, step(0, v, 500, 10), List.of(step(0, v, 1000, 10)), 0.95, 1);
        assertThat(g.outcome()).isEqualTo(GateResult.Decision.FAIL);
        assertThat(g.observed()).isEqualTo("50.00/s vs 100.00/s (-50.0%)");
        assertThat(g.ciHigh()).isLessThan(-0.1);
        assertThat(g.line()).contains("(500 in 10.0 s vs 1000 in 10.0 s)").contains("the whole interval lies below −10%");
    }

    @Test
    void a_drop_past_the_floor_whose_interval_reaches_above_it_passes_and_says_so() {
        double[] v = values(10, 400, 9);
        GateResult g = BenchmarkJudge.goodput(0.10, step(0, v, 85, 10), List.of(step(0, v, 100, 10)), 0.95, 1);
        assertThat(g.value()).isCloseTo(-0.15, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(g.outcome()).isEqualTo(GateResult.Decision.PASS);
        assertThat(g.reason()).startsWith("below the limit, but the interval reaches up to ");
    }

    @Test
    void several_baseline_runs_pool_their_counts_and_windows() {
        double[] v = values(10, 400, 10);
        GateResult g = BenchmarkJudge.goodput(0.10, step(0, v, 100, 10),
                List.of(step(0, v, 90, 10), step(1, v, 110, 10)), 0.95, 1);
        assertThat(g.observed()).isEqualTo("10.00/s vs 10.00/s (+0.0%)");
        assertThat(g.evidence()).contains("100 in 10.0 s vs 200 in 20.0 s, the baseline's 2 runs pooled");
    }

    @Test
    void a_baseline_step_that_met_the_slo_with_nothing_is_skipped() {
        double[] v = values(10, 400, 11);
        GateResult g = BenchmarkJudge.goodput(0.10, step(0, v, 5, 10), List.of(step(0, v, 0, 10)), 0.95, 1);
        assertThat(g.outcome()).isEqualTo(GateResult.Decision.SKIP);
    }

    @Test
    void a_sweep_of_several_steps_widens_each_interval_by_bonferroni() {
        double[] v = values(10, 400, 12);
        GateResult alone = BenchmarkJudge.goodput(0.10, step(0, v, 80, 10), List.of(step(0, v, 100, 10)), 0.9, 1);
        GateResult ofFive = BenchmarkJudge.goodput(0.10, step(0, v, 80, 10), List.of(step(0, v, 100, 10)), 0.98, 5);
        assertThat(ofFive.ciLow()).isLessThan(alone.ciLow());
        assertThat(ofFive.ciHigh()).isGreaterThan(alone.ciHigh());
        assertThat(ofFive.threshold()).isEqualTo("−10%, whole 98% CI (α/5 steps) below it");
    }
}
