package dev.sonde.analysis;

import dev.sonde.suite.CacheVariant;
import dev.sonde.journal.SequenceManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns cache-variant figures into ranks and plain language, from the numbers only: cheaper or
 * dearer than the baseline (whole percent, per request sent with warm-ups), the hit ratio, what the
 * one-time cache write cost (unless a storm or expiries made it more than once), "the 5m TTL expires between your 7-minute arrivals" when a later
 * arrival wrote the cache again and the planned gaps exceed the shortest TTL placed, "write storm"
 * when requests of one arrival all wrote, "nothing was cached" when breakpoints were placed and
 * answered requests wrote and read nothing (a prefix under the model's minimum), the TTFT p50
 * against the baseline's (only when the variant read from the cache: otherwise the difference is
 * noise), and for every variant behind #1 how much dearer per request it is and what to change.
 * A variant with errors is not ranked and says how many of its requests errored and the first
 * error. Stateless.
 */
final class CacheVariantExplainer {
    /** The longest cache lifetime the API offers, in seconds. */
    private static final double HOUR_S = lifetimeS("1h");

    private CacheVariantExplainer() {}

    static CacheVariantReport explain(SequenceManifest manifest, String baseline, List<CacheVariantReport.Figures> figures,
            List<String> ranking) {
        Map<String, CacheVariantReport.Figures> byId = new LinkedHashMap<>();
        figures.forEach(f -> byId.put(f.id(), f));
        CacheVariantReport.Figures base = baseline == null ? null : byId.get(baseline);
        CacheVariantReport.Figures best = ranking.isEmpty() ? null : byId.get(ranking.get(0));
        List<CacheVariantReport.Figures> out = new ArrayList<>();
        for (CacheVariantReport.Figures f : figures) {
            int rank = ranking.indexOf(f.id());
            SequenceManifest.Variant v = manifest.variant(f.id()).orElseThrow();
            out.add(f.ranked(rank < 0 ? null : rank + 1, sentence(f, v, base, rank > 0 ? best : null)));
        }
        return new CacheVariantReport(manifest.virtualTime(), baseline, List.copyOf(out), List.copyOf(ranking),
                summary(byId, base, ranking));
    }

    private static String sentence(CacheVariantReport.Figures f, SequenceManifest.Variant v,
            CacheVariantReport.Figures base, CacheVariantReport.Figures best) {
        if (f.sentAll() == 0) {
            return f.layout() + ": no request was sent.";
        }
        if (f.erroredAll() > 0) {
            return f.layout() + ": not ranked: " + errors(f) + "; its figures cover the "
                    + (f.sentAll() - f.erroredAll()) + " answered request" + (f.sentAll() - f.erroredAll() == 1 ? "" : "s")
                    + " only.";
        }
        if (f.costPerRequestUsd() == null) {
            return f.layout() + ": unpriced (no price for the model), not ranked.";
        }
        StringBuilder sb = new StringBuilder(f.layout()).append(": ");
        if (base != null && base.id().equals(f.id())) {
            sb.append(usd(f.costPerRequestInclWarmupUsd())).append(" per request, the baseline the others are compared with");
        } else {
            sb.append(compared(f, base));
            if (f.hitRatio() != null) {
                sb.append(", hit ratio ").append(pct(f.hitRatio()));
            }
        }
        boolean cached = f.cacheReadTokens() > 0 || f.cacheWrite5mTokens() + f.cacheWrite1hTokens() > 0
                || f.firstWriteCostUsd() != null;
        if (!v.placements().isEmpty() && !cached) {
            sb.append("; nothing was cached: the marked prefix is below the model's minimum cacheable length");
        }
        if (f.firstWriteCostUsd() != null && f.rewrites() == 0 && f.stormWrites() == 0) {
            sb.append("; the one-time cache write (").append(f.firstWriteInWarmup() ? "the warm-up" : "its first arrival")
                    .append(") cost ").append(usd(f.firstWriteCostUsd())).append(", counted in the ranking");
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
                    .append(f.stormWrites()).append(" extra write").append(f.stormWrites() == 1 ? "" : "s").append(" paid");
            if (best == null) {
                sb.append(" — send one request (or a warm-up) first"); // behind #1, the reason below says it
            }
        }
        if (base != null && !base.id().equals(f.id()) && f.cacheReadTokens() > 0 && f.ttftP50Ms() != null
                && base.ttftP50Ms() != null) {
            sb.append("; TTFT p50 ").append(ms(f.ttftP50Ms())).append(" vs ").append(ms(base.ttftP50Ms()))
                    .append(" uncached");
        }
        if (best != null) {
            sb.append("; ").append(usd(f.costPerRequestInclWarmupUsd() - best.costPerRequestInclWarmupUsd()))
                    .append(" per request dearer than ").append(best.id()).append(" (#1): ").append(behind(f, v, cached));
        }
        return sb.append('.').toString();
    }

