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
                new TokensByKind(100, 20, 10, 70, 30), cost, new CostByKind(cost / 2, cost / 4, 0, 0, cost / 4, 0));
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

    @Test
    void closed_cases_read_back_exactly_what_open_ones_would_show_in_the_same_order() throws Exception {
        Aggregates open = new Aggregates();
        // every case has 2 models x 3 repeats, except c7 (one model) and c9, still in flight at the end
        Aggregates closing = Aggregates.closing(id -> id.equals("c7") ? 3 : 6);
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 12; c++) {
                for (String model : new String[] {"sonnet", "haiku"}) {
                    if (c == 7 && model.equals("haiku") || c == 9 && r == 2) {
                        continue;
                    }
                    TrialMeasures m = random.nextInt(5) == 0
                            ? new TrialMeasures(false, true, null, null, null, null, null, TokensByKind.ZERO, null, null)
                            : ok(random.nextDouble(1, 900), random.nextDouble() / 100);
                    open.add("c" + c, model, m);
                    closing.add("c" + c, model, m);
                }
            }
        }
        assertThat(closing.closedCases()).isEqualTo(11);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.writeValueAsString(closing.snapshot())).isEqualTo(json.writeValueAsString(open.snapshot()));
        assertThat(closing.snapshot().cases().keySet()).containsExactlyElementsOf(open.snapshot().cases().keySet());
        assertThat(closing.snapshot().cases().get("c10")).isEqualTo(open.snapshot().cases().get("c10"));
        assertThat(closing.snapshot().cases().get("c9")).as("open").isEqualTo(open.snapshot().cases().get("c9"));
        assertThat(closing.snapshot().cases().containsKey("c3")).isTrue();
        assertThat(closing.snapshot().cases().get("nope")).isNull();

        closing.add("c3", "sonnet", ok(1, 0.001)); // one trial more than the plan gave c3: a broken journal
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.writeValueAsString(closing.snapshot()))
                .hasRootCauseInstanceOf(IllegalStateException.class).hasStackTraceContaining("c3");
    }

    @Test
    void closed_figures_keep_every_double_bit_for_bit_and_every_null() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            Aggregate a = new Aggregate();
            int n = random.nextInt(0, 40);
            for (int k = 0; k < n; k++) {
                a.add(ok(random.nextDouble(0.001, 1e6), random.nextDouble() * 1e-3));
            }
            Aggregate.Stats s = a.stats();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            ClosedCases.write(new java.io.DataOutputStream(bytes), s);
            assertThat(ClosedCases.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))))
                    .isEqualTo(s);
        }
    }
}
