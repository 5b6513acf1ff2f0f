package dev.sonde.baseline;

import dev.sonde.metrics.Fmt;

import dev.sonde.stats.Significance;
import dev.sonde.baseline.GateResult.Decision;
import dev.sonde.stats.PairedBootstrap;
import dev.sonde.stats.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies {@link Gates} to a comparison's numbers, one {@link GateResult} per gate (per model for
 * latency gates), in a fixed order: new failures, pass rate, latency, cost, cache.
 *
 * <p>Statistical gates fail only when the change is both larger than the threshold and
 * significant, so noise cannot fail a build and a significant but negligible change does not
 * either. The cost and latency gates decide on the interval they print: a gate fails exactly when
 * its whole interval lies beyond its limit (the lower bound above {@code 1 + max_increase}), the
 * interval being two-sided at {@code 1 − 2·alpha/k} — a one-sided test at {@code alpha/k}, with
 * {@code k} the models a latency gate judges (Bonferroni, so the gate as a whole fails on a change
 * at its limit at most {@code alpha} of the time) and 1 for cost. The pass-rate gate fails when
 * the drop in passing cases exceeds its limit and the one-sided exact McNemar test on the pairs
 * gives p below {@code alpha}. When the data are too few to judge, a gate says SKIP and why rather
 * than passing silently.
 */
final class GateCheck {
    private final Gates gates;
    private final BaselineFile base;
    private final RunDigest run;
    private final Pairs pairs;

    GateCheck(Gates gates, BaselineFile base, RunDigest run, Pairs pairs) {
        this.gates = gates;
        this.base = base;
        this.run = run;
        this.pairs = pairs;
    }

    /** The two-sided level of a gate's interval: {@code 1 − 2·alpha/tests}. */
    static double level(Gates gates, int tests) {
        return 1 - 2 * gates.alpha() / tests;
    }

    List<GateResult> evaluate(Comparison.CaseChanges cases, Comparison.PassRate passRate, Comparison.CostChange cost,
            Comparison.CacheChange cache, List<String> models) {
        List<GateResult> out = new ArrayList<>();
        if (gates.maxNewFailures() != null) {
            out.add(newFailures(cases));
        }
        if (gates.passRateMaxDrop() != null) {
            out.add(passRate(passRate));
        }
        for (Gates.LatencyGate g : gates.latency()) {
            for (String model : models) {
                out.add(latency(g, model, models.size()));
            }
        }
        if (gates.costPerTrialMaxIncrease() != null) {
            out.add(cost(cost));
        }
        if (gates.cacheHitRatioMaxDrop() != null || gates.cacheHitRatioMin() != null) {
            out.add(cache(cache));
        }
        return out;
    }

    private GateResult newFailures(Comparison.CaseChanges cases) {
        int n = cases.newFailures().size();
        int max = gates.maxNewFailures();
        StringBuilder why = new StringBuilder();
        for (Comparison.CaseChange c : cases.newFailures().subList(0, Math.min(n, BaselineJudge.MAX_LISTED))) {
            why.append(why.isEmpty() ? "" : "; ").append(c.name()).append(" was ").append(c.baseline())
                    .append(", now ").append(c.run());
            if (!c.reason().isEmpty()) {
                why.append(" (").append(c.reason()).append(')');
            }
        }
        if (n > BaselineJudge.MAX_LISTED) {
            why.append("; …and ").append(n - BaselineJudge.MAX_LISTED).append(" more");
        }
        String observed = n + " new failure" + (n == 1 ? "" : "s") + " of " + cases.compared() + " cases";
        return new GateResult("new_failures", "run", n > max ? Decision.FAIL : Decision.PASS, observed, "≤ " + max,
                cases.fixed().isEmpty() ? "" : cases.fixed().size() + " fixed", why.toString(), (double) n,
                (double) max, null, null, null);
    }

    private GateResult passRate(Comparison.PassRate p) {
        if (p.cases() == 0) {
            return skip("pass_rate", "run", "no case in both the baseline and the run");
        }
        double baseRate = (double) p.baselineCasesPassed() / p.cases();
        double runRate = (double) p.runCasesPassed() / p.cases();
        double drop = baseRate - runRate;
        double maxDrop = gates.passRateMaxDrop();
        boolean significant = p.pValue() != null && p.pValue() < gates.alpha();
        boolean fail = drop > maxDrop + 1e-12 && significant;
        String observed = Fmt.pct(runRate) + " of cases (" + p.runCasesPassed() + "/" + p.cases() + ") vs "
                + Fmt.pct(baseRate) + " (" + p.baselineCasesPassed() + "/" + p.cases() + ")";
        String threshold = "drop > " + points(maxDrop) + " with p < " + num(gates.alpha());
        String evidence = "McNemar exact p = " + pValue(p.pValue()) + " (" + p.newlyFailing() + " newly failing, "
                + p.newlyPassing() + " newly passing)";
        String reason = fail ? "pass rate dropped " + points(drop) + ", significant"
                : drop > maxDrop + 1e-12 ? "drop of " + points(drop) + " is not significant at α = " + num(gates.alpha()) : "";
        return new GateResult("pass_rate", "run", fail ? Decision.FAIL : Decision.PASS, observed, threshold, evidence, reason,
                runRate, baseRate - maxDrop, p.pValue(), null, null);
    }

