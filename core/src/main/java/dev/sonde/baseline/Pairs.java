package dev.sonde.baseline;

import dev.sonde.metrics.CostByKind;
import dev.sonde.metrics.TokensByKind;
import dev.sonde.stats.PairedBootstrap;
import dev.sonde.stats.PairedProportions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The case × model pairs measured both in the run and in the baseline, and the paired statistics
 * over them: a case × model of the run is matched with the same case × model of the baseline (its
 * repeats, in every baseline run, pooled), so both sides of every figure hold the same cases. A
 * baseline of several runs keeps each trial's run, which the bootstrap resamples too. Pure: built
 * once per comparison from the run's digest and the baseline file.
 */
final class Pairs {
    /** One case × model on both sides. */
    record Pair(String key, String caseId, String model, BaselineJudge.Tally run, BaselineJudge.Tally base,
            RunDigest.PairMeasures measures, List<BaselineFile.TrialEntry> baseTrials) {
        /** Every trial of the pair passed (the case's status is {@code pass}). */
        static boolean allPassed(BaselineJudge.Tally t) {
            return t.passes() == t.trials();
        }
    }

    private final List<Pair> pairs;
    private final int baselineRuns;
    private final boolean timed;

    private Pairs(List<Pair> pairs, int baselineRuns, boolean timed) {
        this.pairs = pairs;
        this.baselineRuns = baselineRuns;
        this.timed = timed;
    }

    /**
     * The pairs of {@code run} found in {@code baseByKey} (the baseline's trials in the comparison's
     * scope, by {@code case [model]}), in key order.
     */
    static Pairs of(Map<String, List<BaselineFile.TrialEntry>> baseByKey, Map<String, BaselineJudge.Tally> before,
            RunDigest run, BaselineFile base) {
        List<Pair> out = new ArrayList<>();
        for (Map.Entry<String, BaselineJudge.Tally> e : run.tally.entrySet()) {
            List<BaselineFile.TrialEntry> was = baseByKey.get(e.getKey());
            if (was == null) {
                continue;
            }
            BaselineJudge.Tally now = e.getValue();
            out.add(new Pair(e.getKey(), now.caseId(), now.model(), now, before.get(e.getKey()),
                    run.pairs.get(e.getKey()), was));
        }
        boolean timed = base.trials().values().stream().anyMatch(BaselineFile.TrialEntry::timed);
        return new Pairs(out, base.runCount(), timed);
    }

    /** How many runs the baseline holds. */
    int baselineRuns() {
        return baselineRuns;
    }

    /**
     * Whether the baseline carries per-trial timings, so latency can be paired by case; a file
     * written before they were kept carries none, and its latency is compared unpaired.
     */
    boolean timed() {
        return timed;
    }

    /** The pass rate over the pairs: trials on both sides, and McNemar's table of the pairs' statuses. */
    Comparison.PassRate passRate() {
        long bp = 0;
        long bn = 0;
        long rp = 0;
        long rn = 0;
        long both = 0;
        long newlyFailing = 0;
        long newlyPassing = 0;
        long neither = 0;
        for (Pair p : pairs) {
            bp += p.base().passes();
            bn += p.base().trials();
            rp += p.run().passes();
            rn += p.run().trials();
            boolean was = Pair.allPassed(p.base());
            boolean now = Pair.allPassed(p.run());
            if (was && now) {
                both++;
            } else if (was) {
                newlyFailing++;
            } else if (now) {
                newlyPassing++;
            } else {
                neither++;
            }
        }
        long cases = pairs.size();
        Double p = cases == 0 ? null : PairedProportions.mcnemarDropP(newlyFailing, newlyPassing);
        return new Comparison.PassRate(bp, bn, rp, rn, bn == 0 ? 0 : (double) bp / bn, rn == 0 ? 0 : (double) rp / rn,
                p, cases, both + newlyFailing, both + newlyPassing, newlyFailing, newlyPassing, "mcnemar");
    }

