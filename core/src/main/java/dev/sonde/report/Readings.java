package dev.sonde.report;

import dev.sonde.analysis.CacheVariantReport;
import dev.sonde.analysis.CaseScan;
import dev.sonde.analysis.Failures;
import dev.sonde.analysis.FillerCount;
import dev.sonde.analysis.GraderTotals;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.analysis.RunSummary;
import dev.sonde.analysis.SkippedTrials;
import dev.sonde.analysis.TurnSummary;
import dev.sonde.metrics.PricingTable;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.util.Optional;

/**
 * What the report formats take from a run's {@link RunAnalysis} (grader spend, the emulator filler count, tool-loop turns,
 * the first failing trials, the cache variants, the HTML report's case scan), and where the run
 * came from ({@link Provenance}) when the session knows it first-hand. Read-only.
 */
final class Readings {
    final RunAnalysis analysis;
    final GraderTotals grader;
    /** How many answers were emulator filler. */
    final FillerCount filler;
    final Failures failures;
    /** The trials never sent, by reason: the headers' skipped line. */
    final SkippedTrials skipped;
    /** The run's summary: counts, latency, tokens, cost, overall and per model label. */
    final RunSummary.Snapshot summary;
    /** Null when no HTML report is written. */
    final CaseScan scan;
    /** Where the run came from, when the session knows it first-hand; null to rebuild it from the suite file. */
    final Provenance provenance;

    Readings(RunAnalysis analysis, Provenance provenance) {
        this.analysis = analysis;
        this.grader = analysis.grader();
        this.filler = analysis.filler();
        this.failures = analysis.failures();
        this.skipped = analysis.skipped();
        this.summary = analysis.summary();
        this.scan = analysis.caseScan();
        this.provenance = provenance;
    }

    /** The readings of {@code run} from a pass of their own (for callers outside a run's pass). */
    static Readings of(RunResult run, boolean withScan, PricingTable pricing) throws IOException {
        return new Readings(RunAnalysis.read(run.journal(), run.info(), run.outDir(), pricing, withScan), null);
    }

    /** Tool-loop trials by turn index, or null when no trial had several requests. */
    TurnSummary turns() {
        return analysis.turns();
    }

    /** The cache variants' report, or empty for a run without variants. */
    Optional<CacheVariantReport> cacheVariants() {
        return analysis.cacheVariants();
    }
}
