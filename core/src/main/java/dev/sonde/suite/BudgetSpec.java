package dev.sonde.suite;

import java.time.Duration;

/**
 * Hard limits on a run (suite {@code budget:}): spend in USD (each attempt's worst case is reserved
 * before it is sent, so only requests in flight that cost more than their worst case can pass the
 * cap: README "What a USD cap promises"), number of trials, and wall time. Null fields
 * are unlimited. Trials a limit stops are recorded as skipped with the reason.
 */
public record BudgetSpec(Double maxUsd, Integer maxTrials, Duration deadline) {
    public static final BudgetSpec NONE = new BudgetSpec(null, null, null);

    public boolean limited() {
        return maxUsd != null || maxTrials != null || deadline != null;
    }
}
