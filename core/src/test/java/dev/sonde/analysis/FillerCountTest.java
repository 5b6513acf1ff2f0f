package dev.sonde.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.check.GraderUsage;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The filler count: trials' answers and grader answers, each counted from the journaled mark (never
 * the text), said apart on one line; a grader's {@code filler_calls} survives the journal and a
 * journal written before it reads as none.
 */
class FillerCountTest {
    private static final String TAIL = ": no rule matched — record them with --record, or write rules";

    private static TrialResult trial(int repeat, boolean filler, GraderUsage graders) {
        return TrialResult.builder("c/m/" + repeat, "c", "m", "claude-haiku-4-5", repeat).pass(false).outputText("x")
                .startedAt(Instant.parse("2026-12-05T08:00:00Z")).emulatorFiller(filler).graderUsage(graders).build();
    }

    private static GraderUsage graded(long calls, long filler) {
        return new GraderUsage(calls, 10 * calls, calls, 0, 0, 0, filler);
    }

    private static FillerCount count(List<TrialResult> trials) {
        FillerCount count = new FillerCount();
        trials.forEach(count::add);
        return count;
    }

    @Test
    void grader_answers_are_counted_apart_from_the_trials_answers() {
        FillerCount graderOnly = count(List.of(trial(0, false, graded(1, 1)), trial(1, false, graded(2, 2)),
                trial(2, false, null), trial(3, false, graded(1, 1))));
        assertThat(graderOnly.line()).isEqualTo("4 grader answers are emulator filler" + TAIL);
        assertThat(graderOnly.snapshot()).isEqualTo(new FillerCount.Snapshot(0, 4, 4));

        FillerCount both = count(List.of(trial(0, true, graded(1, 1)), trial(1, true, graded(1, 0)),
                trial(2, false, graded(1, 0))));
        assertThat(both.line()).isEqualTo("2 of 3 answers are emulator filler, and 1 grader answer" + TAIL);

        assertThat(count(List.of(trial(0, false, graded(1, 1)))).line())
                .isEqualTo("1 grader answer is emulator filler" + TAIL);
        assertThat(count(List.of(trial(0, true, null), trial(1, false, graded(3, 0)))).line())
                .isEqualTo("1 of 2 answers are emulator filler" + TAIL);

        FillerCount none = count(List.of(trial(0, false, graded(2, 0))));
        assertThat(none.any()).isFalse();
        assertThat(none.line()).isEmpty();
        assertThat(none.snapshot()).isNull();
    }

    @Test
    void filler_calls_are_journaled_only_when_some_and_an_older_journal_reads_as_none() throws Exception {
        JsonNode line = Journal.JSON.valueToTree(trial(0, false, graded(2, 1)));
        assertThat(line.at("/grader_usage/filler_calls").asLong()).isEqualTo(1);
        assertThat(Journal.JSON.treeToValue(line, TrialResult.class).graderUsage().fillerCalls()).isEqualTo(1);

        JsonNode clean = Journal.JSON.valueToTree(trial(0, false, graded(2, 0)));
        assertThat(clean.get("grader_usage").has("filler_calls")).as(clean.toString()).isFalse();
        assertThat(Journal.JSON.treeToValue(clean, TrialResult.class).graderUsage()).isEqualTo(graded(2, 0));
    }
}
