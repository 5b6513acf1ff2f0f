package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.journal.Journal;
import dev.sonde.suite.Location;
import dev.sonde.suite.SuiteException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A benchmark's gates: the evaluation's latency names, goodput, and the evaluation's own gates refused. */
class BenchmarkGatesTest {
    private static final Location AT = new Location(Path.of("suites/latency.yaml"), 20, 3);

    private static BenchmarkGates parse(String json) throws Exception {
        return BenchmarkGates.parse((ObjectNode) Journal.JSON.readTree(json), AT);
    }

    @Test
    void no_gates_mean_ttft_and_e2e_p95_up_20_percent_and_goodput_down_10_percent() throws Exception {
        BenchmarkGates g = parse("{}");
        assertThat(g).isEqualTo(BenchmarkGates.DEFAULTS);
        assertThat(g.latency()).extracting(Gates.LatencyGate::key).containsExactly("ttft_p95", "e2e_p95");
        assertThat(g.latency()).allSatisfy(l -> assertThat(l.maxIncrease()).isEqualTo(0.20));
        assertThat(g.goodputMaxDrop()).isEqualTo(0.10);
        assertThat(g.alpha()).isEqualTo(0.05);
    }

    @Test
    void a_gate_is_set_or_turned_off_by_its_evaluation_name() throws Exception {
        BenchmarkGates g = parse("{\"alpha\": 0.01, \"e2e_p95\": false, \"ttfb_p99\": {\"max_increase\": 0.5},"
                + " \"goodput\": {\"max_drop\": 0.25}}");
        assertThat(g.alpha()).isEqualTo(0.01);
        assertThat(g.latency()).extracting(Gates.LatencyGate::key).containsExactly("ttft_p95", "ttfb_p99");
        assertThat(g.latency().get(1).metric()).isEqualTo("ttfb_ms");
        assertThat(g.goodputMaxDrop()).isEqualTo(0.25);
        assertThat(parse("{\"goodput\": false}").goodputMaxDrop()).isNull();
    }

    @Test
    void an_evaluations_gate_in_a_benchmark_is_a_suite_error_naming_the_field() {
        assertThatThrownBy(() -> parse("{\"pass_rate\": {\"max_drop\": 0.1}}")).isInstanceOf(SuiteException.class)
                .hasMessageContaining("suites/latency.yaml:20:3").hasMessageContaining("baseline.gates.pass_rate")
                .hasMessageContaining("gates an evaluation's cases, not a benchmark");
        assertThatThrownBy(() -> parse("{\"alpha\": 0.5}")).as("one step at alpha 0.5 would ask for a 0 % interval")
                .isInstanceOf(SuiteException.class).hasMessageContaining("baseline.gates.alpha")
                .hasMessageContaining("to 0.25");
        assertThatThrownBy(() -> parse("{\"goodput\": {\"max_drop\": 2}}")).isInstanceOf(SuiteException.class)
                .hasMessageContaining("baseline.gates.goodput.max_drop").hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> parse("{\"goodput\": {\"min\": 2}}")).isInstanceOf(SuiteException.class)
                .hasMessageContaining("baseline.gates.goodput.min");
    }

    @Test
    void goodput_in_an_evaluation_is_a_suite_error() {
        assertThatThrownBy(() -> Gates.parse((ObjectNode) Journal.JSON.readTree("{\"goodput\": true}"), AT))
                .isInstanceOf(SuiteException.class).hasMessageContaining("baseline.gates.goodput")
                .hasMessageContaining("goodput gates a benchmark (a suite with load:), not an evaluation");
    }
}
