package dev.sonde.analysis;

import dev.sonde.metrics.Cost;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Timings ttft(long ms) {
        return new Timings(ms * 500_000, ms * 1_000_000, ms * 1_000_000, ms * 2_000_000, new long[] {10_000_000, 30_000_000}, 3);
    }

    @Test
    void aggregates_per_model_percentiles_errors_tokens_and_unpriced_trials() throws Exception {
        RunSummary s = new RunSummary();
        Usage u = Usage.fromJson(JSON.readTree("{\"input_tokens\":100,\"output_tokens\":11,\"cache_read_input_tokens\":300}"));
        for (int i = 1; i <= 100; i++) {
            s.add("a", i % 10 != 0, null, ttft(i), u, Optional.of(new Cost(0.01, 0, 0, 0, 0)));
        }
        s.add("a", false, "overloaded", Timings.NONE, Usage.NONE, Optional.of(Cost.ZERO));
        s.add("b", true, null, ttft(5), u, Optional.empty());

        RunSummary.Snapshot snap = s.snapshot();
        RunSummary.Stats a = snap.models().get("a");
        assertThat(a.trials()).isEqualTo(101);
        assertThat(a.passed()).isEqualTo(90);
        assertThat(a.errored()).isEqualTo(1);
        assertThat(a.failed()).isEqualTo(10);
        assertThat(a.errorsByClass()).containsEntry("overloaded", 1L);
        assertThat(a.ttftMs().count()).isEqualTo(100); // the errored exchange's latency is not counted
        // HdrHistogram keeps 3 significant digits: values within 0.1 %
        assertThat(a.ttftMs().p50()).isCloseTo(50.0, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(a.ttftMs().p99()).isCloseTo(99.0, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(a.ttftMs().max()).isCloseTo(100.0, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(a.ttftMs().mean()).isCloseTo(50.5, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(a.ttftMs().ci95()).isBetween(5.0, 6.5); // 1.96 * 28.9 / 10
        assertThat(a.itlMs().count()).isEqualTo(200);
        assertThat(a.costUsd()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a.cacheHitRatio()).isCloseTo(300.0 / 400, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(snap.models().get("b").unpricedTrials()).isEqualTo(1);
        assertThat(snap.total().trials()).isEqualTo(102);
        assertThat(snap.total().unpricedTrials()).isEqualTo(1);
    }
}
