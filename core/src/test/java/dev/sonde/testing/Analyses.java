package dev.sonde.testing;

import dev.sonde.analysis.RunAnalysis;
import dev.sonde.analysis.RunSummary;
import dev.sonde.analysis.RunVerdict;
import dev.sonde.metrics.PricingTable;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;

/** What tests read of a finished run: its analysis, learnt from its journal as a session learns it. */
public final class Analyses {
    private Analyses() {}

    /** The run's analysis, priced with the built-in table. */
    public static RunAnalysis of(RunResult run) {
        try {
            return RunAnalysis.read(run.journal(), run.info(), run.outDir(), PricingTable.defaults(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run's summary, overall and per model label. */
    public static RunSummary.Snapshot summary(RunResult run) {
        return of(run).summary();
    }

    /** Every planned trial ran and passed. */
    public static boolean allPassed(RunResult run) {
        return RunVerdict.allPassed(summary(run), run);
    }
}
