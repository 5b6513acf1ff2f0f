package dev.sonde.history.view;

import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryRow;
import dev.sonde.history.Trend;
import dev.sonde.metrics.Fmt;
import dev.sonde.report.LinePlot;
import dev.sonde.report.SvgChart;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * {@code /suite?name=}: one suite's trend across its stored runs, oldest left, as the report's line
 * charts with one dot per run (x = the run in order, ticked with its short commit, {@code +} when
 * dirty): pass rate, TTFT p95, E2E p95, cost per trial and cache hit ratio, from the figures each run
 * reported. {@code ?model=} shows one model label's figures; {@code ?last=} the newest runs only. A
 * run stopped early is marked with a dotted vertical line. A baseline gate is drawn as a dashed
 * line where its limit is in the chart's own unit: the newest compared run's pass-rate and cache
 * floors as they are, its latency and cost limits as that run's figure ÷ (1 + the observed change)
 * × (1 + the allowed increase), which is the baseline's figure × (1 + max increase).
 */
final class TrendPage {
    static final Set<String> PARAMS = Set.of("name", "model", "last");

    /** One run of the table under the charts; {@code previous} the run before it, empty for the first. */
    record Row(String runId, String started, String commit, String verdict, String baselineVerdict, String stoppedBy,
            long trials, String passRate, String ttftP95, String e2eP95, String costPerTrial, String cacheHitRatio,
            boolean report, String previous) {}

    private TrendPage() {}

    static Map<String, Object> model(Site site, String suite, Params params) throws PageException, HistoryException {
        String model = params.text("model");
        int last = params.count("last", 0, 100_000);
        Trend trend = site.trend(suite, model, last);
        if (trend.points().isEmpty()) { // runsInStore counts, for a model, the runs with its figures
            throw PageException.notFound("no runs of suite '" + suite + "'" + (model == null ? "" : " with figures of"
                    + " model '" + model + "'") + " in the store");
        }
        List<Trend.Point> points = trend.points();
        Map<String, Object> m = new HashMap<>();
        m.put("suite", suite);
        m.put("model", model == null ? "" : model);
        m.put("last", last == 0 ? "" : Integer.toString(last));
        m.put("shown", points.size());
        m.put("inStore", trend.runsInStore());
        m.put("since", Fmt.instant(trend.firstInStore()));
        m.put("charts", charts(points, model));
        m.put("rows", rows(points));
        List<RunsPage.Choice> choices = new ArrayList<>();
        for (int i = points.size() - 1; i >= 0; i--) {
            Trend.Point p = points.get(i);
            choices.add(new RunsPage.Choice(p.runId(), Fmt.instant(p.startedAt()) + " · "
                    + RunsPage.commit(p.gitCommit(), p.dirty()) + " · " + p.verdict() + " · " + p.runId()));
        }
        m.put("choices", choices);
        m.put("pickA", points.size() >= 2 ? points.get(points.size() - 2).runId() : "");
        m.put("pickB", points.get(points.size() - 1).runId());
        return m;
    }

    static List<SvgChart> charts(List<Trend.Point> points, String model) {
        String who = model == null ? "whole run" : "model " + model;
        DoubleFunction<String> percent = v -> Fmt.pct(v / 100);
        DoubleFunction<String> ms = Fmt::ms;
        DoubleFunction<String> usd = TrendPage::usd;
        List<SvgChart> charts = new ArrayList<>();
        charts.add(chart(points, "pass-rate", "Pass rate", who, "%", percent, p -> p.passRate() * 100,
                model == null ? floor(points, "pass_rate", 100) : null));
        charts.add(chart(points, "ttft-p95", "TTFT p95", who, "ms", ms, p -> orNaN(p.ttftP95Ms()),
                relative(points, "ttft_p95", model, Trend.Point::ttftP95Ms)));
        charts.add(chart(points, "e2e-p95", "E2E p95", who, "ms", ms, p -> orNaN(p.e2eP95Ms()),
                relative(points, "e2e_p95", model, Trend.Point::e2eP95Ms)));
        charts.add(chart(points, "cost-per-trial", "Cost per trial", who, "USD", usd, p -> orNaN(p.costPerTrialUsd()),
                model == null ? relative(points, "cost_per_trial", "run", Trend.Point::costPerTrialUsd) : null));
        charts.add(chart(points, "cache-hit-ratio", "Cache hit ratio", who, "%", percent,
                p -> p.cacheHitRatio() == null ? Double.NaN : p.cacheHitRatio() * 100,
                model == null ? floor(points, "cache_hit_ratio", 100) : null));
        return charts;
    }

    /** A gate's limit as a level: its name and value in the chart's unit. */
    private record Limit(String label, double y) {}

