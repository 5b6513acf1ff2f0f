package dev.sonde.baseline;

import dev.sonde.metrics.Fmt;

import dev.sonde.stats.Significance;
import dev.sonde.baseline.GateResult.Decision;
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
 * either. A latency gate tests each model at {@code alpha / models} (Bonferroni), so the chance
 * that the gate as a whole fails on noise stays at most {@code alpha}; when the samples are too
 * few for any result to reach that level, the gate says SKIP and why rather than passing
 * silently.
 */
final class GateCheck {
    private final Gates gates;
    private final BaselineFile base;
    private final RunDigest run;

    GateCheck(Gates gates, BaselineFile base, RunDigest run) {
        this.gates = gates;
        this.base = base;
        this.run = run;
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
        if (p.baselineTrials() == 0 || p.runTrials() == 0) {
            return skip("pass_rate", "run", "no case in both the baseline and the run");
        }
        double drop = p.baselineRate() - p.runRate();
        double maxDrop = gates.passRateMaxDrop();
        boolean significant = p.pValue() != null && p.pValue() < gates.alpha();
        boolean fail = drop > maxDrop + 1e-12 && significant;
        String observed = Fmt.pct(p.runRate()) + " (" + p.runPassed() + "/" + p.runTrials() + ") vs " + Fmt.pct(p.baselineRate())
                + " (" + p.baselinePassed() + "/" + p.baselineTrials() + ")";
        String threshold = "drop > " + points(maxDrop) + " with p < " + num(gates.alpha());
        String evidence = "Fisher's exact p = " + pValue(p.pValue());
        String reason = fail ? "pass rate dropped " + points(drop) + ", significant"
                : drop > maxDrop + 1e-12 ? "drop of " + points(drop) + " is not significant at α = " + num(gates.alpha()) : "";
        return new GateResult("pass_rate", "run", fail ? Decision.FAIL : Decision.PASS, observed, threshold, evidence, reason,
                p.runRate(), p.baselineRate() - maxDrop, p.pValue(), null, null);
    }

    private GateResult latency(Gates.LatencyGate g, String model, int models) {
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
        String evidence = "Mann-Whitney p = " + pValue(p) + (ci == null ? ""
                : ", 95% CI of ratio " + change(ci[0]) + " … " + change(ci[1])) + ", n = " + r.count() + " vs " + b.count();
        String reason = fail ? g.label() + " up " + change(ratio) + " and significant"
                : over ? "above the threshold but not significant" : "";
        return new GateResult(g.key(), model, fail ? Decision.FAIL : Decision.PASS, observed, threshold, evidence, reason,
                ratio - 1, g.maxIncrease(), p, ci == null ? null : ci[0] - 1, ci == null ? null : ci[1] - 1);
    }

    private GateResult cost(Comparison.CostChange c) {
        if (c.perTrialRatio() == null) {
            return skip("cost_per_trial", "run", c.baselinePricedTrials() == 0 || c.runPricedTrials() == 0
                    ? "no priced trials in the " + (c.baselinePricedTrials() == 0 ? "baseline" : "run")
                    : "the baseline cost nothing");
        }
        double max = gates.costPerTrialMaxIncrease();
        boolean fail = c.perTrialRatio() > 1 + max + 1e-12;
        String observed = Fmt.usdExact(c.runPerTrialUsd()) + " vs " + Fmt.usdExact(c.baselinePerTrialUsd()) + " per trial ("
                + change(c.perTrialRatio()) + ")";
        String evidence = c.ciLow() == null ? "" : "95% CI of ratio " + change(c.ciLow()) + " … " + change(c.ciHigh());
        return new GateResult("cost_per_trial", "run", fail ? Decision.FAIL : Decision.PASS, observed,
                "+" + pctSigned(max), evidence, fail ? "cost per trial up " + change(c.perTrialRatio()) : "",
                c.perTrialRatio() - 1, max, null, c.ciLow() == null ? null : c.ciLow() - 1,
                c.ciHigh() == null ? null : c.ciHigh() - 1);
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
