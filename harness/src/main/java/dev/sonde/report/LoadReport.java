package dev.sonde.report;

import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.Fmt;

import dev.sonde.journal.AtomicFile;
import dev.sonde.stats.LatencyStats;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.StepResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.thymeleaf.context.Context;

/**
 * The HTML report of a latency benchmark ({@code report.html} next to its {@code results.json}):
 * throughput and goodput against load, TTFT / response-time percentiles against load, and a table
 * of every step, with the saturation step marked. Self-contained like the run report (inline CSS
 * and SVG, no script, nothing fetched); all text escaped by Thymeleaf.
 */
public final class LoadReport {
    private LoadReport() {}

    /** One row of the steps table, formatted. */
    public record Row(int step, String load, String n, String rate, String tokens, String goodput, String errors,
            String ttft50, String ttft99, String itl50, String e2e99, String response99, String startDelay99,
            boolean saturated, String verdict) {}

    /** The benchmark's report, headed by its provenance ({@code info}: null when unknown). */
    public static Path write(String suite, LoadRunner.LoadResult result, RunInfo info, Path outDir)
            throws IOException {
        List<StepResult> steps = result.steps();
        boolean open = !steps.isEmpty() && steps.get(0).offeredRatePerS() != null;
        List<Double> x = steps.stream().map(s -> open ? s.offeredRatePerS() : (double) s.concurrency()).toList();
        String xLabel = open ? "offered rate (req/s)" : "concurrency (workers)";
        List<SvgChart> charts = List.of(
                lines("throughput", "Throughput against load", xLabel, "req/s", x,
                        List.of(series("achieved req/s", steps, StepResult::requestRatePerS),
                                series("goodput (met the SLO) req/s", steps, StepResult::goodputPerS))),
                lines("latency", "Latency against load", xLabel, "ms", x,
                        List.of(series("TTFT p50", steps, s -> orZero(s.ttftMs(), LatencyStats::p50)),
                                series("TTFT p99", steps, s -> orZero(s.ttftMs(), LatencyStats::p99)),
                                series("response p99 (from intended start)", steps, s -> orZero(s.responseMs(), LatencyStats::p99)))));
        List<Row> rows = new ArrayList<>();
        for (StepResult s : steps) {
            rows.add(new Row(s.step(), LoadRunner.load(s), Fmt.count(s.succeeded()),
                    fmt("%.2f", s.requestRatePerS()), fmt("%.0f", s.outputTokenRatePerS()), fmt("%.2f", s.goodputPerS()),
                    fmt("%.1f%% of %d", s.errorRate() * 100, s.finishedInWindow())
                            + (s.warmupErrors() + s.afterWindowErrors() == 0 ? ""
                                    : fmt(" (+%d warm-up, %d after)", s.warmupErrors(), s.afterWindowErrors())),
                    Fmt.ms(s.ttftMs().p50()), LoadRunner.p99(s, s.ttftMs().p99()), Fmt.ms(s.itlMs().p50()),
                    LoadRunner.p99(s, s.e2eMs().p99()), LoadRunner.p99(s, s.responseMs().p99()),
                    LoadRunner.p99(s, s.startDelayMs().p99()),
                    result.saturationStep() != null && result.saturationStep() == s.step(),
                    s.failed() == null ? "ok" : "FAILED: " + s.failed()));
        }
        Context ctx = new Context(Locale.ROOT);
        ctx.setVariable("suite", suite);
        ctx.setVariable("mode", open ? "open loop" : "closed loop");
        ctx.setVariable("saturation", kneeText(result));
        ctx.setVariable("origin", BenchmarkOrigin.of(info, outDir));
        ctx.setVariable("passed", result.passed());
        ctx.setVariable("charts", charts);
        ctx.setVariable("rows", rows);
        Path file = outDir.resolve("report.html");
        return AtomicFile.write(file, out -> HtmlReport.Engine.ENGINE.process("load", ctx, out));
    }

    /**
     * The knee sentence: the knee is the last step that still delivered what it was offered,
     * saturation the first that did not ({@link LoadRunner#saturation}); console and report say it alike.
     */
    public static String kneeText(LoadRunner.LoadResult result) {
        Integer sat = result.saturationStep();
        if (sat == null) {
            return "no saturation: every step delivered what it was offered";
        }
        StepResult at = result.steps().get(sat);
        Integer knee = result.kneeStep();
        String satText = "saturation at step " + sat + " (" + LoadRunner.load(at) + ")";
        return knee == null ? satText + ": the first step already fell short, no knee"
                : "knee at step " + knee + " (" + LoadRunner.load(result.steps().get(knee)) + "), " + satText;
    }

    private record Series(String label, List<Double> values) {}

    private static Series series(String label, List<StepResult> steps, Function<StepResult, Double> f) {
        return new Series(label, steps.stream().map(f).toList());
    }

    private static double orZero(LatencyStats s, Function<LatencyStats, Double> f) {
        Double v = f.apply(s);
        return v == null ? 0 : v;
    }

    /** A line chart: one polyline with dots per series over the steps' load values. */
    private static SvgChart lines(String id, String title, String xLabel, String unit, List<Double> x, List<Series> series) {
        if (x.isEmpty()) {
            return SvgChart.empty(id, title, "no steps ran");
        }
        double left = 56;
        double right = SvgChart.WIDTH - 16;
        double top = 14;
        double bottom = 200;
        double xMax = x.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double yMax = series.stream().flatMap(s -> s.values().stream()).mapToDouble(Double::doubleValue).max().orElse(1);
        SvgChart.Axis yAxis = SvgChart.Axis.of(Math.max(yMax, 1e-9), 5);
        SvgChart.Axis xAxis = SvgChart.Axis.of(Math.max(xMax, 1e-9), 6);
        SvgChart.Canvas c = new SvgChart.Canvas();
        for (int t = 0; t <= yAxis.ticks(); t++) {
            double y = bottom - (bottom - top) * yAxis.value(t) / yAxis.max();
            c.grid(left, y, right, y);
            c.text(left - 6, y + 4, "end", "axis", SvgChart.num(yAxis.value(t)).replace(".0", ""));
        }
        for (int t = 0; t <= xAxis.ticks(); t++) {
            double px = left + (right - left) * xAxis.value(t) / xAxis.max();
            c.text(px, bottom + 16, "middle", "axis", SvgChart.num(xAxis.value(t)).replace(".0", ""));
        }
        c.text((left + right) / 2, bottom + 32, "middle", "axis", xLabel);
        c.text(left - 44, top - 2, "start", "axis", unit);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String cls = SvgChart.seriesClass(i);
            StringBuilder d = new StringBuilder();
            for (int j = 0; j < x.size(); j++) {
                double px = left + (right - left) * x.get(j) / xAxis.max();
                double py = bottom - (bottom - top) * s.values().get(j) / yAxis.max();
                d.append(j == 0 ? "M" : " L").append(SvgChart.num(px)).append(' ').append(SvgChart.num(py));
                c.circle("dot " + cls, px, py, 3.5, s.label(), fmt("%s at %s: %.1f %s", s.label(), SvgChart.num(x.get(j)),
                        s.values().get(j), unit));
            }
            c.path("line " + cls, d.toString(), s.label(), s.label());
            c.legend(cls, s.label());
            c.drew();
        }
        return c.build(id, title, "", bottom + 40);
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
