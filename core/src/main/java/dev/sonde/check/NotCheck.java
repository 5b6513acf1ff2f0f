package dev.sonde.check;

import dev.sonde.api.Exchange;

/**
 * {@code not-<type>}: passes exactly when the wrapped check reached a verdict and it is a fail. When
 * the wrapped check could not be decided (its grader failed or answered no verdict, it threw), the
 * negation is undecided too — a fail saying so — never a pass. A wrapped check that does not apply
 * makes the negation not apply either (the negation of "not measured" is not a pass). Immutable.
 */
final class NotCheck implements Check {
    private final Check inner;

    NotCheck(Check inner) {
        this.inner = inner;
    }

    @Override
    public String type() {
        return "not-" + inner.type();
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        CheckResult r = Guarded.evaluate(inner, exchange, costUsd);
        if (r.undecided()) {
            return CheckResult.undecided(type(), "cannot be negated, the check was not decided: " + r.reason(),
                    r.graderUsage(), r.graderCostUsd());
        }
        if (!r.applicable()) {
            return CheckResult.notApplicable(type(), r.whyNotApplicable(), r.graderUsage(), r.graderCostUsd());
        }
        String reason = r.pass() ? "must not hold, but it does: " + r.reason() : "does not hold, as required: " + r.reason();
        return new CheckResult(type(), !r.pass(), reason, r.score() == null ? null : 1 - r.score(), r.graderUsage(),
                r.graderCostUsd());
    }
}
