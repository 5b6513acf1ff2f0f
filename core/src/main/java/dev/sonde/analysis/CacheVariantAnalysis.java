package dev.sonde.analysis;

import dev.sonde.stats.Percentiles;
import dev.sonde.stats.Samples;
import java.util.Arrays;

import dev.sonde.journal.SequenceManifest;
import dev.sonde.journal.TrialResult;
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

/**
 * Per cache variant figures of a run, from its journal and {@code variants.json}
 * ({@link SequenceManifest}): tokens by kind, hit ratio, cost per request and in total, savings
 * against the {@code none} variant (else against the same usage uncached), TTFT p50/p95, TTL
 * expiries between arrivals and write storms, then a ranking with plain-language explanations
 * ({@link CacheVariantExplainer}). Only variants with trials in the journal are listed (a shard
 * holds some); skipped and replayed trials count nowhere.
 *
 * <p><b>Two bases.</b> Tokens, hit ratio, TTFT and {@code cost_per_request_usd} are the
 * <i>steady state</i>: measured requests only. The ranking and the savings are on the
 * <i>total</i>: every request the variant sent, its warm-up included, so a variant whose cache write
 * sits in a warm-up and one that pays its own writes in the measured requests are compared on the
 * same money ({@code cost_per_request_incl_warmup_usd} = (measured + warm-up cost) ÷ (measured +
 * warm-up requests)).
 *
 * <p><b>Errors.</b> An errored request (warm-up or measured) counts in {@code errored} /
 * {@code warmup_errored} and nowhere else — not in cost, tokens, TTFT, rewrites or storms — and
 * its variant is not ranked and has no savings: what it did not pay says nothing about its layout.
 * Memory grows with variants and arrivals, not with anything else (a variant's TTFT samples are
 * kept raw up to 256, then as a histogram).
 * Not thread-safe.
 */
public final class CacheVariantAnalysis implements TrialFold {
    private final SequenceManifest manifest;
    private final Map<String, Acc> byVariant = new LinkedHashMap<>();
    /** sequence → arrival → what it did */
    private final Map<String, TreeMap<Integer, Arrival>> arrivals = new HashMap<>();
    private final Map<String, String> variantOfSequence = new HashMap<>();

    /** One arrival of one sequence: its answered requests that wrote the cache, and what they cost. */
    private static final class Arrival {
        int writers;
        double writersCost;
        boolean warmup;
    }

    /** An empty analysis of the variants {@code manifest} planned; feed it the run's trials. */
    public CacheVariantAnalysis(SequenceManifest manifest) {
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
        JournalPass.run(dir.resolve("trials.jsonl"), java.util.List.of(analysis));
        return Optional.of(analysis.report());
    }

    /** The folds of a run in {@code dir} that had variants, or null when it had none. */
    public static CacheVariantAnalysis forRun(Path dir) throws IOException {
        return SequenceManifest.read(dir).map(CacheVariantAnalysis::new).orElse(null);
    }

    /** Sums per variant. */
    private static final class Acc {
        int requests;
        int errored;
        int warmups;
        int warmupErrored;
        String firstError;
        double warmupCost;
        double warmupUncached;
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
        final Ttft ttft = new Ttft();
    }

    /**
     * A variant's TTFT samples in bounded memory: the raw values while there are at most
     * {@value #RAW} (percentiles exact, nearest rank), then the {@link Samples} histogram of all of
     * them (3 significant digits).
     */
    static final class Ttft {
        static final int RAW = 256;
        private final double[] raw = new double[RAW];
        private final Samples all = new Samples(Samples.MILLIS);

        void add(double ms) {
            if (all.count() < RAW) {
                raw[(int) all.count()] = ms;
            }
            all.record(ms);
        }

        /** Nearest rank (exact while small, else at histogram resolution); null for no values. */
        Double percentile(double p) {
            long n = all.count();
            if (n == 0) {
                return null;
            }
            if (n <= RAW) {
                double[] sorted = Arrays.copyOf(raw, (int) n);
                Arrays.sort(sorted);
                return Percentiles.nearestRank(sorted, p / 100);
            }
            return all.percentile(p);
        }
    }

