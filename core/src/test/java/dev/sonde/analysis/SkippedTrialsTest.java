package dev.sonde.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.TrialResult;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The skipped line of the reports' headers: the count and the one reason, each reason with its
 * count when there are several, nothing when no trial was skipped, and bounded memory and length
 * whatever reasons the journal holds.
 */
class SkippedTrialsTest {
    private static final Instant AT = Instant.parse("2026-12-05T08:00:00Z");

    private static TrialResult skipped(int repeat, String reason) {
        return TrialResult.skipped("c/m/" + repeat, "c", "m", "claude-haiku-4-5", repeat, AT, reason);
    }

    private static TrialResult passed(int repeat) {
        return TrialResult.builder("c/m/" + repeat, "c", "m", "claude-haiku-4-5", repeat).pass(true).outputText("x")
                .startedAt(AT).build();
    }

    @Test
    void one_reason_reads_as_the_count_and_why() {
        SkippedTrials s = new SkippedTrials();
        s.add(passed(0));
        IntStream.range(1, 27).forEach(i -> s.add(skipped(i, "budget: max_trials 1 reached")));

        assertThat(s.count()).isEqualTo(26);
        assertThat(s.line()).isEqualTo("26 skipped (not sent): budget: max_trials 1 reached");
    }

    @Test
    void several_reasons_each_give_their_count_in_the_order_first_seen() {
        SkippedTrials s = new SkippedTrials();
        s.add(skipped(0, "budget: case x cannot be bounded under max_usd"));
        s.add(skipped(1, "interrupted (SIGINT)"));
        s.add(skipped(2, "interrupted (SIGINT)"));

        assertThat(s.line()).isEqualTo("3 skipped (not sent): budget: case x cannot be bounded under max_usd × 1; "
                + "interrupted (SIGINT) × 2");
    }

    @Test
    void a_run_with_nothing_skipped_has_no_line() {
        SkippedTrials s = new SkippedTrials();
        s.add(passed(0));

        assertThat(s.count()).isZero();
        assertThat(s.line()).isEmpty();
    }

    @Test
    void hostile_reasons_stay_on_one_bounded_line() {
        SkippedTrials s = new SkippedTrials();
        s.add(skipped(0, "line one\nline two " + "x".repeat(10_000)));
        IntStream.range(1, 1_000).forEach(i -> s.add(skipped(i, "reason " + i)));

        String line = s.line();
        assertThat(s.count()).isEqualTo(1_000);
        assertThat(line).doesNotContain("\n").contains("line one line two x")
                .endsWith("; other reasons × " + (1_000 - SkippedTrials.MAX_REASONS));
        assertThat(line.length()).isLessThan((SkippedTrials.MAX_REASON_CHARS + 12) * (SkippedTrials.MAX_REASONS + 1));
    }
}
