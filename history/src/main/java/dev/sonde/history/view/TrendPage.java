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
import java.util.function.ToDoubleFunction;

/**
 * {@code /suite?name=}: one suite's trend across its stored runs, oldest left, as the report's line
 * charts with one dot per run (x = the run in order, ticked with its short commit, {@code +} when
 * dirty): pass rate, TTFT p95, E2E p95, cost per trial and cache hit ratio, from the figures each run
 * reported. {@code &model=} shows one model label's figures; {@code &last=} the newest runs only;
 * runs of one shard of a split plan or of a selected part are left out unless {@code &shards=1} (the
 * counts line says how many). A run stopped early, a shard, a part and a merge missing shards are marked
 * with a dotted vertical
 * line. Baseline gates are not drawn as levels: their limits are not in the charts' units (the
 * pass-rate gate is over cases, the chart over trials; latency and cost limits are changes of paired
 * figures, not whole-run figures). A gate that failed is a mark on its chart at that run, and the
 * table lists each run's gates with their outcome, observed value and threshold.
 */
final class TrendPage {
    static final Set<String> PARAMS = Set.of("name", "model", "last", "shards");

    /** One run of the table under the charts; {@code previous} the run before it, empty for the first. */
    record Row(String runId, String started, String commit, String verdict, String baselineVerdict, String stoppedBy,
            long trials, String passRate, String ttftP95, String e2eP95, String costPerTrial, String cacheHitRatio,
            boolean report, String previous, String apart, List<String> gates) {}

    private TrendPage() {}

    static Map<String, Object> model(Site site, String suite, Params params) throws PageException, HistoryException {
        String model = params.text("model");
        int last = params.count("last", 0, 100_000);
        boolean shards = params.count("shards", 0, 1) == 1;
        Trend trend = site.trend(suite, model, last, shards);
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
        m.put("shards", shards);
        m.put("shardsLeftOut", trend.shardsLeftOut());
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
                "pass_rate", model));
        charts.add(chart(points, "ttft-p95", "TTFT p95", who, "ms", ms, p -> orNaN(p.ttftP95Ms()), "ttft_p95", model));
        charts.add(chart(points, "e2e-p95", "E2E p95", who, "ms", ms, p -> orNaN(p.e2eP95Ms()), "e2e_p95", model));
        charts.add(chart(points, "cost-per-trial", "Cost per trial", who, "USD", usd, p -> orNaN(p.costPerTrialUsd()),
                "cost_per_trial", model));
        charts.add(chart(points, "cache-hit-ratio", "Cache hit ratio", who, "%", percent,
                p -> p.cacheHitRatio() == null ? Double.NaN : p.cacheHitRatio() * 100, "cache_hit_ratio", model));
        return charts;
    }

    private static SvgChart chart(List<Trend.Point> points, String id, String title, String who, String unit,
            DoubleFunction<String> shown, ToDoubleFunction<Trend.Point> figure, String gate, String model) {
        int n = points.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 0.5; // run i centred in its slot, so the first and last ticks stay inside the chart
            y[i] = figure.applyAsDouble(points.get(i));
        }
        String note = who + ", " + n + (n == 1 ? " run" : " runs");
        LinePlot plot = new LinePlot(id, title, note, "run, by commit", unit).series(title, x, y).dots().yShown(shown)
                .yAtLeast(unit.equals("%") ? 100 : 0)
                .xTicks(ticks(n), v -> tick(points, v))
                .xShown(v -> "run " + ((int) Math.floor(v) + 1) + " (" + tick(points, v) + ")");
        for (int i = 0; i < n; i++) {
            Trend.Point p = points.get(i);
            String apart = apartMark(p);
            if (failed(p, gate, model)) {
                plot.mark(apart.isEmpty() ? gate + " gate fail" : apart + ", " + gate + " gate fail", i + 0.5);
            } else if (!apart.isEmpty()) {
                plot.mark(apart, i + 0.5);
            }
        }
        return plot.build("no run of these has a " + title + " figure");
    }

    /**
     * The short mark of a run that is not a whole run: {@code shard 2/4}, {@code part}, {@code partial merge},
     * {@code stopped}.
     */
    static String apartMark(Trend.Point p) {
        return p.shard() ? "shard " + p.shardK() + "/" + p.shardN() : Boolean.TRUE.equals(p.part()) ? "part"
                : Boolean.TRUE.equals(p.mergedPartial()) ? "partial merge" : p.stoppedBy() != null ? "stopped" : "";
    }

    /** Whether the run's gate of this chart failed: a run-wide gate on the whole run's trend, a model's on its own. */
    private static boolean failed(Trend.Point p, String gate, String model) {
        return p.gates().stream().anyMatch(g -> g.name().equals(gate) && "fail".equals(g.outcome())
                && (model == null || model.equals(g.subject())));
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

    private static List<Row> rows(List<Trend.Point> points) {
        List<Row> rows = new ArrayList<>();
        for (int i = points.size() - 1; i >= 0; i--) {
            Trend.Point p = points.get(i);
            rows.add(new Row(p.runId(), Fmt.instant(p.startedAt()), RunsPage.commit(p.gitCommit(), p.dirty()),
                    p.verdict(), p.baselineVerdict(), p.stoppedBy(), p.trials(), Fmt.pct(p.passRate()),
                    Fmt.ms(p.ttftP95Ms()), Fmt.ms(p.e2eP95Ms()),
                    p.costPerTrialUsd() == null ? "unpriced" : Fmt.usd(p.costPerTrialUsd().doubleValue()),
                    p.cacheHitRatio() == null ? Fmt.NONE : Fmt.pct(p.cacheHitRatio()), RunsPage.hasReport(p.runDir()),
                    i == 0 ? "" : points.get(i - 1).runId(), p.apart(), gates(p)));
        }
        return rows;
    }

    /** Each gate as {@code name (subject): outcome, observed … threshold …}, as the run's baseline judged it. */
    private static List<String> gates(Trend.Point p) {
        List<String> out = new ArrayList<>();
        for (HistoryRow.Gate g : p.gates()) {
            StringBuilder line = new StringBuilder(g.name());
            if (g.subject() != null && !g.subject().equals("run")) {
                line.append(" (").append(g.subject()).append(')');
            }
            line.append(": ").append(g.outcome());
            if (g.observed() != null && !g.observed().isEmpty()) {
                line.append(", observed ").append(g.observed());
            }
            if (g.threshold() != null && !g.threshold().isEmpty()) {
                line.append(", threshold ").append(g.threshold());
            }
            out.add(line.toString());
        }
        return out;
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }
}
