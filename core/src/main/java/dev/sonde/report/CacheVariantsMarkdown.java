package dev.sonde.report;

import dev.sonde.analysis.CacheVariantReport;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "Cache placement" section of {@code summary.md} (and the console's lines), present only for
 * a suite with {@code variants:}: the ranking sentence, a table cheapest first (writes by TTL,
 * reads, hit ratio, cost per request with warm-ups — the ranking's basis — and steady state, total,
 * savings, TTFT p50/p95; errored variants after the ranked ones) and each variant's explanation. Cells are escaped like the rest of the summary.
 */
public final class CacheVariantsMarkdown {
    private CacheVariantsMarkdown() {}

    static void append(StringBuilder sb, Optional<CacheVariantReport> report) {
        CacheVariantsView v = report.map(CacheVariantsView::of).orElse(null);
        if (v == null) {
            return;
        }
        sb.append("\n### Cache placement\n\n**").append(Text.mdCell(v.summary())).append("**\n\n_")
                .append(Text.mdCell(v.timeNote())).append("_\n\n");
        sb.append("| Rank | Variant | Requests | 5m writes | 1h writes | Reads | Hit ratio | Cost / request | Steady state "
                + "| Total | Savings | TTFT p50 / p95 |\n");
        sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (CacheVariantsView.Row r : v.rows()) {
            sb.append("| ").append(r.rank()).append(" | ").append(Text.mdCell(r.id() + " — " + r.layout()))
                    .append(" | ").append(Text.mdCell(r.requests())).append(" | ").append(r.writes5m())
                    .append(" | ").append(r.writes1h()).append(" | ").append(r.reads()).append(" | ").append(r.hitRatio())
                    .append(" | ").append(r.costPerRequest()).append(" | ").append(r.steadyCostPerRequest())
                    .append(" | ").append(r.total())
                    .append(" | ").append(Text.mdCell(r.savings())).append(" | ").append(r.ttftP50()).append(" / ")
                    .append(r.ttftP95()).append(" |\n");
        }
        sb.append('\n');
        for (CacheVariantsView.Row r : v.rows()) {
            sb.append("- **").append(Text.mdCell(r.id())).append("**: ").append(Text.mdCell(r.explanation())).append('\n');
        }
    }

    /**
     * The console's lines: the ranking sentence, then one line per variant, cheapest first (cost per
     * request with warm-ups, then steady state); a variant with errors says so instead.
     */
    public static List<String> consoleLines(Optional<CacheVariantReport> report) {
        CacheVariantsView v = report.map(CacheVariantsView::of).orElse(null);
        List<String> lines = new ArrayList<>();
        if (v == null) {
            return lines;
        }
        lines.add("cache placement: " + v.summary());
        for (CacheVariantsView.Row r : v.rows()) {
            if (!r.errors().isEmpty()) {
                lines.add(String.format(Locale.ROOT, "  %-4s %-24s %s", r.rank(), r.id(), r.errors()));
                continue;
            }
            lines.add(String.format(Locale.ROOT, "  %-4s %-24s %s/request (steady %s)  total %s  hit %s  ttft p50 %s p95 %s",
                    r.rank(), r.id(), r.costPerRequest(), r.steadyCostPerRequest(), r.total(), r.hitRatio(), r.ttftP50(),
                    r.ttftP95()));
        }
        return lines;
    }
}
