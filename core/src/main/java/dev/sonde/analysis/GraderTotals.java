package dev.sonde.analysis;

import dev.sonde.metrics.Fmt;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.check.GraderUsage;
import dev.sonde.journal.TrialResult;

/**
 * What grader models ({@code llm-rubric}) spent over a run, summed from each trial's
 * {@code grader_usage} / {@code grader_cost_usd}: reported on a line of its own, never inside the
 * cases' cost. Replayed trials count too (their checks, graders included, ran again). Not
 * thread-safe; filled by one pass over the journal.
 */
public final class GraderTotals implements TrialFold {
    private GraderUsage usage;
    private double costUsd;

    /**
     * The {@code grader} block of {@code results.json}: grading calls, their tokens, how many were
     * unpriced, and what the priced ones cost in USD (null when none was priced).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Snapshot(long calls, long inputTokens, long outputTokens, long cacheCreationInputTokens,
            long cacheReadInputTokens, long unpricedCalls, Double costUsd) {}

    /** The totals as data, or null when no grader was asked. */
    public Snapshot snapshot() {
        if (!any()) {
            return null;
        }
        return new Snapshot(usage.calls(), usage.inputTokens(), usage.outputTokens(), usage.cacheCreationInputTokens(),
                usage.cacheReadInputTokens(), usage.unpricedCalls(), usage.unpricedCalls() == usage.calls() ? null : costUsd);
    }

    /** Adds {@code t}'s grader usage and priced grader cost; a trial no grader checked adds nothing. */
    @Override
    public void add(TrialResult t) {
        if (t.graderUsage() == null) {
            return;
        }
        usage = GraderUsage.plus(usage, t.graderUsage());
        if (t.graderCostUsd() != null) {
            costUsd += t.graderCostUsd();
        }
    }

    /** Whether any grader was asked. */
    public boolean any() {
        return usage != null && usage.calls() > 0;
    }

    /**
     * One line, e.g. {@code $0.0012 for 3 grader calls (1,234 input / 56 output tokens)}, with the
     * unpriced calls named (their cost is unknown, never $0); empty when no grader was asked.
     */
    public String line() {
        if (!any()) {
            return "";
        }
        String cost = usage.unpricedCalls() == usage.calls() ? "unpriced" : Fmt.usd(costUsd);
        return cost + " for " + Fmt.count(usage.calls()) + (usage.calls() == 1 ? " grader call" : " grader calls")
                + " (" + Fmt.count(usage.inputTokens() + usage.cacheCreationInputTokens() + usage.cacheReadInputTokens())
                + " input / " + Fmt.count(usage.outputTokens()) + " output tokens)"
                + (usage.unpricedCalls() > 0 && usage.unpricedCalls() < usage.calls()
                        ? ", +" + usage.unpricedCalls() + " unpriced" : "");
    }
}
