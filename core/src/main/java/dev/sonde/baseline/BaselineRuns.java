package dev.sonde.baseline;

import dev.sonde.metrics.TokensByKind;
import dev.sonde.stats.Samples;
import dev.sonde.suite.Trial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Several accepted runs of one suite as one baseline ({@code sonde baseline accept RUN… --append}):
 * its runs in order, each trial keeping its run's index, each model's figures and samples pooled
 * over the runs. The comparison resamples the runs as well as the cases, so the baseline's own
 * run-to-run spread widens the latency interval (docs/STATISTICS.md). Pure.
 */
final class BaselineRuns {
    private BaselineRuns() {}

    /** Why runs cannot be one baseline: one line naming the run and what differs. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message);
        }
    }

    /**
     * {@code parts} (baselines of one run or several, oldest first) as one baseline of all their runs.
     *
     * @throws Mismatch the parts are of different suites or plans, a run is in two parts, a model
     *     label names two models, or the runs would number more than {@value BaselineFile#MAX_RUNS}
     */
    static BaselineFile combine(List<BaselineFile> parts) throws Mismatch {
        List<BaselineFile.Source> runs = new ArrayList<>();
        Map<String, BaselineFile.TrialEntry> trials = new TreeMap<>();
        Map<String, BaselineFile.ModelEntry> models = new LinkedHashMap<>();
        Map<String, Map<String, String>> winners = new TreeMap<>(); // the newest run's, case by case
        Set<String> runIds = new HashSet<>();
        String suite = parts.get(0).suite();
        String planHash = null;
        for (BaselineFile part : parts) {
            List<BaselineFile.Source> sources = part.runs() != null ? part.runs()
                    : part.source() == null ? List.of() : List.of(part.source());
            String name = sources.isEmpty() ? "a run" : "run " + sources.get(0).runId();
            if (!Objects.equals(suite, part.suite())) {
                throw new Mismatch(name + " is of suite " + part.suite() + ", the baseline's of " + suite
                        + ": a baseline holds runs of one suite");
            }
            for (BaselineFile.Source s : sources) {
                // run ids are stamped to the second: a run is its id and its start together
                if (s.runId() != null && !runIds.add(s.runId() + " " + s.startedAt())) {
                    throw new Mismatch("run " + s.runId() + " is already in the baseline");
                }
                if (s.runId() != null && s.runId().contains("-shard-")) {
                    throw new Mismatch("run " + s.runId() + " is one shard of a run: merge the shards (sonde merge)"
                            + " and accept the merged run");
                }
                if (s.planHash() != null) {
                    if (planHash != null && !planHash.equals(s.planHash())) {
                        throw new Mismatch("run " + s.runId() + " ran another plan (" + s.planHash() + ", the baseline's "
                                + planHash + "): its suite or its --repeat changed; accept it alone, without --append");
                    }
                    planHash = s.planHash();
                }
            }
            int offset = runs.size();
            runs.addAll(sources);
            winners.putAll(part.winners());
            if (runs.size() > BaselineFile.MAX_RUNS) {
                throw new Mismatch("a baseline holds at most " + BaselineFile.MAX_RUNS + " runs; this would hold "
                        + runs.size());
            }
            for (BaselineFile.TrialEntry t : part.trials().values()) {
                int k = offset + t.runIndex();
                trials.put(BaselineFile.key(Trial.idOf(t.caseId(), t.model(), t.repeat()), k), t.asRun(k));
            }
            for (Map.Entry<String, BaselineFile.ModelEntry> e : part.models().entrySet()) {
                BaselineFile.ModelEntry was = models.get(e.getKey());
                if (was != null && !Objects.equals(was.modelId(), e.getValue().modelId())) {
                    throw new Mismatch(name + " ran " + e.getKey() + " as " + e.getValue().modelId() + ", the baseline as "
                            + was.modelId() + ": a baseline's runs use the same models");
                }
                models.put(e.getKey(), was == null ? e.getValue() : pooled(was, e.getValue()));
            }
        }
        return new BaselineFile(BaselineFile.FORMAT, runs.size() > 1 ? BaselineFile.VERSION : 1, suite,
                runs.isEmpty() ? null : runs.get(0), runs.size() > 1 ? List.copyOf(runs) : null, trials, models,
                winners);
    }

    /** One model's figures over two sets of runs. */
    private static BaselineFile.ModelEntry pooled(BaselineFile.ModelEntry a, BaselineFile.ModelEntry b) {
        TokensByKind tokens = tokens(a).plus(tokens(b));
        Map<String, BaselineFile.SampleEntry> samples = new LinkedHashMap<>();
        for (String metric : RunDigest.METRICS) {
            BaselineFile.SampleEntry x = a.samples() == null ? null : a.samples().get(metric);
            BaselineFile.SampleEntry y = b.samples() == null ? null : b.samples().get(metric);
            if (x != null || y != null) {
                samples.put(metric, pooled(metric, x, y));
            }
        }
        return new BaselineFile.ModelEntry(a.modelId(), a.trials() + b.trials(), a.passed() + b.passed(),
                a.errored() + b.errored(), a.costUsd() + b.costUsd(), a.unpricedTrials() + b.unpricedTrials(), tokens,
                tokens.cacheHitRatio(), samples);
    }

    private static TokensByKind tokens(BaselineFile.ModelEntry m) {
        return m.tokens() == null ? TokensByKind.ZERO : m.tokens();
    }

    /** Raw values while both sides are raw and together fit; otherwise a histogram of both. */
    private static BaselineFile.SampleEntry pooled(String metric, BaselineFile.SampleEntry x, BaselineFile.SampleEntry y) {
        double resolution = BaselineFile.resolutionOf(metric);
        Samples all = new Samples(resolution);
        double[] raw = new double[0];
        boolean allRaw = true;
        for (BaselineFile.SampleEntry e : Arrays.asList(x, y)) {
            if (e == null) {
                continue;
            }
            all.addAll(e.toSamples(resolution));
            allRaw &= e.values() != null;
            if (e.values() != null) {
                raw = concat(raw, e.values());
            }
        }
        Arrays.sort(raw);
        return BaselineFile.SampleEntry.of(allRaw ? raw : new double[0], all, metric.equals("itl_ms"));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
