package dev.sonde.analysis;


import dev.sonde.run.RunResult;

/**
 * The one-word verdict of a run, the same in {@code results.json} ({@code verdict}), the
 * {@code summary.md} headline, the report's badge, the console's first line and {@code junit.xml}
 * (property {@code sonde.verdict}):
 * <ul>
 *   <li>{@code pass}: at least one trial was evaluated and every trial evaluated passed. A trial none
 *       of whose checks applied (answered through Message Batches, checked only by latency bounds) is
 *       <i>not evaluated</i>: it is no pass, but no fail either — the run says how many there were;
 *   <li>{@code compared}: a suite with {@code compare:} in which some checks failed but every
 *       planned trial ran without an exchange error ({@link #ranCleanly}) — the failed
 *       checks are what the model comparison measures, so the run exits 0 (README "Model migration");
 *   <li>{@code fail}: anything else (a failed check outside a compare suite, an errored or skipped
 *       trial, no trial at all, no trial evaluated);
 *   <li>{@code partial}: a {@code sonde merge --allow-partial} of a set lacking shards (or of runs
 *       that recorded none, {@link dev.sonde.journal.RunInfo.Merged#partial()}), whatever its trials
 *       say: they are not the whole suite, so the run exits 1.
 * </ul>
 * Baseline gates are reported beside it ({@code baseline_verdict}) and, when they fail, make the
 * exit code 1 whatever this verdict is.
 */
public enum RunVerdict {
    PASS, COMPARED, FAIL, PARTIAL;

    /**
     * @param summary the run's summary ({@link RunAnalysis#summary()})
     * @param compares whether the suite has a {@code compare:} section (its model comparison ran)
     */
    public static RunVerdict of(RunSummary.Snapshot summary, RunResult run, boolean compares) {
        if (run.info().merged() != null && run.info().merged().partial()) {
            return PARTIAL;
        }
        if (allPassed(summary, run)) {
            return PASS;
        }
        return compares && ranCleanly(summary, run) ? COMPARED : FAIL;
    }

    /**
     * Every planned trial ran and none errored (there was at least one): what a comparison needs
     * to be complete. Failed checks are allowed — they are what it measures.
     */
    public static boolean ranCleanly(RunSummary.Snapshot summary, RunResult run) {
        return run.skippedTrials() == 0 && summary.total().trials() > 0 && summary.total().errored() == 0;
    }

    /** Every planned trial ran, and every one evaluated passed (and at least one was). */
    public static boolean allPassed(RunSummary.Snapshot summary, RunResult run) {
        RunSummary.Stats t = summary.total();
        return run.skippedTrials() == 0 && t.evaluated() > 0 && t.passed() == t.evaluated();
    }

    /** {@code pass}, {@code compared}, {@code fail}, {@code partial}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code PASS}, {@code COMPARED}, {@code FAIL}, {@code PARTIAL}. */
    public String word() {
        return name();
    }

    /** The run may exit 0 on this verdict (baseline gates aside). */
    public boolean ok() {
        return this == PASS || this == COMPARED;
    }
}
