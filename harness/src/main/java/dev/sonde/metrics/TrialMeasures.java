package dev.sonde.metrics;

/**
 * What one finished trial contributes to an {@link Aggregate}, in file units (METRICS.md): the
 * latencies of the successful attempt in milliseconds (null when the event never happened), the
 * inter-token gaps, decode speed, tokens by kind, and the cost (null when the model is unpriced,
 * never a silent 0).
 *
 * @param errored the exchange itself failed (its latency is not service latency and is not counted)
 * @param costByKind null when unpriced; otherwise sums to {@code costUsd}
 */
public record TrialMeasures(
        boolean pass,
        boolean errored,
        Double ttftMs,
        Double ttfbMs,
        Double e2eMs,
        double[] itlMs,
        Double outputTps,
        TokensByKind tokens,
        Double costUsd,
        CostByKind costByKind) {}
