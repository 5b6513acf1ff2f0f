package dev.sonde.baseline;

import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.RunInfo;
import dev.sonde.analysis.Aggregate;
import dev.sonde.analysis.Aggregates;
import dev.sonde.analysis.CompareWinners;
import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.analysis.TrialFold;
import dev.sonde.metrics.PricingTable;
import dev.sonde.stats.Samples;
import dev.sonde.run.RunResult;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
     * An empty digest of {@code run} for its one pass over the journal, beside {@code analysis}'s
     * folds ({@link dev.sonde.analysis.JournalPass}): the baseline the suite names is loaded now, so the
     * pass can compare each trial's output with it. Compare or write with it once the pass is done.
     *
     * @param keepRaw keep each trial's entry and each model's raw samples, as writing a baseline needs
     */
    public static RunDigest digest(Suite suite, RunAnalysis analysis, boolean keepRaw) {
        return digest(suite, analysis, keepRaw, null);
    }

    /**
     * As {@link #digest(Suite, RunAnalysis, boolean)} for a run of part of its suite: it is compared
     * with {@code planned}'s pairs of the baseline only.
     *
     * @param planned the pairs of a shard, or null for a run of the whole suite
     */
    public static RunDigest digest(Suite suite, RunAnalysis analysis, boolean keepRaw, PlannedPairs planned) {
        if (suite.baseline() == null) {
            return new RunDigest(analysis, RunDigest.Stored.NOT_CONFIGURED, null, null, null, keepRaw, planned);
        }
        return digest(suite.baseline().file(), analysis, keepRaw, planned);
    }

    private static RunDigest digest(Path file, RunAnalysis analysis, boolean keepRaw, PlannedPairs planned) {
        if (!Files.isRegularFile(file)) {
            return new RunDigest(analysis, RunDigest.Stored.NO_FILE, file, null, null, keepRaw, planned);
        }
        try {
            return new RunDigest(analysis, RunDigest.Stored.LOADED, file, BaselineFile.read(file), null, keepRaw,
                    planned);
        } catch (IOException e) {
            return new RunDigest(analysis, RunDigest.Stored.UNREADABLE, file, null, e.getMessage(), keepRaw, planned);
        }
    }

    /** Compares {@code run} with the baseline its suite names, priced with the suite's pricing table. */
    public static Comparison compare(Suite suite, RunResult run) throws SuiteException, IOException {
        gates(suite);
        RunAnalysis analysis = RunAnalysis.begin(run.info(), run.outDir(), pricing(suite), false);
        return compare(suite, run, pass(run, analysis, digest(suite, analysis, false)));
    }

    /** Compares {@code run}, whose journal {@code digest} has read, with the baseline its suite names. */
    public static Comparison compare(Suite suite, RunResult run, RunDigest digest) throws SuiteException {
        Gates gates = gates(suite);
        return compare(run, gates, digest);
    }

    /** Compares {@code run} with the baseline at {@code file} under {@code gates}. */
    public static Comparison compare(Path file, RunResult run, Gates gates, PricingTable pricing) throws IOException {
        RunAnalysis analysis = RunAnalysis.begin(run.info(), run.outDir(), pricing, false);
        return compare(run, gates, pass(run, analysis, digest(file, analysis, false, null)));
    }

    private static Comparison compare(RunResult run, Gates gates, RunDigest digest) {
        Path file = digest.baselineFile;
        return switch (digest.stored) {
            case NOT_CONFIGURED -> without(Comparison.Status.NOT_CONFIGURED, null, "the suite has no baseline: section,"
                    + " so no baseline gates apply", digest, false);
            case NO_FILE -> without(Comparison.Status.NO_BASELINE_FILE, file, "no baseline file yet at " + file
                    + ": accept a run with `sonde baseline accept " + run.outDir() + " --out " + file + "`", digest,
                    false);
            case UNREADABLE -> without(Comparison.Status.BASELINE_UNREADABLE, file, digest.unreadable, digest, true);
            case LOADED -> BaselineJudge.compare(digest.base, file.toString(), digest, run, gates);
            case NOT_ASKED -> throw new IllegalStateException("this digest was made to write a baseline, not compare");
        };
    }

    /** Compares {@code run} with a baseline already in memory (tests, and callers that hold one). */
    static Comparison compare(BaselineFile base, String name, RunResult run, Gates gates, PricingTable pricing)
            throws IOException {
        return compare(base, name, run, gates, pricing, null);
    }

    /** As above, for a run of {@code planned}'s part of the suite. */
    static Comparison compare(BaselineFile base, String name, RunResult run, Gates gates, PricingTable pricing,
            PlannedPairs planned) throws IOException {
        RunAnalysis analysis = RunAnalysis.begin(run.info(), run.outDir(), pricing, false);
        RunDigest digest = pass(run, analysis,
                new RunDigest(analysis, RunDigest.Stored.LOADED, Path.of(name), base, null, false, planned));
        return BaselineJudge.compare(base, name, digest, run, gates);
    }

    /** Feeds {@code run}'s journal to {@code analysis} and {@code digest} in one pass; a failing fold throws. */
    private static RunDigest pass(RunResult run, RunAnalysis analysis, RunDigest digest) throws IOException {
        List<TrialFold> folds = new ArrayList<>(analysis.folds());
        folds.add(digest);
        JournalPass.Result read = JournalPass.run(run.journal(), folds);
        analysis.finish(read);
        for (JournalPass.Failure f : read.failures()) {
            throw f.cause();
        }
        return digest;
    }

    private static Comparison without(Comparison.Status status, Path file, String message, RunDigest digest,
            boolean fail) {
        Aggregates.Snapshot aggregates = digest.aggregates.snapshot();
        List<GateResult> gates = fail ? List.of(new GateResult("baseline", "run", GateResult.Decision.FAIL,
                "unreadable", "", "", message, null, null, null, null, null)) : List.of();
        Verdict verdict = Verdict.of(gates, fail ? List.of() : List.of(message));
        return new Comparison(status, file == null ? null : file.toString(), message, null, null, null, List.of(), null,
                null, null, null, aggregates, verdict);
    }

    /** The run's aggregates (run, model, case × model) alone, for reports of runs without a baseline. */
    public static Aggregates.Snapshot aggregates(RunResult run, PricingTable pricing) throws IOException {
        return RunAnalysis.read(run.journal(), run.info(), run.outDir(), pricing, false).aggregates().snapshot();
    }

    /**
     * Writes {@code run} as the baseline at {@code file} (creating folders), replacing any
     * previous one only once the new one is complete.
     *
     * @return the baseline written
     */
    public static BaselineFile write(RunResult run, Path file) throws IOException {
        return write(run, forWriting(run), file);
    }

    /** A digest that kept what a baseline file holds, from a pass of its own over {@code run}'s journal. */
    private static RunDigest forWriting(RunResult run) throws IOException {
        RunAnalysis analysis = RunAnalysis.begin(run.info(), run.outDir(), defaultPricing(), false);
        return pass(run, analysis, new RunDigest(analysis, RunDigest.Stored.NOT_ASKED, null, null, null, true, null));
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

    /**
     * Writes {@code runs} (oldest first) as one baseline at {@code file}; with {@code append}, after
     * the runs the file already holds (a missing file is started). A baseline of several runs lets
     * the comparison see its own run-to-run spread (its noise floor).
     *
     * @throws Refused the runs cannot be one baseline (other suite or plan, a shard, a run twice,
     *     too many runs): one line saying which and why
     * @throws IOException a run's journal or the existing file cannot be read, or the file not written
     */
    public static BaselineFile accept(List<RunResult> runs, Path file, boolean append) throws Refused, IOException {
        List<BaselineFile> parts = new ArrayList<>();
        if (append && Files.exists(file)) {
            try {
                parts.add(BaselineFile.read(file));
            } catch (IOException e) {
                throw new Refused("--append: " + e.getMessage());
            }
        }
        for (RunResult run : runs) {
            parts.add(of(run));
        }
        BaselineFile baseline;
        try {
            baseline = parts.size() == 1 ? parts.get(0) : BaselineRuns.combine(parts);
        } catch (BaselineRuns.Mismatch e) {
            throw new Refused(e.getMessage());
        }
        AtomicFile.write(file, baseline::writeTo);
        return baseline;
    }

    /** Runs that cannot be one baseline, or a baseline that cannot be appended to: the user's input to fix. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** The baseline a run makes, without writing it. */
    public static BaselineFile of(RunResult run) throws IOException {
        return of(run, forWriting(run));
    }

    private static BaselineFile of(RunResult run, RunDigest d) {
        Map<String, BaselineFile.ModelEntry> models = new LinkedHashMap<>();
        d.aggregates.models().forEach((label, agg) -> models.put(label, model(label, agg, d)));
        RunInfo i = run.info();
        BaselineFile.Source source = i == null ? null : source(i);
        Map<String, Map<String, String>> winners = new TreeMap<>();
        for (CompareWinners.Tally t : d.analysis.compared().tallies()) {
            if (t.best() != null) {
                winners.computeIfAbsent(t.caseId(), k -> new TreeMap<>()).put(t.type(), t.best());
            }
        }
        return new BaselineFile(BaselineFile.FORMAT, 1, i == null ? null : i.suite(), source, null, d.trials, models,
                winners);
    }

    private static BaselineFile.ModelEntry model(String label, Aggregate agg, RunDigest d) {
        Aggregate.Stats s = agg.stats();
        Map<String, BaselineFile.SampleEntry> samples = new LinkedHashMap<>();
        Map<String, List<Double>> raw = d.raw.getOrDefault(label, Map.of());
        for (String metric : RunDigest.METRICS) {
            Samples all = BaselineJudge.runSamples(d, label, metric);
            double[] values = raw.getOrDefault(metric, List.of()).stream().mapToDouble(Double::doubleValue)
                    .sorted().toArray();
            samples.put(metric, BaselineFile.SampleEntry.of(values, all, metric.equals("itl_ms")));
        }
        return new BaselineFile.ModelEntry(d.analysis.modelIds().get(label), s.trials(), s.passed(), s.errored(), s.costUsd(),
                s.unpricedTrials(), s.tokens(), s.cacheHitRatio(), samples);
    }

    /**
     * The file {@code --update-baseline} writes for {@code suite}: its {@code baseline.file}, else
     * {@code ../reports/baselines/<suite>.json} from the suite's folder.
     */
    public static Path fileFor(Suite suite) {
        return suite.baseline() != null ? suite.baseline().file()
                : suite.file().toAbsolutePath().getParent().resolve("../reports/baselines/" + suite.name() + ".json")
                        .normalize();
    }

    /** A benchmark suite's gates ({@code load:}) over their defaults; throws for a mistake in {@code baseline.gates}. */
    public static BenchmarkGates benchmarkGates(Suite suite) throws SuiteException {
        return BenchmarkGates.of(suite.baseline());
    }

    /**
     * The benchmark baseline {@code suite} names, read and checked against the suite's load before
     * anything is sent: a baseline of another load (mode, arrivals, duration, warm-up, request cap,
     * in-flight cap or SLO) could only be misjudged against.
     *
     * @return null when the suite has no {@code baseline:} section or its file does not exist yet
     * @throws Refused the file cannot be read, is an evaluation's, or was accepted from another load: one line
     */
    public static BenchmarkBaseline benchmarkBaseline(Suite suite) throws Refused {
        if (suite.baseline() == null || !Files.exists(suite.baseline().file())) {
            return null;
        }
        Path file = suite.baseline().file();
        BenchmarkBaseline base;
        try {
            base = BenchmarkBaseline.read(file);
        } catch (IOException e) {
            throw new Refused(e.getMessage());
        }
        List<String> changed = base.load().differences(BenchmarkBaseline.Shape.of(suite.load()));
        if (!changed.isEmpty()) {
            throw new Refused(file + ": the suite's load: has changed since its baseline was accepted ("
                    + String.join(", ", changed) + "): a benchmark compares only with runs of the same load; accept a"
                    + " run of this one (sonde baseline accept RUN_DIR) or run with --update-baseline");
        }
        return base;
    }

    /**
     * Compares a benchmark run, whose journal {@code digest} has read, with {@code base} (null: the
     * suite names none, or its file is not there yet — the comparison passes and says so).
     */
    public static BenchmarkComparison compareBenchmark(Suite suite, BenchmarkBaseline base, BenchmarkDigest digest,
            Path runDir, RunInfo info) throws SuiteException {
        BenchmarkGates gates = benchmarkGates(suite);
        if (suite.baseline() == null) {
            return new BenchmarkComparison(BenchmarkComparison.Status.NOT_CONFIGURED, null, 0, Verdict.of(List.of(),
                    List.of("the suite has no baseline: section, so no baseline gates apply")));
        }
        Path file = suite.baseline().file();
        if (base == null && Files.exists(file)) { // refused before the run, and --update-baseline replaces it
            return new BenchmarkComparison(BenchmarkComparison.Status.NOT_COMPARED, file.toString(), 0,
                    Verdict.of(List.of(), List.of("the baseline at " + file + " was not compared (unreadable, or of"
                            + " another load): --update-baseline replaces it")));
        }
        if (base == null) {
            return new BenchmarkComparison(BenchmarkComparison.Status.NO_BASELINE_FILE, file.toString(), 0,
                    Verdict.of(List.of(), List.of("no baseline file yet at " + file + ": accept this run with `sonde"
                            + " baseline accept " + runDir + "`")));
        }
        Verdict verdict = BenchmarkJudge.compare(base, digest, gates);
        String shift = base.runs().stream().map(r -> BaselineJudge.originShift(r, info)).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
        if (shift != null) { // a baseline run timed from another origin: said once, gates unchanged
            List<String> notes = new java.util.ArrayList<>(verdict.notes());
            notes.add(0, shift);
            verdict = new Verdict(verdict.passed(), verdict.gates(), notes);
        }
        return new BenchmarkComparison(BenchmarkComparison.Status.COMPARED, file.toString(), base.runCount(), verdict);
    }

    /** A comparison that did not take place, and why (a stopped benchmark). */
    public static BenchmarkComparison notCompared(Suite suite, String why) {
        if (suite.baseline() == null) {
            return new BenchmarkComparison(BenchmarkComparison.Status.NOT_CONFIGURED, null, 0, Verdict.of(List.of(),
                    List.of("the suite has no baseline: section, so no baseline gates apply")));
        }
        return new BenchmarkComparison(BenchmarkComparison.Status.NOT_COMPARED, suite.baseline().file().toString(), 0,
                Verdict.of(List.of(), List.of(why)));
    }

    /** A finished benchmark run: what it recorded at its start, the load it ran, its journal. */
    public record BenchmarkRun(RunInfo info, dev.sonde.suite.LoadSpec load, Path journal) {}

    /**
     * Writes {@code runs} (oldest first) as one benchmark baseline at {@code file}; with
     * {@code append}, after the runs the file already holds (a missing file is started).
     *
     * @throws Refused the runs cannot be one baseline (another suite or load, a run twice, too many
     *     runs), or the file to append to is not a readable benchmark baseline: one line
     */
    public static BenchmarkBaseline acceptBenchmarks(List<BenchmarkRun> runs, Path file, boolean append)
            throws Refused, IOException {
        List<BenchmarkBaseline> parts = new ArrayList<>();
        if (append && Files.exists(file)) {
            try {
                parts.add(BenchmarkBaseline.read(file));
            } catch (IOException e) {
                throw new Refused("--append: " + e.getMessage());
            }
        }
        for (BenchmarkRun run : runs) {
            BenchmarkDigest digest = new BenchmarkDigest(run.load());
            JournalPass.Result read = JournalPass.run(run.journal(), List.of(digest));
            for (JournalPass.Failure f : read.failures()) {
                throw f.cause();
            }
            parts.add(BenchmarkBaseline.of(run.info().suite(), source(run.info()), digest));
        }
        BenchmarkBaseline baseline;
        try {
            baseline = parts.size() == 1 ? parts.get(0) : BenchmarkBaseline.combine(parts);
        } catch (BaselineRuns.Mismatch e) {
            throw new Refused(e.getMessage());
        }
        AtomicFile.write(file, baseline::writeTo);
        return baseline;
    }

    /** Writes the benchmark run {@code info}, whose journal {@code digest} has read, as the baseline at {@code file}. */
    public static BenchmarkBaseline writeBenchmark(RunInfo info, BenchmarkDigest digest, Path file) throws IOException {
        BenchmarkBaseline baseline = BenchmarkBaseline.of(info.suite(), source(info), digest);
        AtomicFile.write(file, baseline::writeTo);
        return baseline;
    }

    private static BaselineFile.Source source(RunInfo i) {
        return new BaselineFile.Source(i.runId(), i.endpoint(), i.live(), i.startedAt(), i.sondeVersion(),
                i.pricingVersion(), i.planHash(), i.timingOrigin());
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
