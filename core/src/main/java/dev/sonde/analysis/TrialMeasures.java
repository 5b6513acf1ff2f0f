package dev.sonde.analysis;

import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.CostByKind;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.Usage;
import dev.sonde.metrics.TokensByKind;

/**
 * What one finished trial contributes to an {@link Aggregate}, in file units (METRICS.md): the
 * latencies of the successful attempt in milliseconds (null when the event never happened), the
 * inter-token gaps, decode speed, tokens by kind, and the cost (null when the model is unpriced,
 * never a silent 0).
 *
 * @param errored the exchange itself failed (its latency is not service latency and is not counted)
 * @param costByKind null when unpriced; otherwise sums to {@code costUsd}
 * @param notEvaluated answered, but none of its checks applied ({@link TrialResult#notEvaluated()}):
 *     counted apart, neither passed nor failed
 * @param untimed why the trial has no timings by design ({@link TrialResult#untimed()}), or null
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
        CostByKind costByKind,
        boolean notEvaluated,
        String untimed) {

    /** What a trial with a verdict and, if it was answered, timings contributes. */
    public TrialMeasures(boolean pass, boolean errored, Double ttftMs, Double ttfbMs, Double e2eMs, double[] itlMs,
            Double outputTps, TokensByKind tokens, Double costUsd, CostByKind costByKind) {
        this(pass, errored, ttftMs, ttfbMs, e2eMs, itlMs, outputTps, tokens, costUsd, costByKind, false, null);
    }

    /**
     * What {@code t} contributes, its cost split by kind with {@code pricing} and scaled so the kinds
     * sum to the journal's {@code cost_usd} (the authoritative figure: the run may have used a user
     * pricing file). A replayed trial (response cache) is a verdict, not a measurement: no tokens,
     * cost or latency.
     */
    public static TrialMeasures of(TrialResult t, PricingTable pricing) {
        Usage usage = t.replayed() ? Usage.NONE : Usage.fromJson(t.usage());
        TimingsMillis tm = t.replayed() ? null : t.timings();
        Double cost = t.replayed() ? null : t.costUsd();
        return new TrialMeasures(t.pass(), t.error() != null,
                tm == null ? null : tm.ttftMs(), tm == null ? null : tm.ttfbMs(), tm == null ? null : tm.e2eMs(),
                tm == null ? null : tm.itlMs(), tm == null ? null : tm.outputTps(), TokensByKind.of(usage), cost,
                t.replayed() ? null : costByKind(pricing, t, usage), t.notEvaluated(), t.untimed());
    }

    /** Null when the trial is unpriced, or priced by a table this one cannot split (the total still counts). */
    private static CostByKind costByKind(PricingTable pricing, TrialResult t, Usage usage) {
        if (t.costUsd() == null) {
            return null;
        }
        CostByKind k = CostByKind.of(pricing, t.modelId(), usage).orElse(null);
        if (k == null || k.totalUsd() <= 0) {
            return null;
        }
        double f = t.costUsd() / k.totalUsd();
        return k.times(f);
    }
}