    private GateResult latency(Gates.LatencyGate g, String model, int models) {
        if (!pairs.timed()) {
            return unpairedLatency(g, model, models);
        }
        double level = level(gates, models);
        String threshold = "+" + pctSigned(g.maxIncrease()) + ", whole " + percent(level) + " CI above it"
                + (models > 1 ? " (α/" + models + " models)" : "");
        Pairs.Latency l = pairs.latency(model, g.metric());
        if (l.cases() < 2) {
            if (l.cases() == 0 && BaselineJudge.runSamples(run, model, g.metric()).count() == 0) {
                return skip(g.key(), model, run.noRunSamples(model, g.metric())); // says why: a batch, the cache
            }
            return skip(g.key(), model, l.cases() == 0 ? "no case with " + g.metric() + " in both the baseline and the run"
                    : "one case with " + g.metric() + " in both the baseline and the run: too few to judge");
        }
        PairedBootstrap.Ratio r = l.ratio(g.quantile(), level);
        if (!r.hasInterval() || !Double.isFinite(r.ratio())) {
            return skip(g.key(), model, "no interval: the baseline's " + g.metric() + " is 0 in too many resamples");
        }
        boolean fail = r.low() > 1 + g.maxIncrease() + 1e-12;
        boolean over = r.ratio() > 1 + g.maxIncrease() + 1e-12;
        double q = g.quantile();
        String observed = millis(l.run().quantile(q)) + " vs " + millis(l.base().quantile(q)) + " (" + change(r.ratio()) + ")";
        String evidence = "paired by case (" + r.cases() + " cases" + (r.baselineRuns() > 1 ? ", the baseline's "
                + r.baselineRuns() + " runs resampled too" : "") + "): " + percent(level) + " CI of ratio "
                + change(r.low()) + " … " + change(r.high()) + ", n = " + l.runCount() + " vs " + l.baseCount();
        String reason = fail ? g.label() + " up " + change(r.ratio()) + "; the whole interval lies above +"
                + pctSigned(g.maxIncrease())
                : over ? "above the limit, but the interval reaches down to " + change(r.low()) : "";
        return new GateResult(g.key(), model, fail ? Decision.FAIL : Decision.PASS, observed, threshold, evidence, reason,
                r.ratio() - 1, g.maxIncrease(), null, r.low() - 1, r.high() - 1);
    }

    /**
     * A baseline written before per-trial timings were kept: each model's samples, unpaired — the
     * ratio over the limit and a one-sided Mann-Whitney test at {@code alpha / models}.
     */
    private GateResult unpairedLatency(Gates.LatencyGate g, String model, int models) {
        Samples b = BaselineJudge.baselineSamples(base, model, g.metric());
        Samples r = BaselineJudge.runSamples(run, model, g.metric());
        double level = gates.alpha() / models;
        String threshold = "+" + pctSigned(g.maxIncrease()) + " with p < " + num(level)
                + (models > 1 ? " (α/" + models + " models)" : "");
        if (b.count() == 0 || r.count() == 0) {
            return skip(g.key(), model, r.count() == 0 ? run.noRunSamples(model, g.metric())
                    : "no " + g.metric() + " samples in the baseline");
        }
        if (Significance.smallestP(b.count(), r.count()) >= level) {
            return skip(g.key(), model, "too few samples to ever be significant (" + b.count() + " vs " + r.count()
                    + "); add repeats");
        }
        Samples.Distinct bd = b.distinct();
        Samples.Distinct rd = r.distinct();
        Significance.Statistic stat = Significance.quantile(g.quantile());
        double ratio = Significance.ratio(rd, bd, stat);
        double[] ci = Significance.ratioCi(rd, bd, stat);
        double p = Significance.shiftUpP(r.expand(), b.expand());
        boolean over = ratio > 1 + g.maxIncrease();
        boolean fail = over && p < level;
        double pct = g.quantile() * 100;
        String observed = GateCheck.millis(r.percentile(pct)) + " vs " + GateCheck.millis(b.percentile(pct)) + " (" + change(ratio) + ")";
        String evidence = UNPAIRED + "Mann-Whitney p = " + pValue(p) + (ci == null ? ""
                : ", 95% CI of ratio " + change(ci[0]) + " … " + change(ci[1])) + ", n = " + r.count() + " vs " + b.count();
        String reason = fail ? g.label() + " up " + change(ratio) + " and significant"
                : over ? "above the threshold but not significant" : "";
        return new GateResult(g.key(), model, fail ? Decision.FAIL : Decision.PASS, observed, threshold, evidence, reason,
                ratio - 1, g.maxIncrease(), p, ci == null ? null : ci[0] - 1, ci == null ? null : ci[1] - 1);
    }

