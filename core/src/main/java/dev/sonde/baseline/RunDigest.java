package dev.sonde.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.analysis.Aggregate;
import dev.sonde.analysis.Aggregates;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.analysis.TrialFold;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.TokensByKind;
import dev.sonde.metrics.Usage;
import dev.sonde.stats.Reservoir;
import dev.sonde.suite.Trial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a baseline comparison needs from a run beyond its {@link RunAnalysis}, learnt in the same
 * pass over the journal. Against a stored baseline (loaded before the pass), per case × model: the
 * pass tally, the priced trials' cost (summed in nano-dollars, so equal costs give equal means
 * whatever the order), tokens, and the latencies the paired gates need (each metric a {@link
 * Reservoir}: every value up to {@value Reservoir#CAPACITY} per case × model, then a seeded uniform
 * sample); and how many trials' outputs changed (the first {@value BaselineJudge#MAX_LISTED} by trial
 * id kept). A trial that was not evaluated (none of its checks applied) is in no tally: its case
 * × model is noted apart, so it is neither a new failure nor a missing case (its cost and tokens
 * still pair). Memory grows with cases, not trials. Only when writing a baseline ({@code keepRaw}) are
 * the trial entries and each model's raw samples kept, as the file holds them. Made by {@link
 * Baselines#digest}. Not thread-safe.
 */
public final class RunDigest implements TrialFold {
    /** Sample metrics a baseline stores per model, in file order. */
    static final List<String> METRICS = List.of("ttft_ms", "ttfb_ms", "e2e_ms", "output_tps", "cost_usd", "itl_ms");

    /** Where the stored baseline stands, as loaded before the pass. */
    enum Stored { NOT_CONFIGURED, NO_FILE, UNREADABLE, LOADED, NOT_ASKED }

    final RunAnalysis analysis;
    final Aggregates aggregates;
    /** case [model] → pass tally over the run's repeats, sorted by key; kept only against a stored baseline. */
    final Map<String, BaselineJudge.Tally> tally = new TreeMap<>();
    /** case [model] of the trials not evaluated, sorted; kept only against a stored baseline. */
    final TreeSet<String> notEvaluated = new TreeSet<>();
    /** case [model] → what the paired statistics need of it; kept only against a stored baseline. */
    final Map<String, PairMeasures> pairs = new TreeMap<>();
    /** The pairs the run set out to run when it ran part of its suite (a shard); null for the whole suite. */
    final PlannedPairs planned;
    /** Trial entries for writing a baseline (only when {@code keepRaw}). */
    final Map<String, BaselineFile.TrialEntry> trials = new TreeMap<>();
    /** model → metric → raw values (only when {@code keepRaw}). */
    final Map<String, Map<String, List<Double>>> raw = new LinkedHashMap<>();
    long outputsChanged;
    /** The first changed trial ids in id order, at most {@value BaselineJudge#MAX_LISTED}. */
    final TreeSet<String> changed = new TreeSet<>();

    final Stored stored;
    final Path baselineFile;
    final BaselineFile base;
    final String unreadable;
    private final boolean keepRaw;
    /** trial id → every baseline run's output hash, for a baseline of several runs (else null: one lookup). */
    private final Map<String, List<String>> hashesByTrial;

    /** Why the baseline the suite names could not be read, or null when it could (or there is none). */
    public String unreadableBaseline() {
        return stored == Stored.UNREADABLE ? unreadable : null;
    }

    RunDigest(RunAnalysis analysis, Stored stored, Path baselineFile, BaselineFile base, String unreadable,
            boolean keepRaw, PlannedPairs planned) {
        this.analysis = analysis;
        this.aggregates = analysis.aggregates();
        this.stored = stored;
        this.baselineFile = baselineFile;
        this.base = base;
        this.unreadable = unreadable;
        this.keepRaw = keepRaw;
        this.planned = planned;
        if (base != null && base.runCount() > 1) {
            hashesByTrial = new HashMap<>();
            for (BaselineFile.TrialEntry e : base.trials().values()) {
                if (e.outputSha256() != null) {
                    hashesByTrial.computeIfAbsent(Trial.idOf(e.caseId(), e.model(), e.repeat()), k -> new ArrayList<>(2))
                            .add(e.outputSha256());
                }
            }
        } else {
            hashesByTrial = null;
        }
    }

