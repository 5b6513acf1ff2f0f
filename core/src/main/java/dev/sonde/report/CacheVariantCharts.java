package dev.sonde.report;

import dev.sonde.analysis.CacheVariantReport;
import dev.sonde.metrics.Fmt;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The charts of a cache-placement run's {@code report.html}, one bar per variant in the order of
 * the "Cache placement" table (cheapest first, unranked variants last): what a person tuning
 * breakpoints compares — the cost per request (warm-up included, the ranking's basis) against the
 * baseline, where each variant's prompt tokens came from (uncached input, 5m and 1h cache writes,
 * cache reads) with its hit ratio, and its TTFT p50 and p95. They replace the run's general charts
 * ({@link Charts}), which draw one line per model and so would lump every variant together. Drawn
 * from the variants' figures ({@link CacheVariantReport}, computed once by the analysis), so they
 * agree with the table digit for digit.
 */
final class CacheVariantCharts {
    /** A variant id longer than this is cut with an ellipsis (its full id is in the tooltip and the table). */
    static final int MAX_LABEL_CHARS = 24;

    private static final double LABEL_W = 190;
    private static final double VALUE_W = 120;
    private static final double PLOT_W = SvgChart.WIDTH - LABEL_W - VALUE_W;
    private static final double TOP = 8;
    private static final double ROW_H = 26;
    private static final double BAR_H = 16;
    /** The legend of the prompt chart: k0…k3 are the colours of the same token kinds in the cost chart. */
    private static final String[] PROMPT_KINDS = {"uncached input", "cache write 5m", "cache write 1h", "cache read"};

    private CacheVariantCharts() {}

    static List<SvgChart> all(CacheVariantReport report) {
        List<CacheVariantReport.Figures> variants = CacheVariantsView.ordered(report);
        return List.of(cost(variants, report.baseline()), prompt(variants), ttft(variants));
    }

    static SvgChart cost(List<CacheVariantReport.Figures> variants, String baseline) {
        String id = "variant-cost";
        String title = "Cost per request by variant";
        double max = 0;
        Double baselineCost = null;
        for (CacheVariantReport.Figures f : variants) {
            if (f.costPerRequestInclWarmupUsd() != null) {
                max = Math.max(max, f.costPerRequestInclWarmupUsd());
                if (f.id().equals(baseline)) {
                    baselineCost = f.costPerRequestInclWarmupUsd();
                }
            }
        }
        if (max <= 0) {
            return SvgChart.empty(id, title, "No variant was priced: no cost to compare.");
        }
        SvgChart.Axis x = SvgChart.Axis.of(max, 4);
        SvgChart.Canvas c = new SvgChart.Canvas();
        double bottom = bottom(variants);
        axis(c, x, bottom, Fmt::usd);
        double y = TOP;
        for (CacheVariantReport.Figures f : variants) {
            label(c, f, y);
            Double cost = f.costPerRequestInclWarmupUsd();
            if (cost == null) {
                c.text(LABEL_W, y + 13, "start", "warn", "unpriced: no price known");
            } else {
                double w = PLOT_W * cost / x.max();
                c.rect("bar " + (Integer.valueOf(1).equals(f.rank()) ? "s2" : "s0"), LABEL_W, y, Math.max(w, 1.5),
                        BAR_H, f.id(), f.id() + ": " + Fmt.usd(cost) + " per request, warm-up included · "
                                + Fmt.usd(f.costPerRequestUsd()) + " steady state · " + Fmt.usd(f.totalCostUsd())
                                + " in all");
                c.text(LABEL_W + w + 6, y + 12, "start", "", Fmt.usd(cost) + change(f, baseline));
                c.drew();
            }
            y += ROW_H;
        }
        if (baselineCost != null) {
            double bx = LABEL_W + PLOT_W * baselineCost / x.max();
            c.line("ref", bx, TOP - 4, bx, bottom);
        }
        return c.build(id, title, "warm-up included, the ranking's basis; the dashed line is "
                + (baselineCost == null ? "absent (no baseline variant)" : "'" + baseline + "' (" + Fmt.usd(baselineCost)
                        + ")") + "; #1 in green", y + 24);
    }

