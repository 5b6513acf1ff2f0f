package dev.sonde.analysis;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Fmt;

/**
 * How many of a run's answers are emulator filler: counted from each trial's journaled
 * {@code emulator_filler} (the emulator's response header saying no rule matched), never guessed
 * from the text. An answer is a trial that was sent and answered without an exchange error; a
 * tool-loop trial is filler when any of its turns was. Grader answers ({@code llm-rubric}) are
 * counted apart, from the trial's journaled {@code grader_usage.filler_calls} (the same header on
 * the grading response): a grader's filler is no verdict, and saying it with the trials' count
 * would hide which rules are missing. Not thread-safe; filled by one pass over the journal.
 */
public final class FillerCount implements TrialFold {
    private long answers;
    private long filler;
    private long graderFiller;

    /**
     * The {@code emulator_filler} block of {@code results.json}: {@code filler} of {@code answers}
     * answers were generated because no emulator rule matched, and {@code graderFiller} grader
     * answers (0 when none).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Snapshot(long filler, long answers, long graderFiller) {}

    @Override
    public void add(TrialResult t) {
        if (t.skipped() != null || t.error() != null) {
            return;
        }
        answers++;
        if (t.filler()) {
            filler++;
        }
        if (t.graderUsage() != null) {
            graderFiller += t.graderUsage().fillerCalls();
        }
    }

    /** Whether some answer, a trial's or a grader's, was filler. */
    public boolean any() {
        return filler > 0 || graderFiller > 0;
    }

    /** The counts as data, or null when no answer was filler. */
    public Snapshot snapshot() {
        return any() ? new Snapshot(filler, answers, graderFiller) : null;
    }

    /**
     * One line, e.g. {@code 12 of 20 answers are emulator filler: no rule matched — record them with
     * --record, or write rules}; with grader answers too, {@code 12 of 20 answers are emulator filler,
     * and 4 grader answers: …}; of grader answers only, {@code 4 grader answers are emulator filler: …};
     * empty when no answer was filler.
     */
    public String line() {
        if (!any()) {
            return "";
        }
        String graders = Fmt.count(graderFiller) + (graderFiller == 1 ? " grader answer" : " grader answers");
        String head = filler == 0 ? graders + (graderFiller == 1 ? " is" : " are") + " emulator filler"
                : Fmt.count(filler) + " of " + Fmt.count(answers) + (answers == 1 ? " answer is" : " answers are")
                        + " emulator filler" + (graderFiller == 0 ? "" : ", and " + graders);
        return head + ": no rule matched — record them with --record, or write rules";
    }
}
