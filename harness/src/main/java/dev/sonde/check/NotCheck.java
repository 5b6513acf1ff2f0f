package dev.sonde.check;

import dev.sonde.api.Exchange;

/** {@code not-<type>}: passes exactly when the wrapped check fails. Immutable. */
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
        CheckResult r = inner.evaluate(exchange, costUsd);
        String reason = r.pass() ? "must not hold, but it does: " + r.reason() : "does not hold, as required: " + r.reason();
        return new CheckResult(type(), !r.pass(), reason, r.score() == null ? null : 1 - r.score(), r.graderUsage(),
                r.graderCostUsd());
    }
}
