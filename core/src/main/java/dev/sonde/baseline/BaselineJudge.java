package dev.sonde.baseline;

import dev.sonde.stats.Significance;
import dev.sonde.journal.RunInfo;
import dev.sonde.analysis.Aggregate;
import dev.sonde.analysis.CompareWinners;
import dev.sonde.stats.Samples;
import dev.sonde.stats.PairedBootstrap;
import dev.sonde.run.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a {@link Comparison} of one digested run against one baseline file: case flips, pass
 * rate, latency per model, cost, tokens, cache, repeats — then hands the numbers to
 * {@link GateCheck} for the verdict. Run and baseline are matched case × model ({@link Pairs}); a
 * run of part of its suite (a shard, {@link PlannedPairs}) sees only its own pairs of the baseline.
 * Pure: no I/O.
 */
final class BaselineJudge {
    static final int MAX_LISTED = 20;
    /** Metrics always shown, before any gated one. */
    private static final List<String> SHOWN = List.of("ttft_ms", "e2e_ms");
    /** The level of the intervals the comparison shows (a gate's own interval is at the gate's level). */
    static final double SHOWN_LEVEL = 0.95;

    private BaselineJudge() {}

    /** Pass/total of one case × model. */
    record Tally(String caseId, String model, long trials, long passes) {
        String status() {
            return passes == trials ? "pass" : passes == 0 ? "fail" : "flaky";
        }

        Tally plus(boolean pass) {
            return new Tally(caseId, model, trials + 1, passes + (pass ? 1 : 0));
        }
    }

    static Comparison compare(BaselineFile base, String baselineFile, RunDigest run, RunResult result, Gates gates) {
        Map<String, List<BaselineFile.TrialEntry>> inScope = inScope(base, run.planned);
        Map<String, Tally> before = tally(inScope);
        Map<String, Tally> after = run.tally;
        Pairs pairs = Pairs.of(inScope, before, run, base);
        Comparison.CaseChanges cases = caseChanges(run, before, after);
        Comparison.PassRate passRate = pairs.passRate();
        List<Comparison.LatencyChange> latency = new ArrayList<>();
        Set<String> metrics = new LinkedHashSet<>(SHOWN);
        gates.latency().forEach(g -> metrics.add(g.metric()));
        List<String> models = commonModels(base, run);
        for (String model : models) {
            for (String metric : metrics) {
                latency.add(pairs.timed() ? latency(model, metric, pairs.latency(model, metric))
                        : latency(model, metric, baselineSamples(base, model, metric), runSamples(run, model, metric)));
            }
        }
        Comparison.CostChange cost = pairs.cost(GateCheck.level(gates, 1), run.aggregates.run().stats().costByKind());
        Comparison.TokenChange tokens = pairs.tokens();
        Comparison.CacheChange cache = new Comparison.CacheChange(tokens.baseline().cacheHitRatio(),
                tokens.run().cacheHitRatio());
        Comparison.Repeats repeats = repeats(before, after);

        List<String> notes = new ArrayList<>();
        RunInfo info = result.info();
        if (base.source() != null && info != null && (base.source().live() != info.live()
                || !String.valueOf(base.source().endpoint()).equals(String.valueOf(info.endpoint())))) {
            notes.add("the baseline was recorded against " + base.source().endpoint() + " and this run against "
                    + info.endpoint() + ": latency and cost differences include the change of endpoint");
        }
        String shift = originShift(base.source(), info);
        if (shift != null) {
            notes.add(shift);
        }
        if (!cases.added().isEmpty()) {
            notes.add(cases.added().size() + " case(s) not in the baseline, not gated: " + names(cases.added()));
        }
        if (!cases.removed().isEmpty()) {
            notes.add(cases.removed().size() + " baseline case(s) missing from this run: " + names(cases.removed()));
        }
        List<String> notEvaluated = run.notEvaluated.stream().filter(k -> !after.containsKey(k)).toList();
        if (!notEvaluated.isEmpty()) {
            notes.add(notEvaluated.size() + " case(s) not evaluated, no check applied (e.g. latency bounds on answers"
                    + " without timings), not gated: " + names(notEvaluated));
        }
        GateCheck check = new GateCheck(gates, base, run, pairs);
        Verdict verdict = Verdict.of(check.evaluate(cases, passRate, cost, cache, models), notes);
        return new Comparison(Comparison.Status.COMPARED, baselineFile, verdict.headline(), base.source(), cases,
                passRate, latency, cost, tokens, cache, repeats, run.aggregates.snapshot(), verdict);
    }