    /**
     * The cost per trial over the pairs priced on both sides: each case's mean cost on each side (a
     * baseline case pooled over its runs), the ratio of their sums (the mean per-case means), with
     * its bootstrap interval at {@code level}. Totals are of the paired trials, the baseline's per
     * run (its mean over runs).
     */
    Comparison.CostChange cost(double level, CostByKind runByKind) {
        List<Double> runMeans = new ArrayList<>();
        List<double[]> sums = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        long baseNanos = 0;
        long basePriced = 0;
        long runNanos = 0;
        long runPriced = 0;
        for (Pair p : pairs) {
            RunDigest.PairMeasures m = p.measures();
            double[] sum = new double[baselineRuns];
            long[] count = new long[baselineRuns];
            long priced = 0;
            long nanos = 0;
            for (BaselineFile.TrialEntry t : p.baseTrials()) {
                if (t.costUsd() != null) {
                    long n = RunDigest.nanoUsd(t.costUsd());
                    sum[t.runIndex()] += n;
                    count[t.runIndex()]++;
                    nanos += n;
                    priced++;
                }
            }
            if (m.pricedTrials == 0 || priced == 0) {
                continue;
            }
            runMeans.add((double) m.costNanoUsd / m.pricedTrials);
            sums.add(sum);
            counts.add(count);
            baseNanos += nanos;
            basePriced += priced;
            runNanos += m.costNanoUsd;
            runPriced += m.pricedTrials;
        }
        int n = runMeans.size();
        double[] r = new double[n];
        double[][] s = new double[n][];
        long[][] c = new long[n][];
        double runSum = 0;
        double baseSum = 0;
        for (int i = 0; i < n; i++) {
            r[i] = runMeans.get(i);
            s[i] = sums.get(i);
            c[i] = counts.get(i);
            runSum += r[i];
            long k = 0;
            double v = 0;
            for (int j = 0; j < baselineRuns; j++) {
                v += s[i][j];
                k += c[i][j];
            }
            baseSum += v / k;
        }
        PairedBootstrap.Ratio ratio = n == 0 || !(baseSum > 0) ? null : PairedBootstrap.meanRatio(r, s, c, level);
        return new Comparison.CostChange(baseNanos / 1e9 / baselineRuns, runNanos / 1e9, basePriced, runPriced,
                n == 0 ? null : baseSum / n / 1e9, n == 0 ? null : runSum / n / 1e9,
                ratio == null ? null : BaselineJudge.num(ratio.ratio()), ratio == null ? null : ratio.low(),
                ratio == null ? null : ratio.high(), runByKind, n, level);
    }

    /** One model's trials of one latency metric, over the pairs with values on both sides. */
    record Latency(PairedBootstrap.Trials run, PairedBootstrap.Trials base, int cases, int baselineRuns,
            long runCount, long baseCount) {

        PairedBootstrap.Ratio ratio(double q, double level) {
            return PairedBootstrap.quantileRatio(run, base, cases, baselineRuns, q, level);
        }
    }

    /** {@code model}'s {@code metric} ({@code ttft_ms}, {@code ttfb_ms}, {@code e2e_ms}) over its pairs. */
    Latency latency(String model, String metric) {
        PairedBootstrap.Trials.Builder run = PairedBootstrap.Trials.builder();
        PairedBootstrap.Trials.Builder base = PairedBootstrap.Trials.builder();
        int cases = 0;
        long runCount = 0;
        long baseCount = 0;
        for (Pair p : pairs) {
            if (!p.model().equals(model)) {
                continue;
            }
            double[] values = p.measures().values(metric);
            boolean any = false;
            for (BaselineFile.TrialEntry t : p.baseTrials()) {
                any |= t.latencyMs(metric) != null && t.latencyMs(metric) >= 0;
            }
            if (values.length == 0 || !any) {
                continue;
            }
            double weight = p.measures().weight(metric);
            for (double v : values) {
                run.add(cases, 0, v, weight);
            }
            runCount += p.measures().seen(metric);
            for (BaselineFile.TrialEntry t : p.baseTrials()) {
                Double v = t.latencyMs(metric);
                if (v != null && v >= 0) {
                    base.add(cases, t.runIndex(), v, 1);
                    baseCount++;
                }
            }
            cases++;
        }
        return new Latency(run.build(), base.build(), cases, baselineRuns, runCount, baseCount);
    }

    /** Tokens by kind of the paired trials on both sides, and how many trials each side has. */
    Comparison.TokenChange tokens() {
        TokensByKind baseTokens = TokensByKind.ZERO;
        TokensByKind runTokens = TokensByKind.ZERO;
        long baseN = 0;
        long runN = 0;
        for (Pair p : pairs) {
            for (BaselineFile.TrialEntry t : p.baseTrials()) {
                if (t.tokens() != null) {
                    baseTokens = baseTokens.plus(t.tokens());
                }
                baseN++;
            }
            runTokens = runTokens.plus(p.measures().tokens);
            runN += p.measures().trials;
        }
        Double outRatio = baseN == 0 || runN == 0 || baseTokens.output() == 0 ? null
                : ((double) runTokens.output() / runN) / ((double) baseTokens.output() / baseN);
        return new Comparison.TokenChange(baseTokens, runTokens, baseN, runN, outRatio);
    }
}
