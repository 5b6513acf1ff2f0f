package dev.sonde.analysis;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Fmt;

/**
 * How many of a run's answers are emulator filler: counted from each trial's journaled
 * {@code emulator_filler} (the emulator's response header saying no rule matched), never guessed
 * from the text. An answer is a trial that was sent and answered without an exchange error; a
 * tool-loop trial is filler when any of its turns was. Not thread-safe; filled by one pass over
 * the journal.
 */
public final class FillerCount implements TrialFold {
    private long answers;
    private long filler;

    /**
     * The {@code emulator_filler} block of {@code results.json}: {@code filler} of {@code answers}
     * answers were generated because no emulator rule matched.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Snapshot(long filler, long answers) {}

    @Override
    public void add(TrialResult t) {
        if (t.skipped() != null || t.error() != null) {
            return;
        }
        answers++;
        if (t.filler()) {
            filler++;
        }
    }

    /** Whether some answer was filler. */
    public boolean any() {
        return filler > 0;
    }

    /** The counts as data, or null when no answer was filler. */
    public Snapshot snapshot() {
        return any() ? new Snapshot(filler, answers) : null;
    }

    /**
     * One line, e.g. {@code 12 of 20 answers are emulator filler: no rule matched — record them with
     * --record, or write rules}; empty when no answer was filler.
     */
    public String line() {
        if (!any()) {
            return "";
        }
        return Fmt.count(filler) + " of " + Fmt.count(answers) + (answers == 1 ? " answer is" : " answers are")
                + " emulator filler: no rule matched — record them with --record, or write rules";
    }
}