    /** Why a variant loses to #1, with the fix, from the first cause that applies. */
    private static String behind(CacheVariantReport.Figures f, SequenceManifest.Variant v, boolean cached) {
        if (v.placements().isEmpty()) {
            return "nothing is cached, every request pays the full input price";
        }
        if (expires(f)) {
            List<String> expiring = new ArrayList<>();
            for (SequenceManifest.Placement p : v.placements()) {
                if (lifetimeS(p.ttl()) < f.maxGapS()) {
                    expiring.add(p.at());
                }
            }
            boolean one = expiring.size() == 1;
            String fix = f.maxGapS() < HOUR_S ? (one ? "drop it or make it 1h" : "drop them or make them 1h")
                    : "no TTL outlives your gaps, so drop " + (one ? "it" : "them");
            return "its " + ttl(f.shortestTtlS()) + " breakpoint" + (one ? "" : "s") + " at " + String.join(", ", expiring)
                    + (one ? " is" : " are") + " written again at every arrival — " + fix;
        }
        if (f.stormWrites() > 0) {
            return "the storm's " + f.stormWrites() + " extra write" + (f.stormWrites() == 1 ? "" : "s")
                    + " — send one request (or a warm-up) before the burst";
        }
        if (!cached) {
            return "nothing was cached — mark a later block so the prefix reaches the model's minimum, or drop it";
        }
        if (f.rewrites() > 0) {
            return "entries were evicted and written again — fewer distinct prefixes, or a 1h TTL";
        }
        return "it reads less of the prompt from the cache (hit ratio " + (f.hitRatio() == null ? "n/a" : pct(f.hitRatio()))
                + ") — mark a later block of the shared prefix";
    }

    /** "2 of 7 requests errored: invalid_request (400 invalid_request_error): …" */
    static String errors(CacheVariantReport.Figures f) {
        return f.erroredAll() + " of " + f.sentAll() + " request" + (f.sentAll() == 1 ? "" : "s") + " errored: "
                + f.firstError();
    }

    private static String compared(CacheVariantReport.Figures f, CacheVariantReport.Figures base) {
        String against = base != null ? "'" + base.id() + "'" : "the same requests uncached";
        if (f.savingsPct() == null) {
            return usd(f.costPerRequestInclWarmupUsd()) + " per request";
        }
        long whole = Math.round(f.savingsPct() * 100);
        return whole == 0 ? "costs the same as " + against
                : whole > 0 ? whole + " % cheaper than " + against : -whole + " % dearer than " + against;
    }

    private static String summary(Map<String, CacheVariantReport.Figures> byId, CacheVariantReport.Figures base,
            List<String> ranking) {
        List<String> errored = new ArrayList<>();
        for (CacheVariantReport.Figures f : byId.values()) {
            if (f.erroredAll() > 0) {
                errored.add(f.id() + " (" + f.erroredAll() + " of " + f.sentAll() + " errored)");
            }
        }
        String notRanked = errored.isEmpty() ? "" : "; not ranked, requests errored: " + String.join(", ", errored);
        if (ranking.isEmpty()) {
            return "No variant could be priced without errors, so none is ranked" + notRanked + ".";
        }
        CacheVariantReport.Figures best = byId.get(ranking.get(0));
        StringBuilder sb = new StringBuilder("Cheapest: ").append(best.id()).append(" (").append(best.layout())
                .append("), ").append(compared(best, base));
        List<String> expired = new ArrayList<>();
        List<String> storms = new ArrayList<>();
        for (CacheVariantReport.Figures f : byId.values()) {
            if (f.erroredAll() > 0) {
                continue;
            }
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
        return sb.append(notRanked).append('.').toString();
    }

    /** A later arrival wrote again and the gaps are longer than the shortest TTL placed. */
    private static boolean expires(CacheVariantReport.Figures f) {
        return f.rewrites() > 0 && f.shortestTtlS() != null && f.maxGapS() > f.shortestTtlS();
    }

    private static double lifetimeS(String ttl) {
        return CacheVariant.lifetimeOf(ttl).toNanos() / 1e9;
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