    private static SvgChart chart(List<Trend.Point> points, String id, String title, String who, String unit,
            DoubleFunction<String> shown, ToDoubleFunction<Trend.Point> figure, Limit limit) {
        int n = points.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 0.5; // run i centred in its slot, so the first and last ticks stay inside the chart
            y[i] = figure.applyAsDouble(points.get(i));
        }
        String note = who + ", " + n + (n == 1 ? " run" : " runs") + (limit == null ? "" : "; dashed: the newest baseline gate's limit");
        LinePlot plot = new LinePlot(id, title, note, "run, by commit", unit).series(title, x, y).dots().yShown(shown)
                .yAtLeast(unit.equals("%") ? 100 : 0)
                .xTicks(ticks(n), v -> tick(points, v))
                .xShown(v -> "run " + ((int) Math.floor(v) + 1) + " (" + tick(points, v) + ")");
        for (int i = 0; i < n; i++) {
            if (points.get(i).stoppedBy() != null) {
                plot.mark("stopped", i + 0.5);
            }
        }
        if (limit != null) {
            plot.level(limit.label(), limit.y());
        }
        return plot.build("no run of these has a " + title + " figure");
    }

    /** At most about a dozen labelled ticks (every run, or every k-th), then an unlabelled one closing the axis at n. */
    private static double[] ticks(int n) {
        int every = Math.max(1, (int) Math.ceil(n / 12.0));
        List<Double> at = new ArrayList<>();
        for (int i = 0; i < n; i += every) {
            at.add(i + 0.5);
        }
        at.add((double) n);
        return at.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Run i's short commit ({@code +} when dirty), {@code #i} outside git; empty off the runs. */
    private static String tick(List<Trend.Point> points, double v) {
        if (v == Math.floor(v)) {
            return "";
        }
        int i = (int) Math.floor(v);
        if (i < 0 || i >= points.size()) {
            return "";
        }
        Trend.Point p = points.get(i);
        return p.gitCommit() == null || p.gitCommit().isEmpty() ? "#" + (i + 1) : RunsPage.commit(p.gitCommit(), p.dirty());
    }

    /** Dollars to three significant digits without trailing zeros ({@code $0.00125}): short enough for the axis. */
    static String usd(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return "$0";
        }
        return "$" + new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** A run-wide floor gate (pass rate, cache hit ratio): its limit is a value of the metric. */
    private static Limit floor(List<Trend.Point> points, String gate, double scale) {
        for (int i = points.size() - 1; i >= 0; i--) {
            for (HistoryRow.Gate g : points.get(i).gates()) {
                if (g.name().equals(gate) && "run".equals(g.subject()) && g.limitValue() != null) {
                    return new Limit(gate + " gate", g.limitValue() * scale);
                }
            }
        }
        return null;
    }

    /**
     * A relative gate (latency, cost): the limit is a change over the baseline, so the level is the
     * run's figure ÷ (1 + observed change) × (1 + allowed change). Its subject must be {@code model};
     * on the whole run's trend ({@code model} null) a latency gate counts when it judged one model alone.
     */
    private static Limit relative(List<Trend.Point> points, String gate, String model,
            Function<Trend.Point, Double> figure) {
        for (int i = points.size() - 1; i >= 0; i--) {
            Trend.Point p = points.get(i);
            List<HistoryRow.Gate> judged = p.gates().stream().filter(g -> g.name().equals(gate) && g.value() != null
                    && g.limitValue() != null && g.value() > -1).toList();
            HistoryRow.Gate match = null;
            if (model != null) {
                match = judged.stream().filter(g -> model.equals(g.subject())).findFirst().orElse(null);
            } else if (judged.size() == 1) {
                match = judged.get(0);
            }
            Double observed = figure.apply(p);
            if (match != null && observed != null) {
                return new Limit(gate + " gate", observed / (1 + match.value()) * (1 + match.limitValue()));
            }
        }
        return null;
    }

    private static List<Row> rows(List<Trend.Point> points) {
        List<Row> rows = new ArrayList<>();
        for (int i = points.size() - 1; i >= 0; i--) {
            Trend.Point p = points.get(i);
            rows.add(new Row(p.runId(), Fmt.instant(p.startedAt()), RunsPage.commit(p.gitCommit(), p.dirty()),
                    p.verdict(), p.baselineVerdict(), p.stoppedBy(), p.trials(), Fmt.pct(p.passRate()),
                    Fmt.ms(p.ttftP95Ms()), Fmt.ms(p.e2eP95Ms()),
                    p.costPerTrialUsd() == null ? "unpriced" : Fmt.usd(p.costPerTrialUsd().doubleValue()),
                    p.cacheHitRatio() == null ? Fmt.NONE : Fmt.pct(p.cacheHitRatio()), RunsPage.hasReport(p.runDir()),
                    i == 0 ? "" : points.get(i - 1).runId()));
        }
        return rows;
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }
}
