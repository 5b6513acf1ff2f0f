package dev.sonde.baseline;

import dev.sonde.baseline.GateResult.Decision;
import dev.sonde.stats.RateRatio;
import dev.sonde.stats.Samples;
import dev.sonde.stats.UnpairedBootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a benchmark run's steps against its baseline, step by step, matched by their load
 * (workers or offered rate). Per step and gate:
 *
 * <ul>
 *   <li>a latency gate ({@code ttft_p95}, {@code e2e_p95}, …): the ratio of the step's percentile,
 *       run over baseline, with an unpaired two-sample bootstrap interval over the requests (a
 *       benchmark's requests are not paired across runs; a baseline of several runs is resampled by
 *       run too, {@link UnpairedBootstrap}); it fails exactly when the whole interval lies above
 *       {@code 1 + max_increase};
 *   <li>{@code goodput}: the ratio of the step's goodput (successes that met the SLO among the
 *       requests finished in the measured window, per second of it), with the exact Poisson
 *       rate-ratio interval on those counts ({@link RateRatio}; several baseline runs pool their
 *       counts and windows); it fails exactly when the whole interval lies below
 *       {@code 1 − max_drop}.
 * </ul>
 *
 * Every interval is two-sided at {@code 1 − 2·alpha/steps}, a one-sided test at
 * {@code alpha/steps} (Bonferroni over the steps compared), so a gate fails on a change at its
 * limit at most {@code alpha} of the time over the sweep. A step with too little to judge is a
 * SKIP saying why. Steps of the run the baseline lacks, and the baseline's steps this run lacks,
 * are notes, not gated.
 */
final class BenchmarkJudge {
    private BenchmarkJudge() {}

    static Verdict compare(BenchmarkBaseline base, BenchmarkDigest run, BenchmarkGates gates) {
        List<BenchmarkBaseline.StepEntry> steps = run.entries(0);
        List<BenchmarkBaseline.StepEntry> compared = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (BenchmarkBaseline.StepEntry s : steps) {
            if (base.stepsAt(s.loadValue()).isEmpty()) {
                notes.add("step " + s.step() + " (" + load(s) + ") is not in the baseline: not gated");
            } else {
                compared.add(s);
            }
        }
        List<Double> ran = steps.stream().map(BenchmarkBaseline.StepEntry::loadValue).toList();
        base.steps().values().stream().filter(b -> !ran.contains(b.loadValue())).map(BenchmarkJudge::load).distinct()
                .forEach(l -> notes.add("the baseline's step at " + l + " is not in this run"));
        int k = Math.max(1, compared.size());
        double level = 1 - 2 * gates.alpha() / k;
        List<GateResult> out = new ArrayList<>();
        for (Gates.LatencyGate g : gates.latency()) {
            for (BenchmarkBaseline.StepEntry s : compared) {
                out.add(latency(g, s, base.stepsAt(s.loadValue()), level, k));
            }
        }
        if (gates.goodputMaxDrop() != null) {
            for (BenchmarkBaseline.StepEntry s : compared) {
                out.add(goodput(gates.goodputMaxDrop(), s, base.stepsAt(s.loadValue()), level, k));
            }
        }
        return Verdict.of(out, notes);
    }

    /** The gate's subject: {@code step 2 · 4 workers}. */
    static String subject(BenchmarkBaseline.StepEntry s) {
        return "step " + s.step() + " · " + load(s);
    }

    private static String load(BenchmarkBaseline.StepEntry s) {
        return BenchmarkBaseline.load(s.concurrency(), s.ratePerS());
    }

    private static String scope(double level, int steps) {
        return "whole " + GateCheck.percent(level) + " CI" + (steps > 1 ? " (α/" + steps + " steps)" : "");
    }

