package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BarChartTest {

    @Test
    void axis_steps_are_round_and_cover_the_largest_value() {
        BarChart c = BarChart.of("TTFT", List.of(new BarChart.Input("a", 210.0, 320.0)));
        assertThat(c.ticks()).extracting(BarChart.Tick::label)
                .containsExactly("0 ms", "100 ms", "200 ms", "300 ms", "400 ms");
        assertThat(BarChart.niceCeiling(0.6)).isEqualTo(1);
        assertThat(BarChart.niceCeiling(2400 / 4.0)).isEqualTo(1000);
        assertThat(BarChart.niceCeiling(220)).isEqualTo(250);
    }

    @Test
    void bars_scale_to_the_axis_and_a_model_without_samples_says_so() {
        BarChart c = BarChart.of("E2E", List.of(new BarChart.Input("fast", 100.0, 200.0),
                new BarChart.Input("a-very-long-model-label-indeed", null, null)));
        List<BarChart.Bar> bars = c.rows().get(0).bars();
        assertThat(Double.parseDouble(bars.get(1).w())).isEqualTo(2 * Double.parseDouble(bars.get(0).w()));
        assertThat(bars.get(1).value()).isEqualTo("200 ms");
        BarChart.Row empty = c.rows().get(1);
        assertThat(empty.noData()).isTrue();
        assertThat(empty.bars()).isEmpty();
        assertThat(empty.label()).hasSize(BarChart.MAX_LABEL).endsWith("…");
        assertThat(empty.fullLabel()).isEqualTo("a-very-long-model-label-indeed");
    }

    @Test
    void chart_of_no_samples_has_a_single_zero_tick() {
        BarChart c = BarChart.of("E2E", List.of(new BarChart.Input("m", null, null)));
        assertThat(c.ticks()).extracting(BarChart.Tick::label).containsExactly("0 ms");
    }
}