    /** How the evidence of an unpaired latency gate begins. */
    static final String UNPAIRED = "unpaired (the baseline has no per-trial timings; accept a run again to pair by"
            + " case): ";

    private GateResult cost(Comparison.CostChange c) {
        if (c.perTrialRatio() == null) {
            return skip("cost_per_trial", "run", c.pairs() == 0 ? "no case priced in both the baseline and the run"
                    : "the baseline cost nothing");
        }
        if (c.ciLow() == null) {
            return skip("cost_per_trial", "run", c.pairs() < 2 ? "one case priced in both the baseline and the run:"
                    + " too few to judge" : "no interval: the baseline's cost is 0 in too many resamples");
        }
        double max = gates.costPerTrialMaxIncrease();
        boolean fail = c.ciLow() > 1 + max + 1e-12;
        boolean over = c.perTrialRatio() > 1 + max + 1e-12;
        String observed = Fmt.usdExact(c.runPerTrialUsd()) + " vs " + Fmt.usdExact(c.baselinePerTrialUsd()) + " per trial ("
                + change(c.perTrialRatio()) + ")";
        String evidence = "paired by case (" + c.pairs() + " cases, mean of each case's mean): " + percent(c.ciLevel())
                + " CI of ratio " + change(c.ciLow()) + " … " + change(c.ciHigh());
        String reason = fail ? "cost per trial up " + change(c.perTrialRatio()) + "; the whole interval lies above +"
                + pctSigned(max) : over ? "above the limit, but the interval reaches down to " + change(c.ciLow()) : "";
        return new GateResult("cost_per_trial", "run", fail ? Decision.FAIL : Decision.PASS, observed,
                "+" + pctSigned(max) + ", whole " + percent(c.ciLevel()) + " CI above it", evidence, reason,
                c.perTrialRatio() - 1, max, null, c.ciLow() - 1, c.ciHigh() - 1);
    }

    private GateResult cache(Comparison.CacheChange c) {
        Double maxDrop = gates.cacheHitRatioMaxDrop();
        Double min = gates.cacheHitRatioMin();
        double floor = Math.max(min == null ? 0 : min, maxDrop == null ? 0 : c.baseline() - maxDrop);
        if (min == null && c.baseline() == 0) {
            return skip("cache_hit_ratio", "run", "the baseline read nothing from the cache (ratio " + Fmt.pct(c.run())
                    + " now)");
        }
        boolean fail = c.run() < floor - 1e-12;
        String threshold = "≥ " + Fmt.pct(floor) + (min != null ? " (floor " + Fmt.pct(min) + ")" : "")
                + (maxDrop != null ? " (baseline − " + points(maxDrop) + ")" : "");
        return new GateResult("cache_hit_ratio", "run", fail ? Decision.FAIL : Decision.PASS,
                Fmt.pct(c.run()) + " vs " + Fmt.pct(c.baseline()), threshold, "",
                fail ? "cache hit ratio below " + Fmt.pct(floor) : "", c.run(), floor, null, null, null);
    }

    private static GateResult skip(String gate, String subject, String why) {
        return new GateResult(gate, subject, Decision.SKIP, "not judged", "", "", why, null, null, null, null, null);
    }

    private static String pctSigned(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    /** A confidence level as a percentage: 0.95 → {@code 95%}, 0.9667 → {@code 96.7%}. */
    static String percent(double level) {
        String s = String.format(Locale.ROOT, "%.1f", level * 100);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
    }

    private static String points(double d) {
        return String.format(Locale.ROOT, "%.1f points", d * 100);
    }

    /** A ratio as a change: 1.5 → {@code +50.0%}. */
    static String change(double ratio) {
        return String.format(Locale.ROOT, "%+.1f%%", (ratio - 1) * 100);
    }

    static String pValue(Double p) {
        if (p == null) {
            return "—";
        }
        return p < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.4g", d).replaceAll("\\.?0+$", "");
    }


    private static String millis(double v) {
        return Fmt.ms(Double.isNaN(v) ? null : v);
    }
}
