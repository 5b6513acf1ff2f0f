package dev.sonde.migration;

import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.TrialFold;
import dev.sonde.stats.PairedProportions;
import dev.sonde.stats.CaseBootstrap;
import dev.sonde.stats.Reservoir;
import dev.sonde.journal.TrialResult;
import dev.sonde.run.RunResult;
import dev.sonde.suite.CompareSpec;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Evaluates a suite's {@code compare:} section on a finished run ({@link ModelComparison}), fed by
 * the run's one pass over its journal: per compared model and case it keeps the pass verdict, sums
 * of cost and tokens, and the latency samples in a {@link Reservoir} (all of them up to
 * {@value Reservoir#CAPACITY} per case, then a uniform sample standing for all), so memory grows with
 * cases, never with repeats — but for one 64-bit fingerprint of each answered trial's output
 * ({@link OutputDigest}: final text and tool calls), 8 bytes a trial, which pairs trials of the same
 * case and repeat index to count byte-identical answers ({@link ModelComparison.SameOutput}).
 * Replayed trials ({@code --cache}) count for pass/fail only; skipped and errored trials count as
 * not passing and add no cost, tokens or latency; a trial none of whose checks applied has no
 * verdict and neither passes nor fails its case. Deterministic: the same journal gives the same block.
 */
public final class Migration {
    static final String PASS_RULE = "all_repeats";
    /** The fewest newly failing cases (none newly passing) the exact McNemar test finds significant at 5 %: 6. */
    static final int DETECTABLE_CASES = PairedProportions.fewestSignificantDiscordant(0.05);
    static final List<String> METHODS = List.of(
            "case pass: every repeat of the case on that model passed (errored or skipped repeats fail it)",
            "pass-rate difference: candidate − baseline over the cases run on both, 95 % CI by Newcombe's hybrid"
                    + " score interval for paired proportions (Newcombe 1998, method 10)",
            "paired test: exact McNemar (two-sided binomial test on the discordant cases, p = ½)",
            "smallest detectable drop: the fewest newly failing cases, none newly passing, that the exact McNemar"
                    + " test finds significant at 5 % (" + DETECTABLE_CASES + "), as percentage points of the paired"
                    + " cases; when it exceeds max_pass_rate_drop_pp the suite cannot show the tolerated drop and"
                    + " the paragraph says what the decision rests on",
            "cost, tokens: per-case means over repeats; 95 % CIs by seeded percentile bootstrap over cases ("
                    + CaseBootstrap.REPLICATES + " replicates, candidate and baseline resampled as pairs)",
            "latency: nearest-rank p50/p95 over successful trials; 95 % CIs by seeded cluster bootstrap (cases"
                    + " resampled with all their trials, the same cases for both models); a case with more than "
                    + Reservoir.CAPACITY + " successful trials on a model enters as a seeded uniform sample of "
                    + Reservoir.CAPACITY + ", each standing for its share of them",
            "same output: trials of the same case and repeat index answered on both models are paired; an"
                    + " identical pair has byte-identical final text and tool calls (name and input; not the call id)"
                    + ", told by the first 64 bits of a SHA-256 of each",
            "errored trials: fail their case; left out of cost, tokens and latency",
            "not-evaluated trials (no check applied, e.g. a latency bound on a batch answer): no verdict, so they"
                    + " neither pass nor fail their case; a case with no verdict on one model is left out of the pass rate",
            "cheaper / faster: only when the 95 % CI excludes no change (cost ratio CI high < 1, p95 change CI"
                    + " high < 0)");

    private Migration() {}

    /** What one model did on one case, over its repeats. */
    static final class CaseData {
        int trials;
        /** Trials with a verdict: every one but those none of whose checks applied ({@link TrialResult#notEvaluated()}). */
        int judged;
        int errored;
        boolean allPassed = true;
        boolean unpriced;
        double costSum;
        int costCount;
        double outputSum;
        double thinkingSum;
        int tokenCount;
        final Reservoir ttft;
        final Reservoir e2e;
        /** By repeat index: the output fingerprint of each answered repeat (set in {@code answered}). */
        private long[] outputs = new long[0];
        private final java.util.BitSet answered = new java.util.BitSet();

        /** @param seed the case's own (its id and model label), so a case's sample never depends on another's */
        CaseData(long seed) {
            ttft = new Reservoir(seed);
            e2e = new Reservoir(~seed);
        }

        /** @param output the trial's {@link OutputDigest} fingerprint (read only when it was answered) */
        void add(TrialResult t, long output) {
            trials++;
            if (!t.notEvaluated()) { // no check applied (a latency bound on a batch answer): no verdict, not a fail
                judged++;
                allPassed &= t.pass();
            }
            if (t.skipped() == null && t.error() == null && t.repeat() >= 0 && t.repeat() < Plan.MAX_REPEAT) {
                if (t.repeat() >= outputs.length) {
                    outputs = java.util.Arrays.copyOf(outputs, t.repeat() + 1);
                }
                outputs[t.repeat()] = output;
                answered.set(t.repeat());
            }
            if (t.skipped() != null || t.replayed()) {
                return;
            }
            if (t.error() != null) {
                errored++;
                return;
            }
            if (t.unpriced()) {
                unpriced = true;
            } else if (t.costUsd() != null) {
                costSum += t.costUsd();
                costCount++;
            }
            if (t.usage() != null && t.usage().has("output_tokens")) {
                outputSum += t.usage().path("output_tokens").asDouble();
                thinkingSum += t.usage().path("output_tokens_details").path("thinking_tokens").asDouble(0);
                tokenCount++;
            }
            if (t.timings() != null) {
                if (t.timings().ttftMs() != null) {
                    ttft.add(t.timings().ttftMs());
                }
                if (t.timings().e2eMs() != null) {
                    e2e.add(t.timings().e2eMs());
                }
            }
        }
    }

    /** The suite's comparison on {@code run}, or null when the suite has no {@code compare:}. */
    public static ModelComparison compare(Suite suite, RunResult run) throws IOException {
        Collector collector = collector(suite);
        if (collector == null) {
            return null;
        }
        JournalPass.run(run.journal(), List.of(collector));
        return compare(suite, run, collector);
    }

    /**
     * What the comparison needs from the run's trials, to be fed by its one pass over the journal;
     * null when the suite has no {@code compare:}.
     */
    public static Collector collector(Suite suite) {
        return suite.compare() == null ? null : new Collector(suite.compare());
    }

    /** The compared models' trials, case by case (a few numbers per trial of those models). */
    public static final class Collector implements TrialFold {
        private final Map<String, Map<String, CaseData>> byModel = new HashMap<>();
        private final OutputDigest digest = new OutputDigest();

        private Collector(CompareSpec spec) {
            byModel.put(spec.baseline(), new LinkedHashMap<>());
            spec.candidates().forEach(m -> byModel.put(m, new LinkedHashMap<>()));
        }

        @Override
        public void add(TrialResult t) {
            Map<String, CaseData> cases = byModel.get(t.model());
            if (cases != null) {
                boolean answered = t.skipped() == null && t.error() == null;
                cases.computeIfAbsent(t.caseId(), k -> new CaseData(31L * k.hashCode() + t.model().hashCode()))
                        .add(t, answered ? digest.of(t) : 0);
            }
        }
    }

    /** The suite's comparison from what {@code collector} gathered; null when it is null. */
    public static ModelComparison compare(Suite suite, RunResult run, Collector collector) {
        if (collector == null) {
            return null;
        }
        CompareSpec spec = suite.compare();
        Map<String, Map<String, CaseData>> byModel = collector.byModel;
        List<String> caseOrder = java.util.stream.IntStream.range(0, suite.cases().size()).mapToObj(suite::caseId).toList();
        Map<String, CaseData> base = byModel.get(spec.baseline());
        List<ModelComparison.Candidate> candidates = new ArrayList<>();
        for (String c : spec.candidates()) {
            String baseName = displayName(suite, spec.baseline(), c);
            String candName = displayName(suite, c, spec.baseline());
            List<String> params = ParamDifferences.of(baseName, suite.model(spec.baseline()).params(), candName,
                    suite.model(c).params());
            candidates.add(candidate(spec, c, suite.model(c).model(), candName, baseName, caseOrder, base,
                    byModel.get(c), params));
        }
        CompareSpec.Volume v = spec.volume();
        return new ModelComparison(spec.baseline(), suite.model(spec.baseline()).model(), PASS_RULE,
                suite.run().repeat(), spec.maxPassRateDropPp(), spec.maxExceptedCases(),
                new ModelComparison.Volume(v.basis(), v.requestsPerMonth() != null ? v.requestsPerMonth()
                        : v.perCase().isEmpty() ? null : v.perCase().values().stream().mapToDouble(x -> x).sum(),
                        v.perCase()),
                METHODS, candidates);
    }

    /**
     * The API model id, or the label when both compared models send the same id or go through
     * different providers (a platform's own id — {@code us.anthropic.…-v1:0} — says less than the
     * label the suite gave it, and two platforms may share one id).
     */
    private static String displayName(Suite suite, String label, String other) {
        ModelSpec m = suite.model(label);
        ModelSpec o = suite.model(other);
        return m.model().equals(o.model()) || !m.provider().equals(o.provider()) ? label : m.model();
    }

    static ModelComparison.Candidate candidate(CompareSpec spec, String label, String modelId, String name,
            String baseName, List<String> caseOrder, Map<String, CaseData> base, Map<String, CaseData> cand,
            List<String> paramDifferences) {
        List<String> paired = new ArrayList<>();
        List<String> unpaired = new ArrayList<>();
        for (String id : caseOrder) {
            boolean inBase = base.containsKey(id) && base.get(id).trials > 0;
            boolean inCand = cand.containsKey(id) && cand.get(id).trials > 0;
            if (inBase && inCand) {
                paired.add(id);
            } else if (inBase || inCand) {
                unpaired.add(id);
            }
        }
        long both = 0;
        long bothFail = 0;
        List<String> newlyFailing = new ArrayList<>();
        List<String> newlyPassing = new ArrayList<>();
        List<String> unjudged = new ArrayList<>();
        for (String id : paired) {
            if (base.get(id).judged == 0 || cand.get(id).judged == 0) {
                unjudged.add(id); // run on both, but one side has no verdict: in cost and latency, not in pass rate
                continue;
            }
            boolean b = base.get(id).allPassed;
            boolean c = cand.get(id).allPassed;
            if (b && c) {
                both++;
            } else if (b) {
                newlyFailing.add(id);
            } else if (c) {
                newlyPassing.add(id);
            } else {
                bothFail++;
            }
        }
        ModelComparison.Agreement agreement = new ModelComparison.Agreement(paired.size() - unjudged.size(), both,
                newlyFailing.size(), newlyPassing.size(), bothFail, newlyFailing, newlyPassing, unpaired, unjudged);
        ModelComparison.PassRate passRate = passRate(agreement);
        ModelComparison.CostChange cost = CostProjection.of(spec.volume(), paired, newlyFailing, base, cand,
                d -> d.unpriced, d -> d.costCount == 0 ? Double.NaN : d.costSum / d.costCount, d -> d.costSum);
        List<ModelComparison.LatencyChange> latency = List.of(
                latency("ttft_ms", paired, base, cand, d -> d.ttft),
                latency("e2e_ms", paired, base, cand, d -> d.e2e));
        ModelComparison.TokenChange tokens = tokens(paired, base, cand);
        ModelComparison.SameOutput same = sameOutput(paired, base, cand);
        long baseErrored = paired.stream().mapToLong(id -> base.get(id).errored).sum();
        long candErrored = paired.stream().mapToLong(id -> cand.get(id).errored).sum();
        ModelComparison.Recommendation rec = Recommendation.decide(spec,
                new Recommendation.Facts(name, baseName, agreement, passRate, cost, latency, tokens, baseErrored,
                        candErrored, paramDifferences));
        return new ModelComparison.Candidate(label, modelId, name, baseName, agreement, passRate, cost, latency, tokens,
                rec, baseErrored, candErrored, paramDifferences, same);
    }

    /** Over the paired cases, the repeats answered on both models and those whose outputs are byte-identical. */
    static ModelComparison.SameOutput sameOutput(List<String> paired, Map<String, CaseData> base,
            Map<String, CaseData> cand) {
        long pairs = 0;
        long identical = 0;
        for (String id : paired) {
            CaseData b = base.get(id);
            CaseData c = cand.get(id);
            java.util.BitSet both = (java.util.BitSet) b.answered.clone();
            both.and(c.answered);
            for (int r = both.nextSetBit(0); r >= 0; r = both.nextSetBit(r + 1)) {
                pairs++;
                if (b.outputs[r] == c.outputs[r]) {
                    identical++;
                }
            }
        }
        return new ModelComparison.SameOutput(pairs, identical);
    }

    static ModelComparison.PassRate passRate(ModelComparison.Agreement g) {
        long n = g.cases();
        double[] ci = PairedProportions.newcombeCi(g.bothPass(), g.newlyFailing(), g.newlyPassing(), g.bothFail());
        return new ModelComparison.PassRate(n == 0 ? 0 : (double) g.baselinePasses() / n,
                n == 0 ? 0 : (double) g.candidatePasses() / n,
                n == 0 ? 0 : 100.0 * (g.newlyPassing() - g.newlyFailing()) / n,
                ci == null ? null : 100 * ci[0], ci == null ? null : 100 * ci[1],
                "Newcombe hybrid score (paired, method 10), 95 %",
                PairedProportions.mcnemarExactP(g.newlyFailing(), g.newlyPassing()), DETECTABLE_CASES,
                n < DETECTABLE_CASES ? null : 100.0 * DETECTABLE_CASES / n);
    }

    private static ModelComparison.LatencyChange latency(String metric, List<String> paired,
            Map<String, CaseData> base, Map<String, CaseData> cand,
            java.util.function.Function<CaseData, Reservoir> samples) {
        Clusters b = clusters(paired, base, samples);
        Clusters c = clusters(paired, cand, samples);
        return new ModelComparison.LatencyChange(metric, b.count, c.count, quantile(b, c, 0.50), quantile(b, c, 0.95));
    }

    /**
     * Per paired case (in case order), that model's kept samples, what each stands for (1 unless the
     * case had more than {@value Reservoir#CAPACITY}), and how many samples there were in all.
     */
    record Clusters(double[][] values, double[] weights, long count) {
        static Clusters of(double[][] values) {
            double[] w = new double[values.length];
            java.util.Arrays.fill(w, 1);
            return new Clusters(values, w, java.util.Arrays.stream(values).mapToLong(x -> x.length).sum());
        }
    }

    private static Clusters clusters(List<String> paired, Map<String, CaseData> data,
            java.util.function.Function<CaseData, Reservoir> samples) {
        double[][] values = new double[paired.size()][];
        double[] weights = new double[paired.size()];
        long count = 0;
        for (int i = 0; i < paired.size(); i++) {
            Reservoir r = samples.apply(data.get(paired.get(i)));
            values[i] = r.values();
            weights[i] = r.weight();
            count += r.seen();
        }
        return new Clusters(values, weights, count);
    }

    /**
     * Nearest-rank quantiles of all samples, with CIs from a cluster bootstrap over the paired
     * cases; the change's CI draws the same cases for both models (a paired resample).
     */
    static ModelComparison.Quantile quantile(Clusters b, Clusters c, double q) {
        int n = b.values().length;
        int[] all = CaseBootstrap.all(n);
        Double qb = b.count() == 0 ? null : CaseBootstrap.clusterQuantile(b.values(), b.weights(), all, q);
        Double qc = c.count() == 0 ? null : CaseBootstrap.clusterQuantile(c.values(), c.weights(), all, q);
        double[] bCi = qb == null ? null
                : CaseBootstrap.ci(n, d -> CaseBootstrap.clusterQuantile(b.values(), b.weights(), d, q));
        double[] cCi = qc == null ? null
                : CaseBootstrap.ci(n, d -> CaseBootstrap.clusterQuantile(c.values(), c.weights(), d, q));
        double[] changeCi = qb == null || qc == null ? null : CaseBootstrap.ci(n, d -> {
            double base = CaseBootstrap.clusterQuantile(b.values(), b.weights(), d, q);
            return base > 0 ? CaseBootstrap.clusterQuantile(c.values(), c.weights(), d, q) / base - 1 : Double.NaN;
        });
        Double change = qb != null && qc != null && qb > 0 ? qc / qb - 1 : null;
        return new ModelComparison.Quantile(qb, low(bCi), high(bCi), qc, low(cCi), high(cCi), change, low(changeCi),
                high(changeCi));
    }

    private static ModelComparison.TokenChange tokens(List<String> paired, Map<String, CaseData> base,
            Map<String, CaseData> cand) {
        List<String> ids = paired.stream().filter(id -> base.get(id).tokenCount > 0 && cand.get(id).tokenCount > 0)
                .toList();
        int n = ids.size();
        double[] bOut = perCase(ids, base, d -> d.outputSum / d.tokenCount);
        double[] cOut = perCase(ids, cand, d -> d.outputSum / d.tokenCount);
        double[] bThink = perCase(ids, base, d -> d.thinkingSum / d.tokenCount);
        double[] cThink = perCase(ids, cand, d -> d.thinkingSum / d.tokenCount);
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        double[] outDiff = new double[n];
        double[] thinkDiff = new double[n];
        for (int i = 0; i < n; i++) {
            outDiff[i] = cOut[i] - bOut[i];
            thinkDiff[i] = cThink[i] - bThink[i];
        }
        int[] all = CaseBootstrap.all(n);
        double[] outCi = CaseBootstrap.ci(n, d -> CaseBootstrap.weightedMean(outDiff, ones, d));
        double[] thinkCi = CaseBootstrap.ci(n, d -> CaseBootstrap.weightedMean(thinkDiff, ones, d));
        Double bMean = n == 0 ? null : CaseBootstrap.weightedMean(bOut, ones, all);
        Double cMean = n == 0 ? null : CaseBootstrap.weightedMean(cOut, ones, all);
        return new ModelComparison.TokenChange(n, bMean, cMean,
                n == 0 ? null : CaseBootstrap.weightedMean(outDiff, ones, all), low(outCi), high(outCi),
                bMean == null || bMean == 0 ? null : cMean / bMean - 1,
                n == 0 ? null : CaseBootstrap.weightedMean(bThink, ones, all),
                n == 0 ? null : CaseBootstrap.weightedMean(cThink, ones, all),
                n == 0 ? null : CaseBootstrap.weightedMean(thinkDiff, ones, all), low(thinkCi), high(thinkCi));
    }

    private static double[] perCase(List<String> ids, Map<String, CaseData> data, ToDoubleFunction<CaseData> f) {
        return ids.stream().mapToDouble(id -> f.applyAsDouble(data.get(id))).toArray();
    }

    static Double low(double[] ci) {
        return ci == null ? null : ci[0];
    }

    static Double high(double[] ci) {
        return ci == null ? null : ci[1];
    }
}
