package dev.sonde.check;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The verdict of one check on one exchange. {@code reason} says in one line why it passed or
 * failed (with the observed value), so a report reader need not rerun anything. {@code score} is
 * in [0, 1] for graded checks and null for plain pass/fail ones.
 *
 * <p>A check has three outcomes: it passed, it failed, or it was <b>not applicable</b>
 * ({@code applicable} false): what it measures was not taken for this exchange by design — a
 * latency bound on an answer from Message Batches or the response cache, which carry no timings.
 * A not-applicable check is neither a pass nor a fail: {@link Scoring} leaves it out of the score,
 * and a trial whose every check is not applicable is <i>not evaluated</i>. It is journaled
 * {@code {"type": …, "pass": false, "reason": "not applicable: …", "applicable": false}}: {@code pass}
 * stays a boolean, false, so a reader that predates the state never reads it as a pass, and its
 * reason says why; {@code applicable} is written only when false and read as true when absent, so
 * every journal written before it reads as before.
 *
 * @param graderUsage what grader models used to reach this verdict ({@code llm-rubric}, and sets or
 *     negations holding one), or null when no grader was asked
 * @param graderCostUsd what the priced ones of those grader calls cost, or null when none was made or
 *     none was priced (then or when partial, {@code graderUsage.unpricedCalls()} says so)
 * @param undecided true when the check could not reach a verdict (its grader failed or answered no
 *     verdict, its embedder or its own code threw): then {@code pass} is false, and wrappers —
 *     {@code not-}, a {@code threshold}, an {@code assert-set}, a case's threshold — keep it a fail
 *     rather than reading "did not pass" as a verdict. Journaled only when true.
 * @param applicable false when the check does not apply to this exchange (then {@code pass} and
 *     {@code undecided} are false); journaled only when false
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(String type, boolean pass, String reason, Double score, GraderUsage graderUsage,
        Double graderCostUsd, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean undecided,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = WhenTrue.class) boolean applicable) {

    /** What every not-applicable reason starts with, so a reader of the reason alone knows. */
    public static final String NOT_APPLICABLE = "not applicable: ";

    public CheckResult {
        if (undecided && pass) {
            throw new IllegalArgumentException("an undecided check cannot pass");
        }
        if (!applicable && (pass || undecided)) {
            throw new IllegalArgumentException("a check that does not apply neither passes nor is undecided");
        }
    }

    /** A verdict that applies: decided, or undecided when {@code undecided}. */
    public CheckResult(String type, boolean pass, String reason, Double score, GraderUsage graderUsage,
            Double graderCostUsd, boolean undecided) {
        this(type, pass, reason, score, graderUsage, graderCostUsd, undecided, true);
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

    /** Reads a journaled result: {@code applicable} absent (every journal before it) is true. */
    @JsonCreator
    static CheckResult fromJson(@JsonProperty("type") String type, @JsonProperty("pass") boolean pass,
            @JsonProperty("reason") String reason, @JsonProperty("score") Double score,
            @JsonProperty("graderUsage") GraderUsage graderUsage, @JsonProperty("graderCostUsd") Double graderCostUsd,
            @JsonProperty("undecided") boolean undecided, @JsonProperty("applicable") Boolean applicable) {
        boolean applies = applicable == null || applicable;
        return new CheckResult(type, pass && applies, reason, score, graderUsage, graderCostUsd, undecided && applies,
                applies);
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

    /**
     * The check does not apply to this exchange: {@code why} says what was not taken and why (e.g.
     * "sent through Message Batches, which report no timings"); the reason reads
     * {@code not applicable: <why>}.
     */
    public static CheckResult notApplicable(String type, String why) {
        return notApplicable(type, why, null, null);
    }

    /** As {@link #notApplicable(String, String)}, keeping what graders spent before it was known. */
    public static CheckResult notApplicable(String type, String why, GraderUsage graderUsage, Double graderCostUsd) {
        String reason = why.startsWith(NOT_APPLICABLE) ? why : NOT_APPLICABLE + why;
        return new CheckResult(type, false, reason, null, graderUsage, graderCostUsd, false, false);
    }

    /**
     * Why this check does not apply: its reason without the {@value #NOT_APPLICABLE} prefix; null when
     * it applies.
     */
    public String whyNotApplicable() {
        if (applicable) {
            return null;
        }
        String r = reason == null ? "" : reason;
        return r.startsWith(NOT_APPLICABLE) ? r.substring(NOT_APPLICABLE.length()) : r;
    }

    /** Jackson's filter for {@code applicable}: leaves it out when true (the filter's {@code equals} says "omit"). */
    static final class WhenTrue {
        @Override
        public boolean equals(Object value) {
            return Boolean.TRUE.equals(value);
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }
}