    static SvgChart prompt(List<CacheVariantReport.Figures> variants) {
        String id = "variant-prompt";
        String title = "Where each variant's prompt tokens came from";
        SvgChart.Canvas c = new SvgChart.Canvas();
        for (int k = 0; k < PROMPT_KINDS.length; k++) {
            c.legend("k" + k, PROMPT_KINDS[k]);
        }
        axis(c, SvgChart.Axis.of(1, 4), bottom(variants), v -> Math.round(v * 100) + "%");
        double y = TOP;
        for (CacheVariantReport.Figures f : variants) {
            label(c, f, y);
            long[] parts = {f.inputTokens(), f.cacheWrite5mTokens(), f.cacheWrite1hTokens(), f.cacheReadTokens()};
            long prompt = parts[0] + parts[1] + parts[2] + parts[3];
            if (prompt == 0) {
                c.text(LABEL_W, y + 13, "start", "warn", "no prompt tokens: no request answered");
                y += ROW_H;
                continue;
            }
            double x0 = LABEL_W;
            for (int k = 0; k < parts.length; k++) {
                double w = PLOT_W * parts[k] / prompt;
                if (parts[k] > 0) {
                    c.rect("bar k" + k, x0, y, w, BAR_H, f.id(), f.id() + " · " + PROMPT_KINDS[k] + ": "
                            + Fmt.count(parts[k]) + " of " + Fmt.count(prompt) + " prompt tokens (" + Fmt.pct((double) parts[k] / prompt)
                            + ")");
                }
                x0 += w;
            }
            c.text(LABEL_W + PLOT_W + 6, y + 12, "start", "", (f.hitRatio() == null ? Fmt.NONE : Fmt.pct(f.hitRatio()))
                    + " hit");
            c.drew();
            y += ROW_H;
        }
        return c.build(id, title, "measured requests, warm-up apart; hit ratio = cache reads ÷ prompt tokens", y + 24);
    }

    static SvgChart ttft(List<CacheVariantReport.Figures> variants) {
        String id = "variant-ttft";
        String title = "Time to first token by variant";
        double max = 0;
        for (CacheVariantReport.Figures f : variants) {
            max = Math.max(max, Math.max(orZero(f.ttftP50Ms()), orZero(f.ttftP95Ms())));
        }
        if (max <= 0) {
            return SvgChart.empty(id, title, "No variant recorded a time to first token.");
        }
        SvgChart.Axis x = SvgChart.Axis.of(max, 5);
        SvgChart.Canvas c = new SvgChart.Canvas();
        c.legend("s0", "p50");
        c.legend("s1", "p95");
        axis(c, x, bottom(variants), v -> Fmt.ms(v));
        double y = TOP;
        double half = BAR_H / 2;
        for (CacheVariantReport.Figures f : variants) {
            label(c, f, y);
            if (f.ttftP50Ms() == null) {
                c.text(LABEL_W, y + 13, "start", "warn", "no TTFT: no request answered");
                y += ROW_H;
                continue;
            }
            double p50 = PLOT_W * f.ttftP50Ms() / x.max();
            double p95 = PLOT_W * orZero(f.ttftP95Ms()) / x.max();
            c.rect("bar s0", LABEL_W, y, Math.max(p50, 1.5), half, f.id(), f.id() + " TTFT p50: " + Fmt.ms(f.ttftP50Ms()));
            c.rect("bar s1", LABEL_W, y + half, Math.max(p95, 1.5), half, f.id(), f.id() + " TTFT p95: "
                    + Fmt.ms(f.ttftP95Ms()));
            c.text(LABEL_W + Math.max(p50, p95) + 6, y + 12, "start", "", Fmt.ms(f.ttftP50Ms()) + " / "
                    + Fmt.ms(f.ttftP95Ms()));
            c.drew();
            y += ROW_H;
        }
        return c.build(id, title, "measured requests; a cache read skips the prefill of the tokens it reads", y + 24);
    }

    private static double bottom(List<CacheVariantReport.Figures> variants) {
        return TOP + ROW_H * variants.size();
    }

    /** The variant's id at the left of its row, its rank before it. */
    private static void label(SvgChart.Canvas c, CacheVariantReport.Figures f, double y) {
        c.text(LABEL_W - 8, y + 12, "end", "", (f.rank() == null ? "" : "#" + f.rank() + " ")
                + Charts.clip(f.id(), MAX_LABEL_CHARS));
    }

    private static String change(CacheVariantReport.Figures f, String baseline) {
        if (f.id().equals(baseline)) {
            return " · baseline";
        }
        if (f.erroredAll() > 0) {
            return " · " + f.erroredAll() + " errored";
        }
        return f.savingsPct() == null ? "" : " · " + MigrationView.minus(String.format(Locale.ROOT, "%+.0f%%",
                -f.savingsPct() * 100));
    }

    private static void axis(SvgChart.Canvas c, SvgChart.Axis x, double bottom, DoubleFunction<String> fmt) {
        for (int t = 0; t <= x.ticks(); t++) {
            double px = LABEL_W + PLOT_W * t / x.ticks();
            c.grid(px, TOP - 4, px, bottom);
            c.text(px, bottom + 14, "middle", "axis", fmt.apply(x.value(t)));
        }
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }
}
