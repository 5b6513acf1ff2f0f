package dev.sonde.run;

import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A finished run as the runner leaves it: its metadata, its journal (the trials, never held in
 * memory) and how it ended. What the trials say is learnt from the journal by
 * {@code dev.sonde.analysis.RunAnalysis}.
 *
 * @param outDir where the outputs of this run are written
 * @param skippedTrials planned trials that were never sent (journaled as skipped)
 * @param stoppedBy why the run stopped early (budget, deadline, key rejected…), or null
 * @param loadControl how 429s moved the concurrency limit (AIMD)
 */
public record RunResult(RunInfo info, Path journal, Path outDir, int skippedTrials,
        String stoppedBy, LoadControl loadControl) {

    /** A run that ran to the end: nothing skipped, not stopped, no 429 seen (the limit stayed at its concurrency). */
    public RunResult(RunInfo info, Path journal, Path outDir) {
        this(info, journal, outDir, 0, null, new LoadControl(info.concurrency(), info.concurrency(), 0));
    }

    /**
     * The concurrency the run was given, the lowest the AIMD limit fell to after 429s, and the
     * number of 429 responses seen.
     */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(
            com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LoadControl(int configuredConcurrency, int lowestConcurrency, int rateLimitedResponses) {}

    /** The trials in journal order; close the stream after use. */
    public Stream<TrialResult> trials() throws IOException {
        return Journal.read(journal);
    }
}
