package dev.sonde.baseline;

import dev.sonde.stats.Significance;
import dev.sonde.journal.RunInfo;
import dev.sonde.analysis.Aggregate;
import dev.sonde.stats.Samples;
import dev.sonde.metrics.TokensByKind;
import dev.sonde.run.RunResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a {@link Comparison} of one digested run against one baseline file: case flips, pass
 * rate, latency per model, cost, tokens, cache, repeats — then hands the numbers to
 * {@link GateCheck} for the verdict. Pure: no I/O.
 */
final class BaselineJudge {
    static final int MAX_LISTED = 20;
    /** Metrics always shown, before any gated one. */
    private static final List<String> SHOWN = List.of("ttft_ms", "e2e_ms");

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
        Map<String, Tally> before = tally(base.trials().values());
        Map<String, Tally> after = run.tally;
        Comparison.CaseChanges cases = caseChanges(base, run, before, after);
        Comparison.PassRate passRate = passRate(before, after);
        List<Comparison.LatencyChange> latency = new ArrayList<>();
        Set<String> metrics = new LinkedHashSet<>(SHOWN);
        gates.latency().forEach(g -> metrics.add(g.metric()));
        for (String model : commonModels(base, run)) {
            for (String metric : metrics) {
                latency.add(latency(model, metric, baselineSamples(base, model, metric), runSamples(run, model, metric)));
            }
        }
        Comparison.CostChange cost = cost(base, run);
        TokensByKind baseTokens = TokensByKind.ZERO;
        for (BaselineFile.TrialEntry t : base.trials().values()) {
            if (t.tokens() != null) {
                baseTokens = baseTokens.plus(t.tokens());
            }
        }
        TokensByKind runTokens = run.aggregates.run().tokens();
        long baseN = base.trials().size();
        long runN = run.aggregates.run().trials();
        Double outRatio = baseN == 0 || runN == 0 || baseTokens.output() == 0 ? null
                : ((double) runTokens.output() / runN) / ((double) baseTokens.output() / baseN);
        Comparison.TokenChange tokens = new Comparison.TokenChange(baseTokens, runTokens, baseN, runN, outRatio);
        Comparison.CacheChange cache = new Comparison.CacheChange(baseTokens.cacheHitRatio(), runTokens.cacheHitRatio());
        Comparison.Repeats repeats = repeats(before, after);

        List<String> notes = new ArrayList<>();
        RunInfo info = result.info();
        if (base.source() != null && info != null && (base.source().live() != info.live()
                || !String.valueOf(base.source().endpoint()).equals(String.valueOf(info.endpoint())))) {
            notes.add("the baseline was recorded against " + base.source().endpoint() + " and this run against "
                    + info.endpoint() + ": latency and cost differences include the change of endpoint");
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
        GateCheck check = new GateCheck(gates, base, run);
        Verdict verdict = Verdict.of(check.evaluate(cases, passRate, cost, cache, commonModels(base, run)), notes);
        return new Comparison(Comparison.Status.COMPARED, baselineFile, verdict.headline(), base.source(), cases,
                passRate, latency, cost, tokens, cache, repeats, run.aggregates.snapshot(), verdict);
    }

    private static String names(List<String> names) {
        List<String> shown = names.subList(0, Math.min(MAX_LISTED, names.size()));
        return String.join(", ", shown) + (names.size() > shown.size() ? ", …" : "");
    }

    /** Pass/total per case × model of the accepted trials that were evaluated. */
    static Map<String, Tally> tally(Collection<BaselineFile.TrialEntry> trials) {
        Map<String, Tally> out = new TreeMap<>();
        for (BaselineFile.TrialEntry t : trials) {
            if (t.notEvaluated()) {
                continue;
            }
            out.merge(RunDigest.caseKey(t.caseId(), t.model()), new Tally(t.caseId(), t.model(), 1, t.pass() ? 1 : 0),
                    (a, b) -> a.plus(t.pass()));
        }
        return out;
    }

    private static Comparison.CaseChanges caseChanges(BaselineFile base, RunDigest run, Map<String, Tally> before,
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
        return new Comparison.CaseChanges(newFailures, fixed, added, removed, compared, outputsChanged, changed);
    }

    /** {@code pass}, {@code fail}, or with repeats {@code flaky 2/3}. */
    private static String describe(Tally t) {
        return t.trials() > 1 && !t.status().equals("pass") && !t.status().equals("fail")
                ? "flaky " + t.passes() + "/" + t.trials() : t.status() + (t.trials() > 1 ? " " + t.passes() + "/" + t.trials() : "");
    }

    private static Comparison.PassRate passRate(Map<String, Tally> before, Map<String, Tally> after) {
        long bp = 0;
        long bn = 0;
        long rp = 0;
        long rn = 0;
        for (Map.Entry<String, Tally> e : after.entrySet()) {
            Tally was = before.get(e.getKey());
            if (was != null) {
                bp += was.passes();
                bn += was.trials();
                rp += e.getValue().passes();
                rn += e.getValue().trials();
            }
        }
        Double p = bn == 0 || rn == 0 ? null : Significance.passRateDropP(bp, bn, rp, rn);
        return new Comparison.PassRate(bp, bn, rp, rn, bn == 0 ? 0 : (double) bp / bn, rn == 0 ? 0 : (double) rp / rn, p);
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
                base.count() == 0 || run.count() == 0 ? null : Significance.shiftUpP(run.expand(), base.expand()));
    }

    private static Comparison.CostChange cost(BaselineFile base, RunDigest run) {
        Samples b = new Samples(Samples.USD);
        for (BaselineFile.TrialEntry t : base.trials().values()) {
            if (t.costUsd() != null) {
                b.record(t.costUsd());
            }
        }
        Samples r = run.aggregates.run().costUsd();
        Double ratio = b.count() == 0 || r.count() == 0 || !(b.mean() > 0) ? null : r.mean() / b.mean();
        double[] ci = ratio == null ? null : Significance.ratioCi(r.distinct(), b.distinct(), Significance.MEAN);
        return new Comparison.CostChange(b.sum(), r.sum(), b.count(), r.count(), num(b.mean()), num(r.mean()), ratio,
                lo(ci), hi(ci), run.aggregates.run().stats().costByKind());
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