    /**
     * The note for a baseline timed from another origin than this run ({@link RunInfo#timingOrigin}),
     * or null when both start at the same event (or either is unknown).
     */
    static String originShift(BaselineFile.Source base, RunInfo info) {
        if (base == null || info == null
                || RunInfo.originOf(base.timingOrigin()).equals(RunInfo.originOf(info.timingOrigin()))) {
            return null;
        }
        return "timing origin shifted: the baseline's latencies start at the " + origin(base.timingOrigin())
                + ", this run's at the " + origin(info.timingOrigin()) + " (dispatch_ms apart), so its TTFB, TTFT"
                + " and E2E read lower by that time; re-accept the baseline to compare like with like";
    }

    /** A recorded timing origin in words. */
    private static String origin(String recorded) {
        return RunInfo.TIMING_ORIGIN.equals(RunInfo.originOf(recorded)) ? "wire (request sent)"
                : "call (request handed to the HTTP client)";
    }

    /**
     * The baseline's trials by {@code case [model]}, less the pairs another part of the plan runs
     * (a shard's comparison expects them absent).
     */
    static Map<String, List<BaselineFile.TrialEntry>> inScope(BaselineFile base, PlannedPairs planned) {
        Map<String, List<BaselineFile.TrialEntry>> out = new TreeMap<>();
        for (BaselineFile.TrialEntry t : base.trials().values()) {
            String key = RunDigest.caseKey(t.caseId(), t.model());
            if (planned == null || !planned.elsewhere(key)) {
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
            }
        }
        return out;
    }

    private static String names(List<String> names) {
        List<String> shown = names.subList(0, Math.min(MAX_LISTED, names.size()));
        return String.join(", ", shown) + (names.size() > shown.size() ? ", …" : "");
    }

    /** Pass/total of each case × model over its evaluated trials (of every baseline run). */
    static Map<String, Tally> tally(Map<String, List<BaselineFile.TrialEntry>> byKey) {
        Map<String, Tally> out = new TreeMap<>();
        byKey.forEach((key, trials) -> {
            for (BaselineFile.TrialEntry t : trials) {
                if (!t.notEvaluated()) {
                    out.merge(key, new Tally(t.caseId(), t.model(), 1, t.pass() ? 1 : 0), (a, b) -> a.plus(t.pass()));
                }
            }
        });
        return out;
    }

    /**
     * The cases whose compare assertion ({@code select-best}, {@code max-score}) another model won than
     * in the baseline, e.g. {@code capital select-best: haiku → sonnet}: informational, never a gate
     * (the trials' own verdicts are what the gates judge). Only cases both name a winner for.
     */
    static List<String> winnersChanged(BaselineFile base, CompareWinners now) {
        List<String> out = new ArrayList<>();
        if (base == null) {
            return out;
        }
        for (CompareWinners.Tally t : now.tallies()) {
            String was = base.winners().getOrDefault(t.caseId(), Map.of()).get(t.type());
            if (was != null && t.best() != null && !was.equals(t.best())) {
                out.add(t.caseId() + " " + t.type() + ": " + was + " → " + t.best());
            }
        }
        return out;
    }

    private static Comparison.CaseChanges caseChanges(RunDigest run, Map<String, Tally> before,
            Map<String, Tally> after) {
        List<Comparison.CaseChange> newFailures = new ArrayList<>();
        List<Comparison.CaseChange> fixed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        long compared = 0;
        for (Map.Entry<String, Tally> e : after.entrySet()) {
            Tally now = e.getValue();
            Tally was = before.get(e.getKey());
            if (was == null) {
                added.add(e.getKey());
                continue;
            }
            compared++;
            String wasStatus = describe(was);
            String nowStatus = describe(now);
            if (was.passes() == was.trials() && now.passes() < now.trials()) {
                newFailures.add(new Comparison.CaseChange(now.caseId(), now.model(), wasStatus, nowStatus,
                        run.analysis.failures().firstReason(now.caseId(), now.model())));
            } else if (was.passes() < was.trials() && now.passes() == now.trials()) {
                fixed.add(new Comparison.CaseChange(now.caseId(), now.model(), wasStatus, nowStatus, ""));
            }
        }
        List<String> removed = before.keySet().stream()
                .filter(k -> !after.containsKey(k) && !run.notEvaluated.contains(k)).toList();
        long outputsChanged = run.outputsChanged;
        List<String> changed = new ArrayList<>(run.changed);
        return new Comparison.CaseChanges(newFailures, fixed, added, removed, compared, outputsChanged, changed,
                winnersChanged(run.base, run.analysis.compared()));
    }

    /** {@code pass}, {@code fail}, or with repeats {@code flaky 2/3}. */
    private static String describe(Tally t) {
        return t.trials() > 1 && !t.status().equals("pass") && !t.status().equals("fail")
                ? "flaky " + t.passes() + "/" + t.trials() : t.status() + (t.trials() > 1 ? " " + t.passes() + "/" + t.trials() : "");
    }

