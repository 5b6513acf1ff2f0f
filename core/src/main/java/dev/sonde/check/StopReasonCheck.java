package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.List;

/** {@code stop-reason}: the response's {@code stop_reason} is one of the given values. Immutable. */
final class StopReasonCheck implements Check {
    private final List<String> allowed;

    StopReasonCheck(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    @Override
    public String type() {
        return "stop-reason";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String actual = exchange.stopReason();
        String expected = allowed.size() == 1 ? allowed.get(0) : "one of " + allowed;
        return allowed.contains(actual)
                ? CheckResult.pass(type(), "stop_reason " + actual)
                : CheckResult.fail(type(), "expected stop_reason " + expected + ", got " + actual);
    }
}
