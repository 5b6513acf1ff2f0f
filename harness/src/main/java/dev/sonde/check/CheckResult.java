package dev.sonde.check;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The verdict of one check on one exchange. {@code reason} says in one line why it passed or
 * failed (with the observed value), so a report reader need not rerun anything. {@code score} is
 * in [0, 1] for graded checks and null for plain pass/fail ones.
 *
 * @param graderUsage what grader models used to reach this verdict ({@code llm-rubric}, and sets or
 *     negations holding one), or null when no grader was asked
 * @param graderCostUsd what the priced ones of those grader calls cost, or null when none was made or
 *     none was priced (then or when partial, {@code graderUsage.unpricedCalls()} says so)
 * @param undecided true when the check could not reach a verdict (its grader failed or answered no
 *     verdict, its embedder or its own code threw): then {@code pass} is false, and wrappers —
 *     {@code not-}, a {@code threshold}, an {@code assert-set}, a case's threshold — keep it a fail
 *     rather than reading "did not pass" as a verdict. Journaled only when true.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(String type, boolean pass, String reason, Double score, GraderUsage graderUsage,
        Double graderCostUsd, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean undecided) {

    public CheckResult {
        if (undecided && pass) {
            throw new IllegalArgumentException("an undecided check cannot pass");
        }
    }

    /** A decided verdict, with what graders spent on it. */
    public CheckResult(String type, boolean pass, String reason, Double score, GraderUsage graderUsage,
            Double graderCostUsd) {
        this(type, pass, reason, score, graderUsage, graderCostUsd, false);
    }

    /** A verdict reached without a grader. */
    public CheckResult(String type, boolean pass, String reason, Double score) {
        this(type, pass, reason, score, null, null);
    }

    public static CheckResult pass(String type, String reason) {
        return new CheckResult(type, true, reason, null);
    }

    public static CheckResult fail(String type, String reason) {
        return new CheckResult(type, false, reason, null);
    }

    /** No verdict could be reached (a failed fail): {@code reason} says what went wrong. */
    public static CheckResult undecided(String type, String reason, GraderUsage graderUsage, Double graderCostUsd) {
        return new CheckResult(type, false, reason, null, graderUsage, graderCostUsd, true);
    }
}
