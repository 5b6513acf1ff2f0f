package dev.sonde.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns cache-variant figures into ranks and plain language, from the numbers only: cheaper or
 * dearer than the baseline (whole percent), the hit ratio, "the 5m TTL expires between your
 * 7-minute arrivals" when a later arrival wrote the cache again and the planned gaps exceed the
 * shortest TTL placed, "write storm" when requests of one arrival all wrote, "nothing was cached"
 * when breakpoints were placed but nothing was written or read (a prefix under the model's
 * minimum), and the TTFT p50 against the baseline's. Stateless.
 */
final class CacheVariantExplainer {
    private CacheVariantExplainer() {}

    static CacheVariantReport explain(boolean virtualTime, String baseline, List<CacheVariantReport.Figures> figures,
            List<String> ranking) {
        Map<String, CacheVariantReport.Figures> byId = new LinkedHashMap<>();
        figures.forEach(f -> byId.put(f.id(), f));
        CacheVariantReport.Figures base = baseline == null ? null : byId.get(baseline);
        List<CacheVariantReport.Figures> out = new ArrayList<>();
        for (CacheVariantReport.Figures f : figures) {
            int rank = ranking.indexOf(f.id());
            out.add(new CacheVariantReport.Figures(f.id(), f.layout(), f.requests(), f.errored(), f.concurrency(),
                    f.maxGapS(), f.shortestTtlS(), f.warmupRequests(), f.warmupCostUsd(), f.inputTokens(),
                    f.cacheWrite5mTokens(), f.cacheWrite1hTokens(), f.cacheReadTokens(), f.outputTokens(), f.hitRatio(),
                    f.costUsd(), f.costPerRequestUsd(), f.uncachedCostUsd(), f.savingsUsd(), f.savingsPct(), f.ttftP50Ms(),
                    f.ttftP95Ms(), f.rewrites(), f.stormWrites(), rank < 0 ? null : rank + 1, sentence(f, base)));
        }
        return new CacheVariantReport(virtualTime, baseline, List.copyOf(out), List.copyOf(ranking),
                summary(byId, base, ranking));
    }

    private static String sentence(CacheVariantReport.Figures f, CacheVariantReport.Figures base) {
        if (f.requests() == 0) {
            return f.layout() + ": no request was sent.";
        }
        if (f.costPerRequestUsd() == null) {
            return f.layout() + ": unpriced (no price for the model), not ranked.";
        }
        StringBuilder sb = new StringBuilder(f.layout()).append(": ");
        if (base != null && base.id().equals(f.id())) {
            sb.append(usd(f.costPerRequestUsd())).append(" per request, the baseline the others are compared with");
        } else {
            sb.append(compared(f, base));
            if (f.hitRatio() != null) {
                sb.append(", hit ratio ").append(pct(f.hitRatio()));
            }
        }
        if (!f.layout().equals("no caching") && f.cacheReadTokens() == 0 && f.cacheWrite5mTokens() + f.cacheWrite1hTokens() == 0) {
            sb.append("; nothing was cached: the marked prefix is below the model's minimum cacheable length");
        }
        if (expires(f)) {
            sb.append("; the ").append(ttl(f.shortestTtlS())).append(" TTL expires between your ").append(gap(f.maxGapS()))
                    .append(" arrivals (").append(f.rewrites()).append(" later arrival").append(f.rewrites() == 1 ? "" : "s")
                    .append(" wrote the cache again)");
        } else if (f.rewrites() > 0) {
            sb.append("; ").append(f.rewrites()).append(" later arrival").append(f.rewrites() == 1 ? "" : "s")
                    .append(" wrote the cache again (entries evicted)");
        }
        if (f.stormWrites() > 0) {
            sb.append("; write storm: requests sent ").append(f.concurrency()).append(" at a time all missed, ")
                    .append(f.stormWrites()).append(" extra write").append(f.stormWrites() == 1 ? "" : "s")
                    .append(" paid — send one request (or a warm-up) first");
        }
        if (base != null && !base.id().equals(f.id()) && f.ttftP50Ms() != null && base.ttftP50Ms() != null) {
            sb.append("; TTFT p50 ").append(ms(f.ttftP50Ms())).append(" vs ").append(ms(base.ttftP50Ms()))
                    .append(" uncached");
        }
        return sb.append('.').toString();
    }

    private static String compared(CacheVariantReport.Figures f, CacheVariantReport.Figures base) {
        String against = base != null ? "'" + base.id() + "'" : "the same requests uncached";
        if (f.savingsPct() == null) {
            return usd(f.costPerRequestUsd()) + " per request";
        }
        long whole = Math.round(f.savingsPct() * 100);
        return whole == 0 ? "costs the same as " + against
                : whole > 0 ? whole + " % cheaper than " + against : -whole + " % dearer than " + against;
    }

    private static String summary(Map<String, CacheVariantReport.Figures> byId, CacheVariantReport.Figures base,
            List<String> ranking) {
        if (ranking.isEmpty()) {
            return "No variant could be priced, so none is ranked.";
        }
        CacheVariantReport.Figures best = byId.get(ranking.get(0));
        StringBuilder sb = new StringBuilder("Cheapest: ").append(best.id()).append(" (").append(best.layout())
                .append("), ").append(compared(best, base));
        List<String> expired = new ArrayList<>();
        List<String> storms = new ArrayList<>();
        for (CacheVariantReport.Figures f : byId.values()) {
            if (expires(f)) {
                expired.add(f.id());
            }
            if (f.stormWrites() > 0) {
                storms.add(f.id());
            }
        }
        if (!expired.isEmpty()) {
            CacheVariantReport.Figures first = byId.get(expired.get(0));
            sb.append("; the ").append(ttl(first.shortestTtlS())).append(" TTL expires between your ")
                    .append(gap(first.maxGapS())).append(" arrivals in ").append(String.join(", ", expired));
        }
        if (!storms.isEmpty()) {
            sb.append("; write storm in ").append(String.join(", ", storms));
        }
        return sb.append('.').toString();
    }

    /** A later arrival wrote again and the gaps are longer than the shortest TTL placed. */
    private static boolean expires(CacheVariantReport.Figures f) {
        return f.rewrites() > 0 && f.shortestTtlS() != null && f.maxGapS() > f.shortestTtlS();
    }

    private static String ttl(double seconds) {
        return seconds % 3600 == 0 ? (long) (seconds / 3600) + "h" : (long) (seconds / 60) + "m";
    }

    private static String gap(double seconds) {
        return seconds >= 60 && seconds % 60 == 0 ? (long) (seconds / 60) + "-minute"
                : String.format(Locale.ROOT, "%.0f-second", seconds);
    }

    static String usd(double v) {
        return String.format(Locale.ROOT, "$%.5f", v);
    }

    static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.0f ms", v);
    }
}