    static List<String> commonModels(BaselineFile base, RunDigest run) {
        return run.aggregates.models().keySet().stream().filter(base.models()::containsKey).toList();
    }

    static Samples baselineSamples(BaselineFile base, String model, String metric) {
        BaselineFile.ModelEntry m = base.models().get(model);
        BaselineFile.SampleEntry e = m == null || m.samples() == null ? null : m.samples().get(metric);
        return e == null ? new Samples(BaselineFile.resolutionOf(metric)) : e.toSamples(BaselineFile.resolutionOf(metric));
    }

    static Samples runSamples(RunDigest run, String model, String metric) {
        Aggregate a = run.aggregates.models().get(model);
        return switch (metric) {
            case "ttft_ms" -> a.ttftMs();
            case "ttfb_ms" -> a.ttfbMs();
            case "e2e_ms" -> a.e2eMs();
            case "itl_ms" -> a.itlMs();
            case "output_tps" -> a.outputTps();
            case "cost_usd" -> a.costUsd();
            default -> throw new IllegalArgumentException("unknown metric " + metric);
        };
    }

    /** Unpaired, from each model's samples: a baseline without per-trial timings. */
    static Comparison.LatencyChange latency(String model, String metric, Samples base, Samples run) {
        Samples.Distinct b = base.distinct();
        Samples.Distinct r = run.distinct();
        double[] ci50 = Significance.ratioCi(r, b, Significance.quantile(0.50));
        double[] ci95 = Significance.ratioCi(r, b, Significance.quantile(0.95));
        return new Comparison.LatencyChange(model, metric, base.count(), run.count(),
                num(base.percentile(50)), num(run.percentile(50)), num(Significance.ratio(r, b, Significance.quantile(0.5))),
                lo(ci50), hi(ci50),
                num(base.percentile(95)), num(run.percentile(95)), num(Significance.ratio(r, b, Significance.quantile(0.95))),
                lo(ci95), hi(ci95),
                base.count() == 0 || run.count() == 0 ? null : Significance.shiftUpP(run.expand(), base.expand()),
                null, null);
    }

    /** Paired by case: the percentiles of the trials of the cases measured on both sides. */
    static Comparison.LatencyChange latency(String model, String metric, Pairs.Latency l) {
        PairedBootstrap.Ratio p50 = l.ratio(0.50, SHOWN_LEVEL);
        PairedBootstrap.Ratio p95 = l.ratio(0.95, SHOWN_LEVEL);
        return new Comparison.LatencyChange(model, metric, l.baseCount(), l.runCount(),
                num(l.base().quantile(0.50)), num(l.run().quantile(0.50)), num(p50.ratio()), p50.low(), p50.high(),
                num(l.base().quantile(0.95)), num(l.run().quantile(0.95)), num(p95.ratio()), p95.low(), p95.high(),
                null, l.cases(), l.baselineRuns());
    }

    private static Comparison.Repeats repeats(Map<String, Tally> before, Map<String, Tally> after) {
        int k = (int) after.values().stream().mapToLong(Tally::trials).max().orElse(0);
        if (k <= 1) {
            return null;
        }
        List<Comparison.CaseRepeat> cases = new ArrayList<>();
        List<String> flaky = new ArrayList<>();
        double sum = 0;
        for (Map.Entry<String, Tally> e : after.entrySet()) {
            Tally t = e.getValue();
            double hat = passHatK(t.passes(), t.trials(), k);
            sum += hat;
            Tally was = before.get(e.getKey());
            cases.add(new Comparison.CaseRepeat(t.caseId(), t.model(), t.passes(), t.trials(),
                    (double) t.passes() / t.trials(), hat, was == null ? null : (double) was.passes() / was.trials()));
            if (t.status().equals("flaky")) {
                flaky.add(e.getKey() + " (" + t.passes() + "/" + t.trials() + ")");
            }
        }
        List<String> baselineFlaky = new ArrayList<>();
        before.forEach((key, t) -> {
            if (t.status().equals("flaky")) {
                baselineFlaky.add(key + " (" + t.passes() + "/" + t.trials() + ")");
            }
        });
        return new Comparison.Repeats(k, sum / after.size(), cases, flaky, baselineFlaky);
    }

    /** pass^k = C(c, k) / C(n, k): the chance that k repeats drawn from these n all pass (0 when n < k). */
    static double passHatK(long c, long n, int k) {
        if (n < k || c < k) {
            return 0;
        }
        double p = 1;
        for (int i = 0; i < k; i++) {
            p *= (double) (c - i) / (n - i);
        }
        return p;
    }

    static Double num(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
    }

    static Double lo(double[] ci) {
        return ci == null ? null : num(ci[0]);
    }

    static Double hi(double[] ci) {
        return ci == null ? null : num(ci[1]);
    }
}
