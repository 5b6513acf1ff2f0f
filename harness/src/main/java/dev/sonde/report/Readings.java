package dev.sonde.report;

import dev.sonde.analysis.CacheVariantAnalysis;
import dev.sonde.analysis.CacheVariantReport;
import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.TrialFold;
import dev.sonde.journal.TrialResult;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the report formats learn from a run's trials, gathered during its one pass over the
 * journal: grader spend, tool-loop turns, the first failing trials, the cache variants' analysis
 * and, for the HTML report, its scan of cases and distributions. Not thread-safe.
 */
final class Readings {
    final GraderTotals grader = new GraderTotals();
    final TurnSummary.Fold turns = new TurnSummary.Fold();
    final Failures failures = new Failures();
    /** Null when the run had no cache variants. */
    private final CacheVariantAnalysis variants;
    /** Null when no HTML report is written. */
    final RunScan scan;
    private Optional<CacheVariantReport> variantReport;
    /** Where the run came from, when the session knows it first-hand; null to rebuild it from the suite file. */
    Provenance provenance;

    Readings(RunResult run, boolean withScan) throws IOException {
        this.variants = CacheVariantAnalysis.forRun(run.outDir());
        this.scan = withScan ? new RunScan(run) : null;
    }

    /** The readings of {@code run} from a pass of their own (for callers outside a run's pass). */
    static Readings of(RunResult run, boolean withScan) throws IOException {
        Readings r = new Readings(run, withScan);
        JournalPass.run(run.journal(), r.folds());
        return r;
    }

    List<TrialFold> folds() {
        List<TrialFold> folds = new ArrayList<>(List.of(grader, turns, failures));
        Stream.of(variants, scan).filter(f -> f != null).forEach(folds::add);
        return folds;
    }

    /** The cache variants' report, or empty for a run without variants. */
    Optional<CacheVariantReport> cacheVariants() {
        if (variantReport == null) {
            variantReport = variants == null ? Optional.empty() : Optional.of(variants.report());
        }
        return variantReport;
    }

    /** The first {@value MarkdownSummary#MAX_FAILURES} trials that did not pass, and how many did not. */
    static final class Failures implements TrialFold {
        final List<TrialResult> shown = new ArrayList<>();
        long notPassed;

        @Override
        public void add(TrialResult t) {
            if (!t.pass()) {
                notPassed++;
                if (shown.size() < MarkdownSummary.MAX_FAILURES) {
                    shown.add(t);
                }
            }
        }
    }
}
