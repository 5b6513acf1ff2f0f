package dev.sonde.analysis;

import dev.sonde.metrics.CostByKind;
import dev.sonde.stats.Samples;
import dev.sonde.metrics.TokensByKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class AggregatesTest {
    private static TrialMeasures ok(double ttftMs, double cost) {
        return new TrialMeasures(true, false, ttftMs, ttftMs / 2, ttftMs + 500, new double[] {10, 20}, 80.0,
                new TokensByKind(100, 20, 10, 70, 30), cost, new CostByKind(cost / 2, cost / 4, 0, 0, cost / 4));
    }

    @Test
    void aggregates_per_run_model_and_case_with_tokens_and_cost_by_kind() {
        Aggregates a = new Aggregates();
        for (int i = 1; i <= 100; i++) {
            a.add("c" + (i % 2), "sonnet", ok(i, 0.001));
        }
        a.add("c0", "haiku", new TrialMeasures(false, true, null, null, null, null, null, TokensByKind.ZERO, null, null));
        Aggregates.Snapshot s = a.snapshot();
        Aggregate.Stats sonnet = s.models().get("sonnet");
        assertThat(sonnet.trials()).isEqualTo(100);
        assertThat(sonnet.ttftMs().p50()).isCloseTo(50, offset(0.05));
        assertThat(sonnet.ttftMs().mean()).isEqualTo(50.5);
        assertThat(sonnet.ttftMs().ci95()).isCloseTo(1.984 * 29.01 / 10, offset(0.01)); // Student's t, 99 df
        assertThat(sonnet.itlMs().count()).isEqualTo(200);
        assertThat(sonnet.outputTps().p50()).isCloseTo(80, offset(0.1));
        assertThat(sonnet.tokens().cacheWrite5m()).isEqualTo(2000);
        assertThat(sonnet.cacheHitRatio()).isCloseTo(70.0 / 200, offset(1e-12));
        assertThat(sonnet.costByKind().inputUsd()).isCloseTo(0.05, offset(1e-12));
        assertThat(sonnet.costPerTrialUsd().mean()).isCloseTo(0.001, offset(1e-12));
        assertThat(s.run().errored()).isEqualTo(1);
        assertThat(s.run().unpricedTrials()).isEqualTo(1);
        assertThat(s.run().ttftMs().count()).isEqualTo(100); // errored exchanges have no service latency
        assertThat(s.cases().get("c0").keySet()).containsExactly("haiku", "sonnet");
        assertThat(s.cases().get("c1").get("sonnet").trials()).isEqualTo(50);
    }

    @Test
    void samples_survive_encoding_and_memory_stays_small() {
        Samples s = new Samples(Samples.MILLIS);
        for (int i = 0; i < 100_000; i++) {
            s.record(100 + (i % 1000));
        }
        Samples back = Samples.decode(Samples.MILLIS, s.encode(), s.count(), s.sum(), s.sumSquares());
        assertThat(back.percentile(95)).isEqualTo(s.percentile(95));
        assertThat(back.mean()).isEqualTo(s.mean());
        assertThat(s.encode().length()).isLessThan(4000); // fixed size whatever the count
        assertThat(s.distinct().total()).isEqualTo(100_000);
    }
}
