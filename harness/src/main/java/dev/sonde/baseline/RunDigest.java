package dev.sonde.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.analysis.TrialFold;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Aggregates;
import dev.sonde.metrics.CostByKind;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.TokensByKind;
import dev.sonde.metrics.TrialMeasures;
import dev.sonde.metrics.Usage;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over a run's journal: the {@link Aggregates} (run, model, case × model), the trial
 * entries a baseline stores, why each case × model first failed, and — only when asked, for
 * writing a baseline — the raw sample values per model. The trial entries are small fixed-size
 * records; raw values are kept only for {@link Baselines#write}. Made by {@link Baselines#digest} and
 * fed by the run's one pass over its journal ({@link dev.sonde.analysis.JournalPass}).
 */
public final class RunDigest implements TrialFold {
    /** Sample metrics a baseline stores per model, in file order. */
    static final List<String> METRICS = List.of("ttft_ms", "ttfb_ms", "e2e_ms", "output_tps", "cost_usd", "itl_ms");

    final Aggregates aggregates = new Aggregates();
    final Map<String, BaselineFile.TrialEntry> trials = new TreeMap<>();
    final Map<String, String> modelIds = new LinkedHashMap<>();
    /** {@code case/model} → the reason its first non-passing trial did not pass. */
    final Map<String, String> firstFailure = new LinkedHashMap<>();
    /** model → metric → raw values (only when {@code keepRaw}). */
    final Map<String, Map<String, List<Double>>> raw = new LinkedHashMap<>();

    private final PricingTable pricing;
    private final boolean keepRaw;

    RunDigest(RunResult run, PricingTable pricing, boolean keepRaw) {
        this.pricing = pricing;
        this.keepRaw = keepRaw;
        if (run.info() != null && run.info().models() != null) {
            run.info().models().forEach(m -> modelIds.put(m.id(), m.model()));
        }
    }

    /** The digest of {@code run}, read from its journal on its own (commands that read nothing else). */
    static RunDigest of(RunResult run, PricingTable pricing, boolean keepRaw) throws IOException {
        RunDigest d = new RunDigest(run, pricing, keepRaw);
        dev.sonde.analysis.JournalPass.run(run.journal(), List.of(d));
        return d;
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
        // a replayed trial (response cache) is a verdict, not a measurement: no tokens, cost or latency
        Usage usage = t.replayed() ? Usage.NONE : Usage.fromJson(t.usage());
        TokensByKind tokens = TokensByKind.of(usage);
        TimingsMillis tm = t.replayed() ? null : t.timings();
        Double cost = t.replayed() ? null : t.costUsd();
        boolean errored = t.error() != null;
        TrialMeasures m = new TrialMeasures(t.pass(), errored,
                tm == null ? null : tm.ttftMs(), tm == null ? null : tm.ttfbMs(), tm == null ? null : tm.e2eMs(),
                tm == null ? null : tm.itlMs(), tm == null ? null : tm.outputTps(), tokens, cost,
                t.replayed() ? null : costByKind(pricing, t, usage));
        aggregates.add(t.caseId(), t.model(), m);
        modelIds.putIfAbsent(t.model(), t.modelId());
        List<BaselineFile.CheckEntry> checks = new ArrayList<>();
        if (t.checks() != null) {
            for (CheckResult c : t.checks()) {
                checks.add(new BaselineFile.CheckEntry(c.type(), c.pass()));
            }
        }
        trials.put(t.trialId(), new BaselineFile.TrialEntry(t.caseId(), t.model(), t.repeat(), t.pass(),
                errored ? t.error().errorClass() : null, checks, outputHash(t), tokens, cost));
        if (!t.pass()) {
            firstFailure.putIfAbsent(caseKey(t.caseId(), t.model()), whyNot(t));
        }
        if (keepRaw) {
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
    }

    /**
     * The trial's cost by kind from the pricing table, scaled so the kinds sum to the journal's
     * {@code cost_usd} (the authoritative figure: the run may have used a user pricing file); null
     * when this table cannot price the model.
     */
    private static CostByKind costByKind(PricingTable pricing, TrialResult t, Usage usage) {
        if (t.costUsd() == null) {
            return null;
        }
        CostByKind k = CostByKind.of(pricing, t.modelId(), usage).orElse(null);
        if (k == null || k.totalUsd() <= 0) {
            return null; // priced by a table we do not have: the total counts, the split cannot be known
        }
        double f = t.costUsd() / k.totalUsd();
        return new CostByKind(k.inputUsd() * f, k.cacheWrite5mUsd() * f, k.cacheWrite1hUsd() * f,
                k.cacheReadUsd() * f, k.outputUsd() * f);
    }

    private static void addIfPresent(List<Double> list, Double v) {
        if (v != null && v >= 0) {
            list.add(v);
        }
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

    /** One line: the error, or each failed check's type and reason. */
    static String whyNot(TrialResult t) {
        if (t.error() != null) {
            return t.error().describe();
        }
        StringBuilder sb = new StringBuilder();
        if (t.checks() != null) {
            for (CheckResult c : t.checks()) {
                if (!c.pass()) {
                    sb.append(sb.isEmpty() ? "" : "; ").append(c.type()).append(": ").append(c.reason());
                }
            }
        }
        String s = sb.isEmpty() ? "failed (no failing check recorded)" : sb.toString().replaceAll("\\R+", " ");
        return s.length() > 300 ? s.substring(0, 299) + "…" : s;
    }
}