    static GateResult latency(Gates.LatencyGate g, BenchmarkBaseline.StepEntry run,
            List<BenchmarkBaseline.StepEntry> base, double level, int steps) {
        Samples r = run.samples(g.metric());
        double[][] baseRuns = base.stream().map(b -> b.samples(g.metric()).expand()).filter(v -> v.length > 0)
                .toArray(double[][]::new);
        String subject = subject(run);
        String threshold = "+" + pct(g.maxIncrease()) + ", " + scope(level, steps) + " above it";
        if (r.count() == 0 || baseRuns.length == 0) {
            return skip(g.key(), subject, r.count() == 0 ? "no measured success with " + g.metric() + " in this run's step"
                    : "no " + g.metric() + " samples in the baseline's step");
        }
        UnpairedBootstrap.Ratio ratio = UnpairedBootstrap.quantileRatio(r.expand(), baseRuns, g.quantile(), level);
        if (!ratio.hasInterval() || !Double.isFinite(ratio.ratio())) {
            return skip(g.key(), subject, ratio.runCount() < 2 || ratio.baseCount() < 2
                    ? "too few samples to judge (n = " + ratio.runCount() + " vs " + ratio.baseCount() + ")"
                    : "no interval: the baseline's " + g.metric() + " is 0 in too many resamples");
        }
        double limit = 1 + g.maxIncrease();
        boolean fail = ratio.low() > limit + 1e-12;
        boolean over = ratio.ratio() > limit + 1e-12;
        String observed = millis(ratio.run()) + " vs " + millis(ratio.base()) + " (" + GateCheck.change(ratio.ratio()) + ")";
        String evidence = "unpaired bootstrap over requests (n = " + ratio.runCount() + " vs " + ratio.baseCount()
                + (ratio.baselineRuns() > 1 ? ", the baseline's " + ratio.baselineRuns() + " runs resampled too" : "")
                + "): " + GateCheck.percent(level) + " CI of ratio " + GateCheck.change(ratio.low()) + " … "
                + GateCheck.change(ratio.high());
        String reason = fail ? g.label() + " up " + GateCheck.change(ratio.ratio()) + "; the whole interval lies above +"
                + pct(g.maxIncrease())
                : over ? "above the limit, but the interval reaches down to " + GateCheck.change(ratio.low()) : "";
        return new GateResult(g.key(), subject, fail ? Decision.FAIL : Decision.PASS, observed, threshold, evidence,
                reason, ratio.ratio() - 1, g.maxIncrease(), null, ratio.low() - 1, ratio.high() - 1);
    }

    static GateResult goodput(double maxDrop, BenchmarkBaseline.StepEntry run, List<BenchmarkBaseline.StepEntry> base,
            double level, int steps) {
        String subject = subject(run);
        long baseGood = base.stream().mapToLong(BenchmarkBaseline.StepEntry::goodInWindow).sum();
        double baseWindow = base.stream().mapToDouble(BenchmarkBaseline.StepEntry::windowS).sum();
        if (baseGood == 0) {
            return skip("goodput", subject, "the baseline's step counted no request that met the SLO in its window");
        }
        RateRatio.Interval iv = RateRatio.of(run.goodInWindow(), run.windowS(), baseGood, baseWindow, level);
        double floor = 1 - maxDrop;
        boolean fail = iv.high() != null && iv.high() < floor - 1e-12;
        boolean under = iv.ratio() < floor - 1e-12;
        double runRate = run.goodInWindow() / run.windowS();
        double baseRate = baseGood / baseWindow;
        String observed = String.format(Locale.ROOT, "%.2f/s vs %.2f/s (%s)", runRate, baseRate,
                GateCheck.change(iv.ratio()));
        String evidence = String.format(Locale.ROOT, "Poisson rate ratio of the in-window counts (%d in %s s vs %d in %s s%s):"
                        + " %s CI of ratio %s … %s", run.goodInWindow(), secs(run.windowS()), baseGood, secs(baseWindow),
                base.size() > 1 ? ", the baseline's " + base.size() + " runs pooled" : "", GateCheck.percent(level),
                GateCheck.change(iv.low()), iv.high() == null ? "∞" : GateCheck.change(iv.high()));
        String reason = fail ? "goodput down " + GateCheck.change(iv.ratio()) + "; the whole interval lies below −"
                + pct(maxDrop) : under ? "below the limit, but the interval reaches up to "
                + (iv.high() == null ? "∞" : GateCheck.change(iv.high())) : "";
        return new GateResult("goodput", subject, fail ? Decision.FAIL : Decision.PASS, observed,
                "−" + pct(maxDrop) + ", " + scope(level, steps) + " below it", evidence, reason, iv.ratio() - 1, -maxDrop,
                null, iv.low() - 1, iv.high() == null ? null : iv.high() - 1);
    }

    private static GateResult skip(String gate, String subject, String why) {
        return new GateResult(gate, subject, Decision.SKIP, "not judged", "", "", why, null, null, null, null, null);
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    private static String secs(double s) {
        return String.format(Locale.ROOT, "%.1f", s);
    }

    private static String millis(double v) {
        return dev.sonde.metrics.Fmt.ms(Double.isNaN(v) ? null : v);
    }
}
