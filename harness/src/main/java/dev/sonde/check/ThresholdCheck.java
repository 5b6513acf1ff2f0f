package dev.sonde.check;

import dev.sonde.api.Exchange;
import dev.sonde.metrics.Timings;
import java.util.Locale;

/**
 * Upper bounds on one number of the exchange: {@code latency} (e2e ms), {@code ttft} (ms to the
 * first text delta, METRICS.md) and {@code cost} (USD). A value that was never measured (no text
 * arrived, a non-streaming call has no TTFT, an unpriced model has no cost) fails with that reason
 * rather than passing silently. Immutable.
 */
final class ThresholdCheck implements Check {
    enum Metric { LATENCY, TTFT, COST }

    private final Metric metric;
    private final double max;

    ThresholdCheck(Metric metric, double max) {
        this.metric = metric;
        this.max = max;
    }

    @Override
    public String type() {
        return metric.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        Timings t = exchange.timings();
        return switch (metric) {
            case LATENCY -> millis("e2e", t.e2eNanos(), "no complete response");
            case TTFT -> millis("ttft", t.ttftNanos(), exchange.timings().has(t.e2eNanos()) && t.deltas() == 0
                    ? "no TTFT: no text was streamed (non-streaming call or no text)" : "no text arrived");
            case COST -> costUsd == null
                    ? CheckResult.fail(type(), "model " + exchange.model() + " is unpriced: add it to the pricing table")
                    : bound(String.format(Locale.ROOT, "cost $%.6f", costUsd), costUsd,
                            String.format(Locale.ROOT, "$%.6f", max));
        };
    }

    private CheckResult millis(String name, long nanos, String missing) {
        if (nanos == Timings.ABSENT) {
            return CheckResult.fail(type(), missing);
        }
        double ms = nanos / 1e6;
        return bound(String.format(Locale.ROOT, "%s %.1f ms", name, ms), ms, String.format(Locale.ROOT, "%.0f ms", max));
    }

    private CheckResult bound(String observed, double value, String limit) {
        return value <= max
                ? CheckResult.pass(type(), observed + " ≤ " + limit)
                : CheckResult.fail(type(), observed + " > " + limit);
    }
}
