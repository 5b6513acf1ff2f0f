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
                0.02, null, gates, null, null, null, null);
    }

    private static Trend.Point shard(int i, int k, int n, Boolean mergedPartial) {
        return share(i, k, n, mergedPartial, null);
    }

    private static Trend.Point share(int i, int k, int n, Boolean mergedPartial, Boolean part) {
        Trend.Point p = point(i, null, 100.0, List.of());
        return new Trend.Point(p.runId(), p.startedAt(), p.gitCommit(), p.dirty(), p.verdict(), p.baselineVerdict(),
                p.stoppedBy(), p.trials(), p.passed(), p.failed(), p.errored(), p.passRate(), p.ttftP95Ms(), p.e2eP95Ms(),
                p.costPerTrialUsd(), p.cacheHitRatio(), p.costUsd(), p.runDir(), p.gates(), k == 0 ? null : k,
                n == 0 ? null : n, mergedPartial, part);
    }

    private static HistoryRow.Gate gate(String name, String subject, String outcome, Double value, Double limit) {
        return new HistoryRow.Gate(name, subject, outcome, value, limit, "", "", "");
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
    void gates_are_never_drawn_as_levels_and_a_failed_gate_marks_its_run_on_its_chart() {
        List<Trend.Point> points = List.of(point(0, null, 100.0, List.of()),
                point(1, null, 110.0, List.of(gate("pass_rate", "run", "fail", 0.9, 0.8),
                        gate("cache_hit_ratio", "run", "pass", 0.25, 0.2), gate("ttft_p95", "sonnet", "fail", 0.3, 0.2),
                        gate("cost_per_trial", "run", "pass", 0.0, 0.1))),
                point(2, null, 120.0, List.of()));

        List<SvgChart> run = TrendPage.charts(points, null);

        for (SvgChart c : run) {
            assertThat(texts(c, "slo")).as(c.id()).isEmpty();
            assertThat(shapes(c, "line", "slo")).as(c.id()).isZero();
        }
        assertThat(texts(chart(run, "pass-rate"), "small")).containsExactly("pass_rate gate fail");
        assertThat(texts(chart(run, "ttft-p95"), "small")).as("run-wide trend, any model's gate")
                .containsExactly("ttft_p95 gate fail");
        assertThat(texts(chart(run, "cost-per-trial"), "small")).as("passed").isEmpty();
        List<SvgChart> haiku = TrendPage.charts(points, "haiku");
        assertThat(texts(chart(haiku, "ttft-p95"), "small")).as("another model's gate").isEmpty();
        assertThat(texts(chart(haiku, "pass-rate"), "small")).as("a run-wide gate on one model's figures").isEmpty();
        assertThat(texts(chart(TrendPage.charts(points, "sonnet"), "ttft-p95"), "small"))
                .containsExactly("ttft_p95 gate fail");
    }

    @Test
    void shards_and_merges_missing_shards_are_marked_like_stopped_runs() {
        List<Trend.Point> points = List.of(point(0, null, 100.0, List.of()), shard(1, 2, 4, null),
                shard(2, 0, 0, true));

        for (SvgChart c : TrendPage.charts(points, null)) {
            assertThat(texts(c, "small")).as(c.id()).containsExactly("shard 2/4", "partial merge");
        }
        assertThat(points.get(1).apart()).isEqualTo("shard 2/4");
        assertThat(points.get(2).apart()).isEqualTo("merge missing shards");
        assertThat(points.get(0).apart()).isEmpty();
    }

    @Test
    void a_run_of_a_selected_part_is_marked_part_like_a_shard() {
        List<Trend.Point> points = List.of(point(0, null, 100.0, List.of()), share(1, 0, 0, null, true));

        for (SvgChart c : TrendPage.charts(points, null)) {
            assertThat(texts(c, "small")).as(c.id()).containsExactly("part");
        }
        assertThat(points.get(1).apart()).isEqualTo("part");
        assertThat(points.get(0).apart()).isEmpty();
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
