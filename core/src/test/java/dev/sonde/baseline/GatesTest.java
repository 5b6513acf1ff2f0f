package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.journal.Journal;
import dev.sonde.suite.Location;
import dev.sonde.suite.SuiteException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GatesTest {
    private static final Location AT = new Location(Path.of("suites/regression.yaml"), 40, 3);

    private static Gates parse(String json) throws Exception {
        return Gates.parse((ObjectNode) Journal.JSON.readTree(json), AT);
    }

    @Test
    void no_gates_means_the_documented_defaults() throws Exception {
        Gates g = parse("{}");
        assertThat(g).isEqualTo(Gates.DEFAULTS);
        assertThat(g.alpha()).isEqualTo(0.05);
        assertThat(g.maxNewFailures()).isZero();
        assertThat(g.latency()).singleElement().satisfies(l -> {
            assertThat(l.key()).isEqualTo("ttft_p95");
            assertThat(l.maxIncrease()).isEqualTo(0.20);
        });
        assertThat(g.costPerTrialMaxIncrease()).isEqualTo(0.10);
        assertThat(g.cacheHitRatioMaxDrop()).isEqualTo(0.05);
    }

    @Test
    void one_gate_overrides_and_the_others_keep_their_defaults() throws Exception {
        Gates g = parse("{\"alpha\": 0.01, \"ttft_p95\": false, \"e2e_p99\": {\"max_increase\": 0.5},"
                + " \"cost_per_trial\": false, \"cache_hit_ratio\": {\"min\": 0.4}, \"new_failures\": {\"max\": 2}}");
        assertThat(g.alpha()).isEqualTo(0.01);
        assertThat(g.latency()).singleElement().satisfies(l -> {
            assertThat(l.metric()).isEqualTo("e2e_ms");
            assertThat(l.quantile()).isEqualTo(0.99);
            assertThat(l.maxIncrease()).isEqualTo(0.5);
        });
        assertThat(g.costPerTrialMaxIncrease()).isNull();
        assertThat(g.cacheHitRatioMin()).isEqualTo(0.4);
        assertThat(g.cacheHitRatioMaxDrop()).isNull();
        assertThat(g.maxNewFailures()).isEqualTo(2);
        assertThat(g.passRateMaxDrop()).isEqualTo(0.0);
    }

    @Test
    void mistakes_point_at_the_suite_and_name_the_field() {
        assertThatThrownBy(() -> parse("{\"ttft_p97\": true}")).isInstanceOf(SuiteException.class)
                .hasMessageStartingWith("suites/regression.yaml:40:3: baseline.gates.ttft_p97: unknown gate");
        assertThatThrownBy(() -> parse("{\"alpha\": 2}"))
                .hasMessageContaining("baseline.gates.alpha: expected a number from");
        assertThatThrownBy(() -> parse("{\"cost_per_trial\": {\"max\": 0.1}}"))
                .hasMessageContaining("baseline.gates.cost_per_trial.max: unknown setting; expected max_increase");
        assertThatThrownBy(() -> parse("{\"pass_rate\": 3}"))
                .hasMessageContaining("expected a mapping of settings, true (defaults) or false (off)");
    }
}
