package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.api.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * An assertion judged across a case's models rather than on one trial ({@code select-best},
 * {@code max-score}). On a trial it decides nothing: {@link #evaluate} says it is not applicable yet
 * ({@value #PENDING}); after the run, the compare pass hands {@link #judge} each group of answered
 * trials (same case, variant and repeat, one per model, in the suite's model order) and journals
 * the verdicts. Immutable and thread-safe; {@link #judge} of {@code select-best} calls its grader.
 */
public sealed interface CompareCheck extends Check permits SelectBestCheck, MaxScoreCheck {

    /** Why a compare assertion decides nothing on the trial itself. */
    String PENDING = "judged across the case's models after the run";

    /** The types judged across models: never inside {@code not-} or an {@code assert-set}. */
    List<String> TYPES = List.of("select-best", "max-score");

    /**
     * One answered trial of a group.
     *
     * @param model the trial's model label ({@code models[].id})
     * @param text the answer's text
     * @param toolCalls its {@code tool_use} blocks (shown to a grader as JSON when there is no text)
     * @param checks every result the trial's assertions gave, in order (this one's placeholder included)
     */
    record Candidate(String model, String text, List<JsonNode> toolCalls, List<CheckResult> checks) {
        public Candidate {
            text = text == null ? "" : text;
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
            checks = checks == null ? List.of() : List.copyOf(checks);
        }

        /** What a grader reads of it: the text, or the tool calls as JSON when there is no text. */
        String shown() {
            return !text.isBlank() || toolCalls.isEmpty() ? text : toolCalls.toString();
        }
    }

    /**
     * The verdicts of one group: one result per candidate, in order, the winner's index (null when
     * none), and what the group's one grader call spent (counted once, for the group).
     *
     * @param grader the grader's label, or null when no grader was asked
     */
    record Judgement(List<CheckResult> results, Integer winner, String grader, GraderUsage graderUsage,
            Double graderCostUsd) {
        public Judgement {
            results = List.copyOf(results);
        }

        /** Every candidate undecided for {@code reason}, keeping what was spent to learn it. */
        static Judgement undecided(String type, int size, String reason, String grader, GraderUsage usage,
                Double costUsd) {
            List<CheckResult> all = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                all.add(CheckResult.undecided(type, reason, null, null));
            }
            return new Judgement(all, null, grader, usage, costUsd);
        }
    }

    @Override
    default CheckResult evaluate(Exchange exchange, Double costUsd) {
        return CheckResult.notApplicable(type(), PENDING);
    }

    /** The grader's label, or null for a judge that asks none. */
    String grader();

    /**
     * Judges one group of at least two candidates. Never throws for a grader's failure (every
     * candidate is then undecided).
     */
    Judgement judge(List<Candidate> candidates) throws InterruptedException;

    /** Every candidate undecided for {@code reason}: a group too small, or the budget spent. */
    default Judgement undecided(int size, String reason) {
        return Judgement.undecided(type(), size, reason, null, null, null);
    }
}
