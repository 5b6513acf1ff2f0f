package dev.sonde.report;

import dev.sonde.check.GraderUsage;
import dev.sonde.run.TrialResult;

/**
 * What grader models ({@code llm-rubric}) spent over a run, summed from each trial's
 * {@code grader_usage} / {@code grader_cost_usd}: reported on a line of its own, never inside the
 * cases' cost. Replayed trials count too (their checks, graders included, ran again). Not
 * thread-safe; filled by one pass over the journal.
 */
final class GraderTotals {
    private GraderUsage usage;
    private double costUsd;

    void add(TrialResult t) {
        if (t.graderUsage() == null) {
            return;
        }
        usage = GraderUsage.plus(usage, t.graderUsage());
        if (t.graderCostUsd() != null) {
            costUsd += t.graderCostUsd();
        }
    }

    /** Whether any grader was asked. */
    boolean any() {
        return usage != null && usage.calls() > 0;
    }

    /**
     * One line, e.g. {@code $0.0012 for 3 grader calls (1,234 input / 56 output tokens)}, with the
     * unpriced calls named (their cost is unknown, never $0); empty when no grader was asked.
     */
    String line() {
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
