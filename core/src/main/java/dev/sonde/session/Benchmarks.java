package dev.sonde.session;

import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.analysis.TrialFold;
import dev.sonde.baseline.Baselines;
import dev.sonde.baseline.BenchmarkBaseline;
import dev.sonde.baseline.BenchmarkComparison;
import dev.sonde.baseline.BenchmarkDigest;
import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.PricingTable;
import dev.sonde.report.BenchmarkResults;
import dev.sonde.report.IntervalLogs;
import dev.sonde.report.LoadReport;
import dev.sonde.run.BenchmarkFolder;
import dev.sonde.run.LoadDetail;
import dev.sonde.run.LoadMerge;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.StepResult;
import dev.sonde.suite.LoadSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's outputs from one read of its journal: its steps (the run's analysis), then its
 * interval log ({@link IntervalLogs}, fed by the same pass), {@code results.json} and
 * {@code report.html}. The same whether the benchmark has just run, is re-rendered by
 * {@code sonde report}, or was merged from several load generators by {@code sonde merge}; calls no
 * API and never loads the suite (what ran comes from the run's files, {@link BenchmarkFolder}).
 */
public final class Benchmarks {
    private Benchmarks() {}

    /**
     * A run's comparison with its suite's baseline: the stored baseline ({@code base}, null when the
     * suite names none or its file is not there yet), and whether the run then becomes the baseline
     * ({@code --update-baseline}); {@code stopped} is why the run was stopped before its last step
     * ended (Ctrl-C, SIGTERM), or null: a stopped run's steps are partial (the ones not begun read
     * zero), so it is not compared, never becomes the baseline, and says so in {@code results.json}.
     */
    /** The benchmark's journal could not be read or analysed: bad input, not a failure to write. */
    public static final class Unreadable extends IOException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    record Baselining(Suite suite, BenchmarkBaseline base, boolean update, String stopped) {}

    /**
     * Writes every output of the benchmark in {@code outDir} from its journal.
     *
     * @param load the load the steps are folded under (the suite's, or a merge's sum of the machines')
     * @param meta the run as recorded at its start (provenance, the interval log's start time)
     * @param merge the merge that made the run, or null
     * @throws IOException the journal cannot be read (a damaged line names itself), or an output cannot be
     *     written; an interval log not finished is never left in place
     */
    static SuiteSession.Benchmarked write(String suite, String suiteFile, LoadSpec load, RunInfo meta, Path outDir,
            PricingTable pricing, LoadMerge.Record merge, Baselining baselining) throws IOException, SuiteException {
        return write(suite, suiteFile, load, meta, outDir, pricing, merge, baselining, null,
                baselining == null ? null : baselining.stopped());
    }

    /**
     * @param kept what the run's {@code results.json} said of its baseline when it ran (re-rendered as
     *     it was: the suite is not reloaded), or null; used only without {@code baselining}
     */
    private static SuiteSession.Benchmarked write(String suite, String suiteFile, LoadSpec load, RunInfo meta,
            Path outDir, PricingTable pricing, LoadMerge.Record merge, Baselining baselining,
            com.fasterxml.jackson.databind.JsonNode kept, String stopped) throws IOException, SuiteException {
        RunAnalysis analysis = RunAnalysis.begin(meta, outDir, pricing, false).withSteps(load);
        IntervalLogs intervals = IntervalLogs.begin(meta, outDir);
        BenchmarkDigest digest = baselining == null ? null : new BenchmarkDigest(load);
        List<TrialFold> folds = new ArrayList<>(analysis.folds());
        folds.add(intervals);
        if (digest != null) {
            folds.add(digest);
        }
        JournalPass.Result read;
        try {
            read = JournalPass.run(outDir.resolve("trials.jsonl"), folds);
        } catch (IOException | RuntimeException e) {
            intervals.abort();
            throw e;
        }
        analysis.finish(read);
        Exception lost = analysis.failed().get(RunAnalysis.Part.AGGREGATES);
        if (lost != null) {
            intervals.abort();
            throw new Unreadable("the benchmark's journal could not be analysed: " + lost.getMessage(), lost);
        }
        for (JournalPass.Failure f : read.failures()) {
            if (digest != null && f.fold() == digest) {
                intervals.abort();
                throw new Unreadable("the benchmark's journal could not be analysed: " + f.cause().getMessage(),
                        f.cause());
            }
            if (f.fold() == intervals) {
                intervals.abort();
                throw new IOException(IntervalLogs.FILE + " could not be written: " + f.cause().getMessage(), f.cause());
            }
        }
        Path log = intervals.finish();
        List<StepResult> steps = analysis.steps();
        Integer saturation = LoadRunner.saturation(steps);
        LoadDetail detail = analysis.loadDetail();
        BenchmarkComparison comparison = baselining == null ? null
                : stopped != null ? Baselines.notCompared(baselining.suite(), "the benchmark was stopped (" + stopped
                        + "): its steps are partial, so they are not compared with the baseline")
                : Baselines.compareBenchmark(baselining.suite(), baselining.base(), digest, outDir, meta);
        Path file = BenchmarkResults.write(suite, suiteFile, load, steps, saturation, detail.timeline(), meta, outDir,
                log, merge, comparison != null ? comparison : kept,
                comparison != null ? comparison.verdict().passed() : kept == null || kept.at("/verdict/passed").asBoolean(true),
                stopped);
        LoadRunner.LoadResult result = new LoadRunner.LoadResult(List.copyOf(steps), saturation, file);
        LoadReport.write(suite, result, detail, meta, outDir,
                comparison != null ? dev.sonde.journal.Journal.JSON.valueToTree(comparison) : kept);
        Path written = null;
        if (baselining != null && baselining.update() && stopped == null) {
            written = Baselines.fileFor(baselining.suite());
            Baselines.writeBenchmark(meta, digest, written);
        }
        return new SuiteSession.Benchmarked(result, analysis, meta, load.slo(), comparison, written);
    }

    /**
     * {@code sonde report} on a benchmark's folder: {@code results.json}, {@code report.html} and
     * {@value IntervalLogs#FILE} written again from its journal, as the run wrote them (a merged
     * run keeps its {@code merge} record, a compared run its {@code baseline} verdict as it was).
     */
    public static SuiteSession.Benchmarked rerender(BenchmarkFolder run) throws IOException {
        try {
            return write(run.info().suite(), run.info().suiteFile(), run.load(), run.info(), run.dir(),
                    PricingTable.defaults(), run.merge(), null, run.baseline(), run.stopped());
        } catch (SuiteException e) {
            throw new IllegalStateException("no suite is read when re-rendering", e);
        }
    }
}
