package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.Locale;

/**
 * A check with a {@code threshold}: passes exactly when the wrapped check's score reaches the
 * threshold, whatever its own verdict (a check that gives no score fails, saying so; one that could
 * not be decided stays undecided). Used for
 * custom checks; the built-in graded checks apply their own thresholds. Immutable.
 */
final class MinScoreCheck implements Check {

    private final Check inner;
    private final double threshold;

    MinScoreCheck(Check inner, double threshold) {
        this.inner = inner;
        this.threshold = threshold;
    }

    @Override
    public String type() {
        return inner.type();
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        CheckResult r = Guarded.evaluate(inner, exchange, costUsd);
        if (r.undecided()) {
            return CheckResult.undecided(type(), "no score to compare with threshold " + Params.fmt(threshold) + ": "
                    + r.reason(), r.graderUsage(), r.graderCostUsd());
        }
        if (!r.applicable()) {
            return CheckResult.notApplicable(type(), r.whyNotApplicable(), r.graderUsage(), r.graderCostUsd());
        }
        if (r.score() == null) {
            return new CheckResult(type(), false, "has a threshold but gave no score: " + r.reason(), null,
                    r.graderUsage(), r.graderCostUsd());
        }
        boolean pass = Scoring.reaches(r.score(), threshold);
        return new CheckResult(type(), pass, String.format(Locale.ROOT, "score %.2f %s threshold %.2f: %s", r.score(),
                pass ? "≥" : "<", threshold, r.reason()), r.score(), r.graderUsage(), r.graderCostUsd());
    }
}
