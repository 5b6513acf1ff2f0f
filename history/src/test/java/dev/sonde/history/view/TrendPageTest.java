package dev.sonde.history.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.history.HistoryRow;
import dev.sonde.history.Trend;
import dev.sonde.report.SvgChart;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trend charts' gate levels, stop marks and ticks, from points as the store reads them. */
class TrendPageTest {
    private static Trend.Point point(int i, String stoppedBy, double ttftP95, List<HistoryRow.Gate> gates) {
        return new Trend.Point("r" + i, Instant.parse("2026-12-06T00:00:00Z").plusSeconds(i), "abcdef" + i + "0000",
                i == 2, "pass", gates.isEmpty() ? null : "pass", stoppedBy, 10, 9, 1, 0, 0.9, ttftP95, 900.0, 0.002, 0.25,
                0.02, null, gates);
    }

    private static HistoryRow.Gate gate(String name, String subject, Double value, Double limit) {
        return new HistoryRow.Gate(name, subject, "pass", value, limit, "", "", "");
    }

    private static SvgChart chart(List<SvgChart> charts, String id) {
        return charts.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> texts(SvgChart c, String cls) {
        return c.labels().stream().filter(l -> l.cls().equals(cls)).map(SvgChart.Label::text).toList();
    }

    private static long shapes(SvgChart c, String tag, String cls) {
        return c.shapes().stream().filter(s -> s.tag().equals(tag) && s.cls().startsWith(cls)).count();
    }

    @Test
    void the_newest_compared_runs_gates_are_drawn_in_each_charts_unit() {
        List<Trend.Point> points = List.of(point(0, null, 100.0, List.of()),
                point(1, null, 110.0, List.of(gate("pass_rate", "run", 0.9, 0.8), gate("cache_hit_ratio", "run", 0.25, 0.2),
                        gate("ttft_p95", "sonnet", 0.1, 0.2), gate("cost_per_trial", "run", 0.0, 0.1))),
                point(2, null, 120.0, List.of()));

        List<SvgChart> run = TrendPage.charts(points, null);

        assertThat(texts(chart(run, "pass-rate"), "slo")).containsExactly("pass_rate gate 80.0%");
        assertThat(texts(chart(run, "cache-hit-ratio"), "slo")).containsExactly("cache_hit_ratio gate 20.0%");
        // 110 ms observed at +10 % over the baseline (100 ms), limit +20 %: 120 ms
        assertThat(texts(chart(run, "ttft-p95"), "slo")).containsExactly("ttft_p95 gate 120 ms");
        assertThat(texts(chart(run, "cost-per-trial"), "slo")).containsExactly("cost_per_trial gate $0.0022");
        assertThat(texts(chart(run, "e2e-p95"), "slo")).isEmpty();
        assertThat(shapes(chart(run, "pass-rate"), "line", "slo")).isEqualTo(1);

        List<SvgChart> model = TrendPage.charts(points, "sonnet");
        assertThat(texts(chart(model, "ttft-p95"), "slo")).containsExactly("ttft_p95 gate 120 ms");
        assertThat(texts(chart(model, "pass-rate"), "slo")).as("a run-wide gate on one model's figures").isEmpty();
        assertThat(texts(chart(TrendPage.charts(points, "haiku"), "ttft-p95"), "slo")).isEmpty();
    }

    @Test
    void a_latency_gate_of_several_models_is_not_drawn_on_the_whole_runs_trend() {
        List<Trend.Point> points = List.of(point(0, null, 110.0, List.of(gate("ttft_p95", "sonnet", 0.1, 0.2),
                gate("ttft_p95", "haiku", 0.3, 0.2))));
        assertThat(texts(chart(TrendPage.charts(points, null), "ttft-p95"), "slo")).isEmpty();
    }

    @Test
    void one_dot_per_run_ticks_by_short_commit_and_stopped_runs_marked() {
        List<Trend.Point> points = List.of(point(0, null, 100.0, List.of()), point(1, "budget", 100.0, List.of()),
                point(2, null, 100.0, List.of()));

        for (SvgChart c : TrendPage.charts(points, null)) {
            assertThat(shapes(c, "circle", "dot")).as(c.id()).isEqualTo(3);
            assertThat(texts(c, "axis")).as(c.id()).contains("abcdef0", "abcdef1", "abcdef2+");
            assertThat(shapes(c, "line", "step-mark")).as(c.id()).isEqualTo(1);
            assertThat(texts(c, "small")).as(c.id()).containsExactly("stopped");
        }
    }

    @Test
    void costs_read_short_on_the_axis() {
        assertThat(TrendPage.usd(0.000125)).isEqualTo("$0.000125");
        assertThat(TrendPage.usd(0.0012)).isEqualTo("$0.0012");
        assertThat(TrendPage.usd(1.23456)).isEqualTo("$1.23");
        assertThat(TrendPage.usd(0)).isEqualTo("$0");
    }
}
