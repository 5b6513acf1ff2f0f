package dev.sonde.check;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.metrics.Usage;

/**
 * Tokens spent by grader models (the {@code usage} of each grading call, summed), kept apart from
 * the graded exchange's own usage: a grader's cost is never part of a case's cost. Journaled as
 * {@code {calls, input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens,
 * unpriced_calls, filler_calls}}, {@code filler_calls} only when more than 0 (absent reads as 0, so
 * journals written before it read as before).
 *
 * @param calls grading requests sent (each may have been retried; its usage is the answered one's)
 * @param unpricedCalls calls whose model had no price, so that their cost is unknown
 * @param fillerCalls calls the emulator answered with filler because no rule matched the grader's
 *     request (its {@code sonde-emulator-filler} header, believed only from loopback), never guessed
 *     from the text
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GraderUsage(long calls, long inputTokens, long outputTokens, long cacheCreationInputTokens,
        long cacheReadInputTokens, long unpricedCalls,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long fillerCalls) {

    @JsonCreator
    public GraderUsage {
    }

    /** Usage with no filler call. */
    public GraderUsage(long calls, long inputTokens, long outputTokens, long cacheCreationInputTokens,
            long cacheReadInputTokens, long unpricedCalls) {
        this(calls, inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens, unpricedCalls, 0);
    }

    /** One call's usage; {@code priced} false when its model has no price. */
    public static GraderUsage of(Usage u, boolean priced) {
        return of(u, priced, false);
    }

    /** One call's usage; {@code filler} true when the emulator said no rule matched the grader's request. */
    public static GraderUsage of(Usage u, boolean priced, boolean filler) {
        return new GraderUsage(1, u.inputTokens(), u.outputTokens(), u.cacheCreationInputTokens(),
                u.cacheReadInputTokens(), priced ? 0 : 1, filler ? 1 : 0);
    }

    /** The sum; a null on either side is nothing spent. */
    public static GraderUsage plus(GraderUsage a, GraderUsage b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new GraderUsage(a.calls + b.calls, a.inputTokens + b.inputTokens, a.outputTokens + b.outputTokens,
                a.cacheCreationInputTokens + b.cacheCreationInputTokens, a.cacheReadInputTokens + b.cacheReadInputTokens,
                a.unpricedCalls + b.unpricedCalls, a.fillerCalls + b.fillerCalls);
    }

    /**
     * The sum of two sides' priced costs. A null cost means "nothing priced" on that side (no call, or
     * only unpriced calls); an unpriced call never hides what the priced ones cost, so the sum stays
     * the priced part and {@link #unpricedCalls()} says it is partial. Null only when neither side
     * has a priced cost.
     */
    public static Double plusCost(GraderUsage a, Double costA, GraderUsage b, Double costB) {
        Double left = a == null ? null : costA;
        Double right = b == null ? null : costB;
        if (left == null) {
            return right;
        }
        return right == null ? left : left + right;
    }
}
