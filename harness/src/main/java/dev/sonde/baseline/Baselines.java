package dev.sonde.baseline;

import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.Aggregate;
import dev.sonde.metrics.Aggregates;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Samples;
import dev.sonde.run.RunResult;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline room's front door: write a baseline from a finished run, and compare a run with
 * the baseline its suite names.
 *
 * <ul>
 *   <li>{@link #write(RunResult, Path)} — {@code sonde baseline accept RUN_DIR} and
 *       {@code --update-baseline}: all-or-nothing (a temporary file moved into place).
 *   <li>{@link #compare(Suite, RunResult)} — never fails for a missing baseline: the comparison
 *       says {@link Comparison.Status#NOT_CONFIGURED} or {@link Comparison.Status#NO_BASELINE_FILE}
 *       and its verdict passes, with a note saying how to make one. An unreadable baseline file
 *       is a failing verdict. Bad gate settings are a {@link SuiteException} (check them before
 *       the run with {@link #gates(Suite)}).
 * </ul>
 *
 * The journal is streamed once; aggregates use fixed memory per model and case. Thread-safe
 * (no shared state).
 */
public final class Baselines {

    private Baselines() {}

    /** The built-in pricing table, parsed once (immutable and thread-safe). */
    private static final class DefaultPricing {
        static final PricingTable TABLE = PricingTable.defaults();
    }

    /** The built-in pricing table, shared. */
    public static PricingTable defaultPricing() {
        return DefaultPricing.TABLE;
    }

    /** The suite's gates over the defaults; throws for a mistake in {@code baseline.gates}. */
    public static Gates gates(Suite suite) throws SuiteException {
        return Gates.of(suite.baseline());
    }

    /**
     * An empty digest of {@code run} for its one pass over the journal
     * ({@link dev.sonde.analysis.JournalPass}); compare or write with it once the pass is done.
     *
     * @param pricing the run's pricing table (the built-in one, the suite's file and {@code --pricing}),
     *     which splits each trial's cost by token kind
     * @param keepRaw keep each model's raw samples, as writing a baseline needs
     */
    public static RunDigest digest(RunResult run, PricingTable pricing, boolean keepRaw) {
        return new RunDigest(run, pricing, keepRaw);
    }

    /** Compares {@code run} with the baseline its suite names, priced with the suite's pricing table. */
    public static Comparison compare(Suite suite, RunResult run) throws SuiteException, IOException {
        gates(suite);
        RunDigest digest = RunDigest.of(run, pricing(suite), false);
        return compare(suite, run, digest);
    }

    /** Compares {@code run}, whose journal {@code digest} has read, with the baseline its suite names. */
    public static Comparison compare(Suite suite, RunResult run, RunDigest digest) throws SuiteException, IOException {
        Gates gates = gates(suite);
        if (suite.baseline() == null) {
            return without(Comparison.Status.NOT_CONFIGURED, null, "the suite has no baseline: section; nothing"
                    + " compared", digest, false);
        }
        return compare(suite.baseline().file(), run, gates, digest);
    }

    /** Compares {@code run} with the baseline at {@code file} under {@code gates}. */
    public static Comparison compare(Path file, RunResult run, Gates gates, PricingTable pricing) throws IOException {
        return compare(file, run, gates, RunDigest.of(run, pricing, false));
    }

    private static Comparison compare(Path file, RunResult run, Gates gates, RunDigest digest) {
        if (!Files.isRegularFile(file)) {
            return without(Comparison.Status.NO_BASELINE_FILE, file, "no baseline file yet at " + file
                    + ": accept a run with `sonde baseline accept " + run.outDir() + " --out " + file + "`", digest,
                    false);
        }
        BaselineFile base;
        try {
            base = BaselineFile.read(file);
        } catch (IOException e) {
            return without(Comparison.Status.BASELINE_UNREADABLE, file, e.getMessage(), digest, true);
        }
        return Compare.compare(base, file.toString(), digest, run, gates);
    }

    /** Compares {@code run} with a baseline already in memory (tests, and callers that hold one). */
    static Comparison compare(BaselineFile base, String name, RunResult run, Gates gates, PricingTable pricing)
            throws IOException {
        return Compare.compare(base, name, RunDigest.of(run, pricing, false), run, gates);
    }

    private static Comparison without(Comparison.Status status, Path file, String message, RunDigest digest,
            boolean fail) {
        Aggregates.Snapshot aggregates = digest.aggregates.snapshot();
        List<GateResult> gates = fail ? List.of(new GateResult("baseline", "run", GateResult.Outcome.FAIL,
                "unreadable", "", "", message, null, null, null, null, null)) : List.of();
        Verdict verdict = Verdict.of(gates, fail ? List.of() : List.of(message));
        return new Comparison(status, file == null ? null : file.toString(), message, null, null, null, List.of(), null,
                null, null, null, aggregates, verdict);
    }

    /** The run's aggregates (run, model, case × model) alone, for reports of runs without a baseline. */
    public static Aggregates.Snapshot aggregates(RunResult run, PricingTable pricing) throws IOException {
        return RunDigest.of(run, pricing, false).aggregates.snapshot();
    }

    /**
     * Writes {@code run} as the baseline at {@code file} (creating folders), replacing any
     * previous one only once the new one is complete.
     *
     * @return the baseline written
     */
    public static BaselineFile write(RunResult run, Path file) throws IOException {
        return write(run, RunDigest.of(run, defaultPricing(), true), file);
    }

    /** As {@link #write(RunResult, Path)}, from a digest that kept raw samples ({@link #digest} with keepRaw). */
    public static BaselineFile write(RunResult run, RunDigest digest, Path file) throws IOException {
        if (!digest.keepsRaw()) {
            throw new IllegalArgumentException("a baseline needs a digest that kept raw samples");
        }
        BaselineFile baseline = of(run, digest);
        AtomicFile.write(file, baseline::writeTo);
        return baseline;
    }

    /** The baseline a run makes, without writing it. */
    public static BaselineFile of(RunResult run) throws IOException {
        return of(run, RunDigest.of(run, defaultPricing(), true));
    }

    private static BaselineFile of(RunResult run, RunDigest d) {
        Map<String, BaselineFile.ModelEntry> models = new LinkedHashMap<>();
        d.aggregates.models().forEach((label, agg) -> models.put(label, model(label, agg, d)));
        RunInfo i = run.info();
        BaselineFile.Source source = i == null ? null : new BaselineFile.Source(i.runId(), i.endpoint(), i.live(),
                i.startedAt(), i.sondeVersion(), i.pricingVersion());
        return new BaselineFile(BaselineFile.FORMAT, BaselineFile.VERSION, i == null ? null : i.suite(), source,
                d.trials, models);
    }

    private static BaselineFile.ModelEntry model(String label, Aggregate agg, RunDigest d) {
        Aggregate.Stats s = agg.stats();
        Map<String, BaselineFile.SampleEntry> samples = new LinkedHashMap<>();
        Map<String, List<Double>> raw = d.raw.getOrDefault(label, Map.of());
        for (String metric : RunDigest.METRICS) {
            Samples all = Compare.runSamples(d, label, metric);
            double[] values = raw.getOrDefault(metric, List.of()).stream().mapToDouble(Double::doubleValue)
                    .sorted().toArray();
            samples.put(metric, BaselineFile.SampleEntry.of(values, all, metric.equals("itl_ms")));
        }
        return new BaselineFile.ModelEntry(d.modelIds.get(label), s.trials(), s.passed(), s.errored(), s.costUsd(),
                s.unpricedTrials(), s.tokens(), s.cacheHitRatio(), samples);
    }

    private static PricingTable pricing(Suite suite) {
        PricingTable table = defaultPricing();
        if (suite.pricing() != null) {
            try {
                return table.extendedBy(suite.pricing());
            } catch (IOException | IllegalArgumentException e) {
                return table; // the run itself already reported a bad pricing file
            }
        }
        return table;
    }
}