    /**
     * One case × model of the run as the paired statistics see it (its pass tally is {@link #tally}'s):
     * trials, priced trials and their cost in nano-dollars, tokens, and each latency metric of {@link
     * BaselineFile#TRIAL_LATENCIES} (measured trials without an error only) as a bounded sample.
     */
    static final class PairMeasures {
        long pricedTrials;
        long costNanoUsd;
        long trials;
        TokensByKind tokens = TokensByKind.ZERO;
        private final Reservoir[] latency = new Reservoir[BaselineFile.TRIAL_LATENCIES.size()];
        private final long seed;

        PairMeasures(String key) {
            seed = key.hashCode();
        }

        /** The metric's kept values; empty when none. */
        double[] values(String metric) {
            Reservoir r = latency[BaselineFile.TRIAL_LATENCIES.indexOf(metric)];
            return r == null ? new double[0] : r.values();
        }

        /** How many trials offered a value of the metric. */
        long seen(String metric) {
            Reservoir r = latency[BaselineFile.TRIAL_LATENCIES.indexOf(metric)];
            return r == null ? 0 : r.seen();
        }

        /** How many trials each kept value of the metric stands for (1 while every value is kept). */
        double weight(String metric) {
            Reservoir r = latency[BaselineFile.TRIAL_LATENCIES.indexOf(metric)];
            return r == null ? 0 : r.weight();
        }

        private void add(TrialResult t) {
            trials++;
            if (t.replayed()) {
                return; // a verdict, not a measurement
            }
            tokens = tokens.plus(TokensByKind.of(Usage.fromJson(t.usage())));
            if (t.costUsd() != null) {
                pricedTrials++;
                costNanoUsd += nanoUsd(t.costUsd());
            }
            TimingsMillis tm = t.timings();
            if (t.error() == null && tm != null) {
                for (int i = 0; i < latency.length; i++) {
                    Double v = latencyOf(tm, BaselineFile.TRIAL_LATENCIES.get(i));
                    if (v != null && v >= 0) {
                        if (latency[i] == null) {
                            latency[i] = new Reservoir(seed * 31 + i);
                        }
                        latency[i].add(v);
                    }
                }
            }
        }
    }

    /** A cost in whole nano-dollars (the resolution costs are kept at), so sums do not depend on their order. */
    static long nanoUsd(double usd) {
        return Math.round(usd * 1e9);
    }

    static Double latencyOf(TimingsMillis tm, String metric) {
        return switch (metric) {
            case "ttft_ms" -> tm.ttftMs();
            case "ttfb_ms" -> tm.ttfbMs();
            case "e2e_ms" -> tm.e2eMs();
            default -> throw new IllegalArgumentException("not a per-trial latency: " + metric);
        };
    }

    /** The run's aggregates so far. */
    public Aggregates.Snapshot aggregates() {
        return aggregates.snapshot();
    }

    /** Whether this digest keeps raw samples, as writing a baseline needs. */
    boolean keepsRaw() {
        return keepRaw;
    }

    @Override
    public void add(TrialResult t) {
        String hash = null;
        if (base != null) { // the tally is the comparison's (a run without a stored baseline keeps none)
            String key = caseKey(t.caseId(), t.model());
            if (t.notEvaluated()) {
                notEvaluated.add(key);
            } else {
                tally.merge(key, new BaselineJudge.Tally(t.caseId(), t.model(), 1, t.pass() ? 1 : 0),
                        (a, b) -> a.plus(t.pass()));
            }
            pairs.computeIfAbsent(key, PairMeasures::new).add(t);
            if (outputChanged(t, hash = outputHash(t))) {
                outputsChanged++;
                changed.add(t.trialId());
                if (changed.size() > BaselineJudge.MAX_LISTED) {
                    changed.pollLast();
                }
            }
        }
        if (keepRaw) {
            keep(t, hash != null ? hash : outputHash(t));
        }
    }

