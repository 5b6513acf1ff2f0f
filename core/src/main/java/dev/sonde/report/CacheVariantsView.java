package dev.sonde.report;

import dev.sonde.metrics.Fmt;
import dev.sonde.analysis.CacheVariantReport;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The cache-variant analysis formatted for people: one row per variant in ranking order (unranked
 * ones — unpriced or errored — last), every figure as display text: {@code costPerRequest} and
 * {@code total} are the ranking's basis (every answered request, warm-up included),
 * {@code steadyCostPerRequest} the measured requests' alone; {@code errors} is "N of M requests
 * errored: …" or empty, used by the HTML report's "Cache placement" section,
 * {@code summary.md} and the console. {@code timeNote} says whether the gaps were waited for real
 * or skipped on a virtual clock (and so what the TTFT figures are).
 */
public record CacheVariantsView(String summary, String timeNote, List<Row> rows) {

    /** One variant; {@code best} marks rank 1. */
    public record Row(String rank, String id, String layout, String requests, String sequence, String writes5m,
            String writes1h, String reads, String input, String hitRatio, String costPerRequest, String total,
            String savings, String ttftP50, String ttftP95, String explanation, boolean best,
            String steadyCostPerRequest, String errors) {}

    public static CacheVariantsView of(CacheVariantReport r) {
        List<Row> rows = ordered(r).stream()
                .map(f -> new Row(f.rank() == null ? Fmt.NONE : "#" + f.rank(), f.id(), f.layout(),
                        Integer.toString(f.requests()) + (f.warmupRequests() > 0 ? " + " + f.warmupRequests() + " warm-up" : "")
                                + (f.errored() > 0 ? " (" + f.errored() + " errored)" : ""),
                        (f.concurrency() > 1 ? f.concurrency() + " at a time, " : "") + "gaps up to " + gap(f.maxGapS()),
                        Fmt.count(f.cacheWrite5mTokens()), Fmt.count(f.cacheWrite1hTokens()), Fmt.count(f.cacheReadTokens()),
                        Fmt.count(f.inputTokens()), f.hitRatio() == null ? Fmt.NONE : Fmt.pct(f.hitRatio()),
                        Fmt.usd(f.costPerRequestInclWarmupUsd()), Fmt.usd(f.totalCostUsd()), savings(f, r.baseline()),
                        Fmt.ms(f.ttftP50Ms()), Fmt.ms(f.ttftP95Ms()), f.explanation(), Integer.valueOf(1).equals(f.rank()),
                        Fmt.usd(f.costPerRequestUsd()), f.erroredAll() == 0 ? ""
                                : f.erroredAll() + " of " + f.sentAll() + " requests errored: " + f.firstError()))
                .toList();
        String note = r.virtualTime()
                ? "Offline: the gaps between arrivals (and a cool-down past every TTL between variants) were skipped "
                        + "on a virtual clock shared with the emulator; TTFT is real time measured over loopback."
                : "Live: the gaps between arrivals were waited for real; variants ran one after another.";
        return new CacheVariantsView(r.summary(), note, rows);
    }

    /** The variants in ranking order, unranked ones (unpriced or errored) last in suite order: the table's rows and the charts' bars. */
    static List<CacheVariantReport.Figures> ordered(CacheVariantReport r) {
        return r.variants().stream()
                .sorted(Comparator.comparing((CacheVariantReport.Figures f) -> f.rank() == null ? Integer.MAX_VALUE
                        : f.rank()))
                .toList();
    }

    private static String savings(CacheVariantReport.Figures f, String baseline) {
        if (f.savingsUsd() == null) {
            return Fmt.NONE;
        }
        if (f.id().equals(baseline)) {
            return "baseline";
        }
        return Fmt.usd(f.savingsUsd()) + (f.savingsPct() == null ? "" : " (" + Fmt.pct(f.savingsPct()) + ")");
    }

    private static String gap(double seconds) {
        return seconds >= 60 ? String.format(Locale.ROOT, "%.1f min", seconds / 60) : String.format(Locale.ROOT, "%.0f s", seconds);
    }
}
