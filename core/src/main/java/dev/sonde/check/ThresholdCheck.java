package dev.sonde.check;

import dev.sonde.stats.Percentiles;
import dev.sonde.api.Exchange;
import dev.sonde.metrics.Timings;
import java.util.Arrays;
import java.util.Locale;

/**
 * Upper bounds on one measured number of the exchange (METRICS.md definitions): {@code latency}
 * (e2e ms), {@code ttft} (ms to the first text delta), {@code itl-p95} (the 95th percentile of
 * this exchange's inter-token gaps in ms, nearest rank, like HdrHistogram's
 * {@code getValueAtPercentile}) and {@code cost} (USD). A value that was never measured (no text
 * arrived, a non-streaming call has no TTFT or gaps, an unpriced model has no cost) fails with
 * that reason rather than passing silently. An exchange that was never timed, by design
 * ({@link Timings#unmeasured()}: an answer from Message Batches or the response cache), makes the
 * three timing bounds not applicable, with that reason: there was nothing to bound, and nothing
 * went wrong. Immutable.
 */
final class ThresholdCheck implements Check {
    enum Metric {
        LATENCY("latency"), TTFT("ttft"), ITL_P95("itl-p95"), COST("cost");

        final String type;

        Metric(String type) {
            this.type = type;
        }
    }

    private final Metric metric;
    private final double max;

    ThresholdCheck(Metric metric, double max) {
        this.metric = metric;
        this.max = max;
    }

    @Override
    public String type() {
        return metric.type;
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        Timings t = exchange.timings();
        if (metric != Metric.COST && t.unmeasured() != null) {
            return CheckResult.notApplicable(type(), t.unmeasured());
        }
        return switch (metric) {
            case LATENCY -> millis("e2e", t.e2eNanos(), "no complete response");
            case TTFT -> millis("ttft", t.ttftNanos(), t.has(t.e2eNanos()) && t.deltas() == 0
                    ? "no TTFT: no text was streamed (non-streaming call or no text)" : "no text arrived");
            case ITL_P95 -> t.itlNanos().length == 0
                    ? CheckResult.fail(type(), "no inter-token gaps: fewer than 2 content deltas were streamed ("
                            + t.deltas() + ")")
                    : millis("itl p95 of " + t.itlNanos().length + " gaps", p95(t.itlNanos()), "");
            case COST -> costUsd == null
                    ? CheckResult.fail(type(), "model " + exchange.model() + " is unpriced: add it to the pricing table")
                    : bound(String.format(Locale.ROOT, "cost $%.6f", costUsd), costUsd,
                            String.format(Locale.ROOT, "$%.6f", max));
        };
    }

    /** Nearest-rank 95th percentile: the smallest gap with at least 95 % of gaps at or below it. */
    static long p95(long[] gapsNanos) {
        long[] sorted = gapsNanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Percentiles.rank(0.95, sorted.length) - 1];
    }

    private CheckResult millis(String name, long nanos, String missing) {
        if (nanos == Timings.ABSENT) {
            return CheckResult.fail(type(), missing);
        }
        double ms = nanos / 1e6;
        return bound(String.format(Locale.ROOT, "%s %.1f ms", name, ms), ms, String.format(Locale.ROOT, "%s ms",
                Params.fmt(max)));
    }

    private CheckResult bound(String observed, double value, String limit) {
        return value <= max
                ? CheckResult.pass(type(), observed + " ≤ " + limit)
                : CheckResult.fail(type(), observed + " > " + limit);
    }
}