    /**
     * Counts {@code t} in its variant's figures. A trial outside the manifest's variants is ignored; a skipped
     * or replayed one only marks its variant as present in the journal.
     */
    @Override
    public void add(TrialResult t) {
        SequencePlan.Position p = t.position();
        Acc acc = p == null ? null : byVariant.get(p.variant());
        if (acc == null) {
            return;
        }
        acc.seen = true;
        if (t.skipped() != null || t.replayed()) {
            return;
        }
        if (p.warmup()) {
            acc.warmups++;
        } else {
            acc.requests++;
        }
        if (t.error() != null) {
            acc.errored += p.warmup() ? 0 : 1;
            acc.warmupErrored += p.warmup() ? 1 : 0;
            if (acc.firstError == null) {
                acc.firstError = t.error().describe();
            }
            return;
        }
        SequenceSpec spec = manifest.variant(p.variant()).orElseThrow().sequence();
        Usage u = t.usage() == null ? Usage.NONE : Usage.fromJson(t.usage());
        variantOfSequence.putIfAbsent(p.sequence(), p.variant());
        Arrival arrival = arrivals.computeIfAbsent(p.sequence(), k -> new TreeMap<>())
                .computeIfAbsent(spec.arrivalOf(p.index()), k -> new Arrival());
        boolean wrote = u.cacheCreationInputTokens() > 0;
        arrival.writers += wrote ? 1 : 0;
        arrival.writersCost += wrote && t.costUsd() != null ? t.costUsd() : 0;
        arrival.warmup = p.warmup();
        acc.unpriced |= t.costUsd() == null;
        double uncached = t.costUsd() == null ? 0 : t.costUsd() + (t.cacheSavingsUsd() == null ? 0 : t.cacheSavingsUsd());
        if (p.warmup()) {
            acc.warmupCost += t.costUsd() == null ? 0 : t.costUsd();
            acc.warmupUncached += uncached;
            return;
        }
        acc.input += u.inputTokens();
        acc.write5m += u.cacheWrite5mTokens();
        acc.write1h += u.cacheWrite1hTokens();
        acc.creation += u.cacheCreationInputTokens();
        acc.read += u.cacheReadInputTokens();
        acc.output += u.outputTokens();
        if (t.costUsd() != null) {
            acc.cost += t.costUsd();
            acc.uncached += uncached;
        }
        if (t.timings() != null && t.timings().ttftMs() != null) {
            acc.ttft.add(t.timings().ttftMs());
        }
    }

    /** Answered measured requests. */
    private static int measured(Acc a) {
        return a.requests - a.errored;
    }

    /** Answered requests, the warm-up included: the ranking's denominator. */
    private static int sent(Acc a) {
        return measured(a) + a.warmups - a.warmupErrored;
    }

    /** Priced, error-free and with answered requests: it can be ranked and be the baseline. */
    private static boolean rankable(Acc a) {
        return !a.unpriced && a.errored == 0 && a.warmupErrored == 0 && measured(a) > 0;
    }

    /** The report of every trial added so far. */
    public CacheVariantReport report() {
        Map<String, double[]> events = new HashMap<>(); // variant → [rewrites, storm writes, first-write cost, warm-up wrote]
        for (Map.Entry<String, TreeMap<Integer, Arrival>> s : arrivals.entrySet()) {
            double[] e = events.computeIfAbsent(variantOfSequence.get(s.getKey()), k -> new double[4]);
            boolean written = false;
            for (Arrival a : s.getValue().values()) {
                e[0] += written && a.writers > 0 ? 1 : 0;
                e[1] += Math.max(0, a.writers - 1);
                if (!written && a.writers > 0) {
                    e[2] += a.writersCost;
                    e[3] = a.warmup ? 1 : e[3];
                }
                written |= a.writers > 0;
            }
        }
        String baseline = manifest.variants().stream().filter(v -> v.placements().isEmpty())
                .filter(v -> rankable(byVariant.get(v.id())))
                .map(SequenceManifest.Variant::id).findFirst().orElse(null);
        Double baseCpr = baseline == null ? null : total(byVariant.get(baseline)) / sent(byVariant.get(baseline));
        List<CacheVariantReport.Figures> figures = new ArrayList<>();
        for (SequenceManifest.Variant v : manifest.variants()) {
            Acc a = byVariant.get(v.id());
            if (!a.seen) {
                continue; // another shard's, or not journaled yet
            }
            double[] e = events.getOrDefault(v.id(), new double[4]);
            boolean priced = !a.unpriced && measured(a) > 0;
            boolean ranked = rankable(a);
            Double cpr = priced ? a.cost / measured(a) : null;
            Double all = priced ? total(a) / sent(a) : null;
            double uncached = a.uncached + a.warmupUncached;
            Double savings = !ranked ? null : baseCpr != null ? baseCpr * sent(a) - total(a) : uncached - total(a);
            Double pct = !ranked ? null : baseCpr != null ? (baseCpr > 0 ? 1 - all / baseCpr : null)
                    : (uncached > 0 ? savings / uncached : null);
            long denominator = a.input + a.creation + a.read;
            figures.add(new CacheVariantReport.Figures(v.id(), v.layout(), a.requests, a.errored, v.concurrency(),
                    v.interArrivalS().stream().mapToDouble(Double::doubleValue).max().orElse(0), v.shortestTtlS(),
                    a.warmups, a.unpriced ? null : a.warmupCost, a.input, a.write5m, a.write1h, a.read, a.output,
                    denominator == 0 ? null : (double) a.read / denominator, priced ? a.cost : null, cpr,
                    priced ? uncached : null, savings, pct, a.ttft.percentile(50), a.ttft.percentile(95), (int) e[0],
                    (int) e[1], null, null, a.warmupErrored, a.firstError, priced ? total(a) : null, all,
                    priced && e[2] > 0 ? e[2] : null, e[3] > 0));
        }
        List<String> ranking = figures.stream()
                .filter(f -> f.costPerRequestInclWarmupUsd() != null && f.errored() == 0 && f.warmupErrored() == 0)
                .sorted(Comparator.comparingDouble(CacheVariantReport.Figures::costPerRequestInclWarmupUsd))
                .map(CacheVariantReport.Figures::id).toList();
        return CacheVariantExplainer.explain(manifest, baseline, figures, ranking);
    }

    /** What the variant's answered requests cost, the warm-up included. */
    private static double total(Acc a) {
        return a.cost + a.warmupCost;
    }
}
