package dev.sonde.session;

import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.analysis.TrialFold;
import dev.sonde.baseline.Baselines;
import dev.sonde.baseline.Comparison;
import dev.sonde.baseline.PlannedPairs;
import dev.sonde.baseline.RunDigest;
import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.PricingTable;
import dev.sonde.migration.Migration;
import dev.sonde.migration.ModelComparison;
import dev.sonde.report.Reports;
import dev.sonde.run.RunResult;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Everything an evaluation learns from its trials, begun before the first is sent: the run's
 * analysis, the baseline digest, the model comparison's cases and every report format, as the
 * folds of one pass. {@code sonde run} feeds them live as the journal takes each trial
 * ({@link JournalPass#live}), so nothing is read back after the last one; {@code sonde merge} feeds
 * them from one read of the merged journal. Then {@link #complete} judges the baseline and the
 * comparison and writes the outputs.
 */
final class AfterRun {
    private final Suite suite;
    private final boolean updateBaseline;
    private final RunAnalysis analysis;
    private final RunDigest digest;
    private final Migration.Collector cases;
    private final Reports.Pass reports;
    private final List<TrialFold> folds = new ArrayList<>();

    private AfterRun(Suite suite, List<Trial> plan, RunInfo info, Path outDir, boolean updateBaseline,
            PricingTable pricing, PlannedPairs planned) throws SuiteException, IOException {
        Baselines.gates(suite);
        this.suite = suite;
        this.updateBaseline = updateBaseline;
        analysis = RunAnalysis.begin(info, outDir, pricing, true);
        if (suite.variants().isEmpty() && suite.load() == null) {
            analysis.closingCases(Plan.trialsPerCase(suite, plan));
        }
        digest = Baselines.digest(suite, analysis, updateBaseline, planned);
        cases = Migration.collector(suite);
        reports = Reports.begin(info, outDir, EnumSet.allOf(Reports.Format.class), analysis);
        reports.sentRequests(new SentRequests(plan));
        folds.addAll(analysis.folds());
        folds.addAll(reports.folds());
        folds.add(digest);
        folds.add(cases);
    }

    /**
     * Begins the folds of a run described by {@code info}, writing into {@code outDir}; the stored
     * baseline, if any, is read now (before the run's own trials arrive).
     *
     * @param plan the suite's plan (its request bodies go into the HTML report)
     * @throws SuiteException a bad gate setting in the suite
     * @throws IOException the stored baseline cannot be read, or a report file cannot be started
     */
    static AfterRun begin(Suite suite, List<Trial> plan, RunInfo info, Path outDir, boolean updateBaseline,
            PricingTable pricing) throws SuiteException, IOException {
        return new AfterRun(suite, plan, info, outDir, updateBaseline, pricing, null);
    }

    /**
     * As {@link #begin(Suite, List, RunInfo, Path, boolean, PricingTable)} for a run of part of its
     * suite: {@code plan} is its share, and the baseline is compared on {@code planned}'s pairs only.
     */
    static AfterRun begin(Suite suite, List<Trial> plan, RunInfo info, Path outDir, boolean updateBaseline,
            PricingTable pricing, PlannedPairs planned) throws SuiteException, IOException {
        return new AfterRun(suite, plan, info, outDir, updateBaseline, pricing, planned);
    }

    /**
     * Refuses to begin a run whose suite names a baseline that cannot be read (unless the run
     * replaces it): its gates could not be judged, so its requests are not worth paying for.
     */
    void requireReadableBaseline() throws SuiteSession.SetupException {
        if (digest.unreadableBaseline() != null && !updateBaseline) {
            throw new SuiteSession.SetupException(SuiteSession.SetupException.BAD_INPUT, digest.unreadableBaseline()
                    + " (mend it, or replace it with --update-baseline)");
        }
    }

    /** Every fold of the pass, to give to one {@link JournalPass}. */
    List<TrialFold> folds() {
        return folds;
    }

    /** The run did not finish (or its journal could not be read): the report files begun are dropped. */
    void abort(Exception cause) {
        reports.abort(cause);
    }

    /**
     * Judges the finished run against its baseline and across its models, writes every output and,
     * with {@code updateBaseline}, the new baseline.
     *
     * @param read the pass that fed {@link #folds()}: a fold that failed on the way fails what needed it
     * @throws IOException a fold the verdict needs failed, or the baseline could not be written
     */
    SuiteSession.Evaluated complete(RunResult result, JournalPass.Result read) throws SuiteException, IOException {
        Comparison comparison;
        ModelComparison models;
        try {
            analysis.finish(read);
            for (JournalPass.Failure f : read.failures()) {
                if (f.fold() == digest || f.fold() == cases) {
                    throw f.cause();
                }
            }
            Exception lost = analysis.failed().get(RunAnalysis.Part.AGGREGATES);
            if (lost instanceof RuntimeException r) {
                throw r;
            } else if (lost != null) {
                throw new IOException(lost.getMessage(), lost);
            }
            comparison = Baselines.compare(suite, result, digest);
            models = Migration.compare(suite, result, cases);
        } catch (IOException | SuiteException | RuntimeException | Error e) {
            abort(e instanceof Exception x ? x : new IOException(e.toString(), e)); // no temporary file left behind
            throw e;
        }
        Reports.Outputs outputs = reports.finish(result, comparison, models, read);
        Path written = null;
        if (updateBaseline && result.info().shard() != null) {
            throw new IOException("--update-baseline needs the whole run: merge the shards (sonde merge) and accept that");
        }
        if (updateBaseline) {
            written = Baselines.fileFor(suite);
            Baselines.write(result, digest, written);
        }
        return new SuiteSession.Evaluated(result, comparison, outputs, written, models, analysis, null);
    }
}
