package dev.sonde.run;

import dev.sonde.metrics.Usage;
import dev.sonde.suite.SequencePlan;
import dev.sonde.suite.SequenceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Per cache variant figures of a run, from its journal and {@code variants.json}
 * ({@link SequenceManifest}): tokens by kind, hit ratio, cost per request and in total, savings
 * against the {@code none} variant (else against the same usage uncached), TTFT p50/p95, TTL
 * expiries between arrivals and write storms, then a ranking by cost per request (the same order
 * as by total cost when every variant sends the same number of requests) with plain-language
 * explanations ({@link CacheVariantExplainer}). Only variants with trials in the journal are
 * listed (a shard holds some); skipped and replayed trials count nowhere;
 * warm-ups count only in the warm-up figures. Memory grows with variants and arrivals (and TTFT
 * samples per variant), not with anything else. Not thread-safe.
 */
public final class CacheVariantAnalysis {
    private final SequenceManifest manifest;
    private final Map<String, Acc> byVariant = new LinkedHashMap<>();
    /** sequence → arrival → [requests that wrote, requests] */
    private final Map<String, TreeMap<Integer, int[]>> arrivals = new HashMap<>();

    CacheVariantAnalysis(SequenceManifest manifest) {
        this.manifest = manifest;
        manifest.variants().forEach(v -> byVariant.put(v.id(), new Acc()));
    }

    /** The analysis of the run in {@code dir}, or empty when it had no variants. */
    public static Optional<CacheVariantReport> of(Path dir) throws IOException {
        Optional<SequenceManifest> manifest = SequenceManifest.read(dir);
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        CacheVariantAnalysis analysis = new CacheVariantAnalysis(manifest.get());
        try (Stream<TrialResult> trials = Journal.read(dir.resolve("trials.jsonl"))) {
            trials.forEach(analysis::add);
        }
        return Optional.of(analysis.report());
    }

    /** The analysis of a finished run, or empty when it had no variants. */
    public static Optional<CacheVariantReport> of(RunResult run) throws IOException {
        return of(run.outDir());
    }

    /** Sums per variant. */
    private static final class Acc {
        int requests;
        int errored;
        int warmups;
        double warmupCost;
        long input;
        long write5m;
        long write1h;
        long creation;
        long read;
        long output;
        double cost;
        double uncached;
        boolean unpriced;
        boolean seen;
        final List<Double> ttft = new ArrayList<>();
    }

    void add(TrialResult t) {
        SequencePlan.Position p = SequencePlan.Position.of(t.trialId());
        Acc acc = p == null ? null : byVariant.get(p.variant());
        if (acc == null) {
            return;
        }
        acc.seen = true;
        if (t.skipped() != null || t.replayed()) {
            return;
        }
        SequenceSpec spec = manifest.variant(p.variant()).orElseThrow().sequence();
        Usage u = t.usage() == null ? Usage.NONE : Usage.fromJson(t.usage());
        int[] arrival = arrivals.computeIfAbsent(p.sequence(), k -> new TreeMap<>())
                .computeIfAbsent(p.warmup() ? 0 : spec.arrivalOf(p.index()), k -> new int[2]);
        arrival[0] += u.cacheCreationInputTokens() > 0 ? 1 : 0;
        arrival[1]++;
        if (p.warmup()) {
            acc.warmups++;
            acc.warmupCost += t.costUsd() == null ? 0 : t.costUsd();
            acc.unpriced |= t.costUsd() == null;
            return;
        }
        acc.requests++;
        acc.errored += t.error() != null ? 1 : 0;
        acc.input += u.inputTokens();
        acc.write5m += u.cacheWrite5mTokens();
        acc.write1h += u.cacheWrite1hTokens();
        acc.creation += u.cacheCreationInputTokens();
        acc.read += u.cacheReadInputTokens();
        acc.output += u.outputTokens();
        if (t.costUsd() == null) {
            acc.unpriced = true;
        } else {
            acc.cost += t.costUsd();
            acc.uncached += t.costUsd() + (t.cacheSavingsUsd() == null ? 0 : t.cacheSavingsUsd());
        }
        if (t.timings() != null && t.timings().ttftMs() != null) {
            acc.ttft.add(t.timings().ttftMs());
        }
    }

    CacheVariantReport report() {
        Map<String, int[]> events = new HashMap<>(); // variant → [rewrites, storm writes]
        for (Map.Entry<String, TreeMap<Integer, int[]>> s : arrivals.entrySet()) {
            int[] e = events.computeIfAbsent(s.getKey().substring(s.getKey().lastIndexOf('/') + 1), k -> new int[2]);
            boolean written = false;
            for (int[] a : s.getValue().values()) {
                e[0] += written && a[0] > 0 ? 1 : 0;
                e[1] += Math.max(0, a[0] - 1);
                written |= a[0] > 0;
            }
        }
        String baseline = manifest.variants().stream().filter(v -> v.placements().isEmpty())
                .filter(v -> byVariant.get(v.id()).requests > 0 && !byVariant.get(v.id()).unpriced)
                .map(SequenceManifest.Variant::id).findFirst().orElse(null);
        Double baseCpr = baseline == null ? null : byVariant.get(baseline).cost / byVariant.get(baseline).requests;
        List<CacheVariantReport.Figures> figures = new ArrayList<>();
        for (SequenceManifest.Variant v : manifest.variants()) {
            Acc a = byVariant.get(v.id());
            if (!a.seen) {
                continue; // another shard's, or not journaled yet
            }
            int[] e = events.getOrDefault(v.id(), new int[2]);
            boolean priced = !a.unpriced && a.requests > 0;
            Double cpr = priced ? a.cost / a.requests : null;
            Double savings = !priced ? null : baseCpr != null ? baseCpr * a.requests - a.cost : a.uncached - a.cost;
            Double pct = !priced ? null : baseCpr != null ? (baseCpr > 0 ? 1 - cpr / baseCpr : null)
                    : (a.uncached > 0 ? savings / a.uncached : null);
            long denominator = a.input + a.creation + a.read;
            figures.add(new CacheVariantReport.Figures(v.id(), v.layout(), a.requests, a.errored, v.concurrency(),
                    v.interArrivalS().stream().mapToDouble(Double::doubleValue).max().orElse(0), v.shortestTtlS(),
                    a.warmups, a.unpriced ? null : a.warmupCost, a.input, a.write5m, a.write1h, a.read, a.output,
                    denominator == 0 ? null : (double) a.read / denominator, priced ? a.cost : null, cpr,
                    priced ? a.uncached : null, savings, pct, percentile(a.ttft, 50), percentile(a.ttft, 95), e[0], e[1],
                    null, null));
        }
        List<String> ranking = figures.stream().filter(f -> f.costPerRequestUsd() != null)
                .sorted(Comparator.comparingDouble(CacheVariantReport.Figures::costPerRequestUsd))
                .map(CacheVariantReport.Figures::id).toList();
        return CacheVariantExplainer.explain(manifest.virtualTime(), baseline, figures, ranking);
    }

    /** Nearest rank: the ⌈p/100 · n⌉-th smallest value; null for no values. */
    static Double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(1, rank) - 1);
    }
}
