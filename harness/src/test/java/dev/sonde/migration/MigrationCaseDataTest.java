package dev.sonde.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import org.junit.jupiter.api.Test;

/** What one model's trials of one case add to a comparison: an errored trial fails the case and adds no cost. */
class MigrationCaseDataTest {

    private static TrialResult trial(boolean pass, TrialError error, Double cost, int outputTokens) {
        ObjectNode usage = new ObjectMapper().createObjectNode().put("output_tokens", outputTokens);
        return TrialResult.builder("c/m/0", "c", "m", "m-id", 0).pass(pass).error(error).usage(usage).costUsd(cost)
                .attempts(1).build();
    }

    @Test
    void an_errored_trial_fails_the_case_but_is_not_a_cheaper_answer() {
        Migration.CaseData d = new Migration.CaseData(1L);
        d.add(trial(true, null, 0.010, 100));
        d.add(trial(false, new TrialError("server_error", 500, "api_error", "boom"), 0.0, 0));
        assertThat(d.allPassed).isFalse();
        assertThat(d.errored).isEqualTo(1);
        assertThat(d.costCount).isEqualTo(1);
        assertThat(d.costSum / d.costCount).as("mean cost over answered trials").isEqualTo(0.010);
        assertThat(d.outputSum / d.tokenCount).isEqualTo(100);
    }

    @Test
    void a_case_keeps_at_most_a_reservoir_of_latency_samples_however_many_repeats_ran() {
        Migration.CaseData d = new Migration.CaseData(7L);
        for (int i = 0; i < 5_000; i++) {
            d.add(TrialResult.builder("c/m/" + i, "c", "m", "m-id", i).pass(true).attempts(1)
                    .timings(new dev.sonde.metrics.TimingsMillis(null, 100.0 + i % 1000, null, 200.0 + i % 1000,
                            null, 0, null, null))
                    .build());
        }
        assertThat(d.ttft.values()).hasSize(dev.sonde.stats.Reservoir.CAPACITY);
        assertThat(d.ttft.seen()).isEqualTo(5_000);
        assertThat(d.ttft.weight()).isEqualTo(5_000.0 / dev.sonde.stats.Reservoir.CAPACITY);
        assertThat(d.e2e.values()).hasSize(dev.sonde.stats.Reservoir.CAPACITY);
    }
}