    /** Whether the baseline holds this trial with an output hash, and no run of it had this output. */
    private boolean outputChanged(TrialResult t, String hash) {
        if (hashesByTrial != null) {
            List<String> was = hashesByTrial.get(t.trialId());
            return was != null && !was.contains(hash);
        }
        BaselineFile.TrialEntry was = base.trials().get(t.trialId());
        return was != null && was.outputSha256() != null && !was.outputSha256().equals(hash);
    }

    private void keep(TrialResult t, String hash) {
        Usage usage = t.replayed() ? Usage.NONE : Usage.fromJson(t.usage());
        TimingsMillis tm = t.replayed() ? null : t.timings();
        Double cost = t.replayed() ? null : t.costUsd();
        boolean errored = t.error() != null;
        List<BaselineFile.CheckEntry> checks = new ArrayList<>();
        if (t.checks() != null) {
            for (CheckResult c : t.checks()) {
                checks.add(new BaselineFile.CheckEntry(c.type(), c.pass(), c.applicable()));
            }
        }
        boolean timed = !errored && tm != null;
        trials.put(t.trialId(), new BaselineFile.TrialEntry(t.caseId(), t.model(), t.repeat(), null, t.pass(),
                errored ? t.error().errorClass() : null, checks, hash, TokensByKind.of(usage), cost,
                timed ? nonNegative(tm.ttftMs()) : null, timed ? nonNegative(tm.ttfbMs()) : null,
                timed ? nonNegative(tm.e2eMs()) : null));
        Map<String, List<Double>> byMetric = raw.computeIfAbsent(t.model(), k -> new LinkedHashMap<>());
        METRICS.forEach(k -> byMetric.computeIfAbsent(k, x -> new ArrayList<>()));
        if (!errored && tm != null) {
            addIfPresent(byMetric.get("ttft_ms"), tm.ttftMs());
            addIfPresent(byMetric.get("ttfb_ms"), tm.ttfbMs());
            addIfPresent(byMetric.get("e2e_ms"), tm.e2eMs());
            addIfPresent(byMetric.get("output_tps"), tm.outputTps());
        }
        addIfPresent(byMetric.get("cost_usd"), cost);
    }

    private static Double nonNegative(Double v) {
        return v != null && v >= 0 ? v : null;
    }

    private static void addIfPresent(List<Double> list, Double v) {
        if (v != null && v >= 0) {
            list.add(v);
        }
    }

    /**
     * Why a latency gate of {@code model} has no {@code metric} samples from this run: when its
     * trials were answered without timings by design, it says how many and why ("no ttft_ms samples
     * in the run: its 14 trials on sonnet were sent through Message Batches, which report no
     * timings"); otherwise just that there are none.
     */
    String noRunSamples(String model, String metric) {
        String none = "no " + metric + " samples in the run";
        Aggregate a = aggregates.models().get(model);
        if (a == null || a.untimedTrials() == 0) {
            return none;
        }
        String which = a.untimedTrials() == a.trials() ? "its " + a.trials() + " trial" + (a.trials() == 1 ? "" : "s")
                : a.untimedTrials() + " of its " + a.trials() + " trials";
        return none + ": " + which + " on " + model + (a.untimedTrials() == 1 ? " was " : " were ") + a.untimedReason();
    }

    static String caseKey(String caseId, String model) {
        return caseId + " [" + model + "]";
    }

    /** SHA-256 of the output text and, when present, the tool calls' JSON. */
    static String outputHash(TrialResult t) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((t.outputText() == null ? "" : t.outputText()).getBytes(StandardCharsets.UTF_8));
            if (t.toolCalls() != null && !t.toolCalls().isEmpty()) {
                sha.update((byte) 0);
                for (JsonNode call : t.toolCalls()) {
                    sha.update(call.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
