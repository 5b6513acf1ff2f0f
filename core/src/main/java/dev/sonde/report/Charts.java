package dev.sonde.report;

import dev.sonde.analysis.CaseScan;
import dev.sonde.metrics.Fmt;
import dev.sonde.analysis.Aggregate;
import dev.sonde.analysis.Aggregates;
import dev.sonde.metrics.CostByKind;
import dev.sonde.stats.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The charts of {@code report.html}: TTFT and end-to-end CDFs per model, the inter-token gap
 * histogram, cost stacked by token kind per model and the cache hit ratio per case. Each is
 * computed from fixed-size inputs (histograms and aggregates), so drawing costs the same for ten
 * trials or a million. A chart with nothing to show — no data, or every value zero (the cache
 * chart of a run without caching) — is returned {@link SvgChart#empty() empty} with the reason in
 * one line, never as blank axes or empty bars. Latency charts use successful exchanges only.
 */
final class Charts {
    static final int MAX_CASES = 30;
    /** CDF lines keep at most this many steps (quantiles every 0.5 %) for large distinct sets. */
    static final int MAX_CDF_STEPS = 400;
    static final int ITL_BINS = 24;

    private static final double LEFT = 56;
    private static final double RIGHT = 34;
    private static final double TOP = 12;
    private static final double PLOT_H = 210;
    private static final String[] KINDS = CostByKind.KINDS.toArray(String[]::new);

    private Charts() {}

    static List<SvgChart> all(CaseScan scan, Aggregates.Snapshot aggregates) {
        List<SvgChart> charts = new ArrayList<>();
        charts.add(cdf("ttft-cdf", "Time to first token — CDF", scan, m -> m.ttftMs()));
        charts.add(cdf("e2e-cdf", "End-to-end latency — CDF", scan, m -> m.e2eMs()));
        charts.add(itlHistogram(scan));
        charts.add(costStacked(aggregates, scan.modelLabels()));
        charts.add(cacheByCase(aggregates, scan.modelLabels()));
        return charts;
    }

    static SvgChart cdf(String id, String title, CaseScan scan, Function<CaseScan.ModelSamples, Samples> metric) {
        Map<String, Samples> series = present(scan, metric);
        if (series.isEmpty()) {
            return SvgChart.empty(id, title, "No successful exchange recorded this metric.");
        }
        double p99 = 0;
        double max = 0;
        for (Samples s : series.values()) {
            p99 = Math.max(p99, s.percentile(99));
            max = Math.max(max, s.max());
        }
        boolean cut = max > 3 * p99 && p99 > 0;
        SvgChart.Axis x = SvgChart.Axis.of(cut ? p99 : max, 5);
        double plotW = SvgChart.WIDTH - LEFT - RIGHT;
        double bottom = TOP + PLOT_H;
        SvgChart.Canvas c = new SvgChart.Canvas();
        xTicks(c, x, plotW, bottom, v -> Fmt.ms(v));
        for (int pct = 0; pct <= 100; pct += 25) {
            double y = bottom - PLOT_H * pct / 100.0;
            c.grid(LEFT, y, LEFT + plotW, y);
            c.text(LEFT - 6, y + 4, "end", "axis", pct + "%");
        }
        for (double ref : new double[] {0.5, 0.95}) {
            double y = bottom - PLOT_H * ref;
            c.line("ref", LEFT, y, LEFT + plotW, y);
            c.text(LEFT + 4, y - 3, "start", "axis", ref == 0.5 ? "p50" : "p95");
        }
        for (Map.Entry<String, Samples> e : series.entrySet()) {
            String cls = SvgChart.seriesClass(scan.modelLabels().indexOf(e.getKey()));
            Samples s = e.getValue();
            StringBuilder d = new StringBuilder();
            double[][] steps = steps(s);
            double prevY = bottom;
            for (int k = 0; k < steps.length; k++) {
                double px = LEFT + plotW * Math.min(steps[k][0], x.max()) / x.max();
                double py = bottom - PLOT_H * steps[k][1];
                d.append(k == 0 ? "M" : " H").append(SvgChart.num(px));
                if (k == 0) {
                    d.append(' ').append(SvgChart.num(prevY));
                }
                d.append(" V").append(SvgChart.num(py));
            }
            String tip = e.getKey() + ": p50 " + Fmt.ms(s.percentile(50)) + " · p95 " + Fmt.ms(s.percentile(95))
                    + " · max " + Fmt.ms(s.max()) + " · n = " + Fmt.count(s.count());
            c.path("line " + cls, d.toString(), e.getKey(), tip);
            for (double q : new double[] {50, 95}) {
                double v = s.percentile(q);
                c.circle("dot " + cls, LEFT + plotW * Math.min(v, x.max()) / x.max(), bottom - PLOT_H * q / 100, 3.2,
                        e.getKey(), e.getKey() + " p" + (int) q + ": " + Fmt.ms(v));
            }
            c.legend(cls, e.getKey() + " (p50 " + Fmt.ms(s.percentile(50)) + ", p95 " + Fmt.ms(s.percentile(95)) + ")");
            c.drew();
        }
        String note = cut ? "x axis cut at the largest p99; max " + Fmt.ms(max) : "share of exchanges at or below x";
        return c.build(id, title, note, bottom + 32);
    }

    /** (value, cumulative fraction) steps: every distinct value, or quantiles when there are many. */
    private static double[][] steps(Samples s) {
        Samples.Distinct d = s.distinct();
        if (d.values().length <= MAX_CDF_STEPS) {
            double[][] out = new double[d.values().length][];
            long seen = 0;
            for (int i = 0; i < out.length; i++) {
                seen += d.counts()[i];
                out[i] = new double[] {d.values()[i], (double) seen / s.count()};
            }
            return out;
        }
        double[][] out = new double[201][];
        for (int i = 0; i <= 200; i++) {
            double q = i / 2.0;
            out[i] = new double[] {s.percentile(Math.max(q, 0.001)), q / 100};
        }
        return out;
    }

    static SvgChart itlHistogram(CaseScan scan) {
        String id = "itl-histogram";
        String title = "Inter-token gaps — histogram";
        Map<String, Samples> series = present(scan, m -> m.itlMs());
        if (series.isEmpty()) {
            return SvgChart.empty(id, title, "No streamed response had two or more content deltas.");
        }
        double p99 = 0;
        for (Samples s : series.values()) {
            p99 = Math.max(p99, s.percentile(99));
        }
        SvgChart.Axis x = SvgChart.Axis.of(Math.max(p99, 0.001), 6);
        double binW = x.max() / ITL_BINS;
        Map<String, double[]> shares = new LinkedHashMap<>();
        double top = 0;
        for (Map.Entry<String, Samples> e : series.entrySet()) {
            double[] bins = new double[ITL_BINS];
            Samples.Distinct d = e.getValue().distinct();
            for (int i = 0; i < d.values().length; i++) {
                int b = (int) Math.min(ITL_BINS - 1, Math.floor(d.values()[i] / binW));
                bins[b] += (double) d.counts()[i] / e.getValue().count();
            }
            for (double v : bins) {
                top = Math.max(top, v);
            }
            shares.put(e.getKey(), bins);
        }
        SvgChart.Axis y = SvgChart.Axis.of(top, 4);
        double plotW = SvgChart.WIDTH - LEFT - RIGHT;
        double bottom = TOP + PLOT_H;
        SvgChart.Canvas c = new SvgChart.Canvas();
        for (int t = 0; t <= y.ticks(); t++) {
            double py = bottom - PLOT_H * y.value(t) / y.max();
            c.grid(LEFT, py, LEFT + plotW, py);
            c.text(LEFT - 6, py + 4, "end", "axis", Fmt.pct(y.value(t)).replace(".0%", "%"));
        }
        xTicks(c, x, plotW, bottom, v -> Fmt.ms(v));
        double slot = plotW / ITL_BINS;
        double barW = slot * 0.86 / shares.size();
        int i = 0;
        for (Map.Entry<String, double[]> e : shares.entrySet()) {
            String cls = SvgChart.seriesClass(scan.modelLabels().indexOf(e.getKey()));
            double[] bins = e.getValue();
            for (int b = 0; b < ITL_BINS; b++) {
                double h = PLOT_H * bins[b] / y.max();
                String range = b == ITL_BINS - 1 ? "≥ " + Fmt.ms(b * binW)
                        : Fmt.ms(b * binW) + " – " + Fmt.ms((b + 1) * binW);
                c.rect("bar " + cls, LEFT + b * slot + slot * 0.07 + i * barW, bottom - h, barW, h, e.getKey(),
                        e.getKey() + " · " + range + ": " + Fmt.pct(bins[b]) + " of gaps");
            }
            Samples s = series.get(e.getKey());
            c.legend(cls, e.getKey() + " (p50 " + Fmt.ms(s.percentile(50)) + ", n = " + Fmt.count(s.count()) + ")");
            c.drew();
            i++;
        }
        return c.build(id, title, "share of each model's gaps; the last bar holds everything ≥ "
                + Fmt.ms((ITL_BINS - 1) * binW), bottom + 32);
    }

    static SvgChart costStacked(Aggregates.Snapshot aggregates, List<String> order) {
        String id = "cost-by-kind";
        String title = "Cost by token kind";
        Map<String, Aggregate.Stats> models = aggregates == null ? Map.of() : aggregates.models();
        double max = 0;
        for (Aggregate.Stats s : models.values()) {
            max = Math.max(max, s.costByKind() == null ? 0 : s.costByKind().totalUsd());
        }
        if (models.isEmpty() || max <= 0) {
            return SvgChart.empty(id, title, models.isEmpty() ? "No aggregates: cost by kind unknown."
                    : "No priced trial: nothing to split.");
        }
        double labelW = 130;
        double valueW = 90;
        double plotW = SvgChart.WIDTH - labelW - valueW;
        double rowH = 30;
        SvgChart.Canvas c = new SvgChart.Canvas();
        boolean fees = models.values().stream().anyMatch(s -> s.costByKind() != null && s.costByKind().serverToolUsd() > 0);
        for (int k = 0; k < KINDS.length; k++) {
            if (k < KINDS.length - 1 || fees) { // web search fees only when some model paid them
                c.legend("k" + k, KINDS[k]);
            }
        }
        double y = TOP;
        for (String label : ordered(models.keySet(), order)) {
            Aggregate.Stats s = models.get(label);
            c.text(labelW - 8, y + 15, "end", "", clip(label, 18));
            if (s.trials() > 0 && s.unpricedTrials() == s.trials()) {
                c.text(labelW, y + 15, "start", "warn", "unpriced: no price known");
                y += rowH;
                continue;
            }
            CostByKind k = s.costByKind() == null ? CostByKind.ZERO : s.costByKind();
            double[] parts = k.parts();
            double x0 = labelW;
            for (int p = 0; p < parts.length; p++) {
                double w = plotW * parts[p] / max;
                if (parts[p] > 0) {
                    c.rect("bar k" + p, x0, y, w, 20, label, label + " · " + KINDS[p] + ": " + Fmt.usd(parts[p])
                            + " (" + Fmt.pct(parts[p] / k.totalUsd()) + ")");
                }
                x0 += w;
            }
            c.text(x0 + 6, y + 15, "start", "", Fmt.usd(k.totalUsd())
                    + (s.unpricedTrials() > 0 ? " +" + s.unpricedTrials() + " unpriced" : ""));
            c.drew();
            y += rowH;
        }
        return c.build(id, title, "total spend per model, priced from usage", y + 4);
    }

    static SvgChart cacheByCase(Aggregates.Snapshot aggregates, List<String> order) {
        String id = "cache-by-case";
        String title = "Cache hit ratio by case";
        Map<String, Map<String, Aggregate.Stats>> cases = aggregates == null ? Map.of() : aggregates.cases();
        if (cases.isEmpty()) {
            return SvgChart.empty(id, title, "No aggregates per case.");
        }
        long written = 0;
        long read = 0;
        for (Map<String, Aggregate.Stats> byModel : cases.values()) {
            for (Aggregate.Stats s : byModel.values()) {
                written += s.tokens().cacheWrite5m() + s.tokens().cacheWrite1h();
                read += s.tokens().cacheRead();
            }
        }
        if (read == 0) { // every bar would be 0 %: say so in one line instead of drawing empty bars
            return SvgChart.empty(id, title, written == 0
                    ? "No prompt caching in this run: no prompt token was written to or read from the cache."
                    : "The cache was written (" + Fmt.count(written) + " tokens) but never read in this run:"
                            + " every hit ratio is 0 %.");
        }
        List<String> models = new ArrayList<>();
        cases.values().forEach(byModel -> byModel.keySet().forEach(m -> {
            if (!models.contains(m)) {
                models.add(m);
            }
        }));
        List<String> labels = ordered(models, order);
        double labelW = 170;
        double valueW = 56;
        double plotW = SvgChart.WIDTH - labelW - valueW;
        double barH = 9;
        double rowH = labels.size() * (barH + 2) + 8;
        SvgChart.Canvas c = new SvgChart.Canvas();
        double y = TOP + 4;
        int shown = 0;
        boolean anyRead = false;
        for (Map.Entry<String, Map<String, Aggregate.Stats>> e : cases.entrySet()) {
            if (shown++ == MAX_CASES) {
                break;
            }
            c.text(labelW - 8, y + rowH / 2, "end", "", clip(e.getKey(), 24));
            for (int m = 0; m < labels.size(); m++) {
                Aggregate.Stats s = e.getValue().get(labels.get(m));
                if (s == null) {
                    continue;
                }
                double ratio = s.cacheHitRatio();
                anyRead |= ratio > 0;
                double by = y + m * (barH + 2);
                c.rect("bar " + SvgChart.seriesClass(order.indexOf(labels.get(m)) < 0 ? m
                        : order.indexOf(labels.get(m))), labelW, by, Math.max(plotW * ratio, 1.5), barH, labels.get(m),
                        e.getKey() + " · " + labels.get(m) + ": " + Fmt.pct(ratio) + " of "
                        + Fmt.count(s.tokens().prompt()) + " prompt tokens read from cache");
                if (ratio > 0) {
                    c.text(labelW + plotW * ratio + 4, by + barH - 1, "start", "small", Fmt.pct(ratio));
                }
            }
            y += rowH;
        }
        for (int t = 0; t <= 4; t++) {
            double px = labelW + plotW * t / 4;
            c.grid(px, TOP, px, y);
            c.text(px, y + 14, "middle", "axis", (t * 25) + "%");
        }
        for (int m = 0; m < labels.size(); m++) {
            int idx = order.indexOf(labels.get(m));
            c.legend(SvgChart.seriesClass(idx < 0 ? m : idx), labels.get(m));
            c.drew();
        }
        String note = (anyRead ? "cache_read ÷ (input + cache writes + cache reads)"
                : "no prompt token was read from the cache in the cases shown")
                + (cases.size() > MAX_CASES ? " · first " + MAX_CASES + " of " + cases.size() + " cases" : "");
        return c.build(id, title, note, y + 22);
    }

    private static void xTicks(SvgChart.Canvas c, SvgChart.Axis x, double plotW, double bottom,
            Function<Double, String> fmt) {
        for (int t = 0; t <= x.ticks(); t++) {
            double px = LEFT + plotW * t / x.ticks();
            c.grid(px, TOP, px, bottom);
            c.text(px, bottom + 16, "middle", "axis", fmt.apply(x.value(t)));
        }
    }

    private static Map<String, Samples> present(CaseScan scan, Function<CaseScan.ModelSamples, Samples> metric) {
        Map<String, Samples> out = new LinkedHashMap<>();
        scan.models().forEach((label, m) -> {
            Samples s = metric.apply(m);
            if (s.count() > 0) {
                out.put(label, s);
            }
        });
        return out;
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** {@code keys} in {@code order} first, then the rest as given. */
    private static List<String> ordered(java.util.Collection<String> keys, List<String> order) {
        List<String> out = new ArrayList<>();
        order.stream().filter(keys::contains).forEach(out::add);
        keys.stream().filter(k -> !out.contains(k)).forEach(out::add);
        return out;
    }
}
