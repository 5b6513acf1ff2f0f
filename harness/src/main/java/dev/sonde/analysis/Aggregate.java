package dev.sonde.analysis;

import dev.sonde.metrics.CostByKind;
import dev.sonde.stats.DistributionStats;
import dev.sonde.stats.Samples;
import dev.sonde.metrics.TokensByKind;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Streaming aggregates of a set of trials (a run, a model, a case × model): pass/fail/error
 * counts, distributions of TTFT, TTFB, inter-token gaps, end-to-end time, output tokens/s and
 * cost per trial ({@link Samples}: fixed memory whatever the number of trials), tokens and cost
 * by kind, and the cache hit ratio. Latency of errored exchanges is not recorded. Not
 * thread-safe; {@link #stats()} is a copy.
 */
public final class Aggregate {
    private long trials;
    private long passed;
    private long errored;
    private long unpriced;
    private final Samples ttftMs;
    private final Samples ttfbMs;
    private final Samples e2eMs;
    private final Samples itlMs;
    private final Samples outputTps;
    private final Samples costUsd;

    /** An aggregate of one case on one model: small distributions, packed when they grow. */
    public Aggregate() {
        this(false);
    }

    /**
     * @param dense the distributions of a whole run or model, which take every trial's values:
     *     plain histograms once large ({@link Samples#dense}), fast to record into
     */
    public Aggregate(boolean dense) {
        java.util.function.DoubleFunction<Samples> make = dense ? Samples::dense : Samples::new;
        ttftMs = make.apply(Samples.MILLIS);
        ttfbMs = make.apply(Samples.MILLIS);
        e2eMs = make.apply(Samples.MILLIS);
        itlMs = make.apply(Samples.MILLIS);
        outputTps = make.apply(Samples.RATE);
        costUsd = make.apply(Samples.USD);
    }
    private TokensByKind tokens = TokensByKind.ZERO;
    private CostByKind cost = CostByKind.ZERO;

    /** Adds one trial: an errored exchange is counted but records no latency; a null cost counts as unpriced. */
    public void add(TrialMeasures m) {
        trials++;
        if (m.pass()) {
            passed++;
        }
        if (m.errored()) {
            errored++;
        } else {
            record(ttftMs, m.ttftMs());
            record(ttfbMs, m.ttfbMs());
            record(e2eMs, m.e2eMs());
            record(outputTps, m.outputTps());
            if (m.itlMs() != null) {
                for (double gap : m.itlMs()) {
                    itlMs.record(gap);
                }
            }
        }
        if (m.tokens() != null) {
            tokens = tokens.plus(m.tokens());
        }
        if (m.costUsd() == null) {
            unpriced++;
        } else {
            costUsd.record(m.costUsd());
            if (m.costByKind() != null) {
                cost = cost.plus(m.costByKind());
            }
        }
    }

    private static void record(Samples s, Double v) {
        if (v != null) {
            s.record(v);
        }
    }

    /** Trials added so far, whatever their outcome. */
    public long trials() {
        return trials;
    }

    /** Of those, the trials that passed (a good exchange and every check). */
    public long passed() {
        return passed;
    }

    /** TTFT of successful exchanges, ms. */
    public Samples ttftMs() {
        return ttftMs;
    }

    /** Time to first byte of exchanges that did not error, ms. */
    public Samples ttfbMs() {
        return ttfbMs;
    }

    /** End-to-end time of exchanges that did not error, ms. */
    public Samples e2eMs() {
        return e2eMs;
    }

    /** Every inter-token gap of every exchange that did not error, ms. */
    public Samples itlMs() {
        return itlMs;
    }

    /** Output tokens per second of decode time (METRICS.md) of exchanges that did not error. */
    public Samples outputTps() {
        return outputTps;
    }

    /** Cost of each priced trial, USD. */
    public Samples costUsd() {
        return costUsd;
    }

    /** Tokens by kind summed over every trial added, errored ones included (a replayed trial adds none). */
    public TokensByKind tokens() {
        return tokens;
    }

    /** A copy of the figures so far; {@code failed} counts the trials that neither passed nor errored. */
    public Stats stats() {
        return new Stats(trials, passed, trials - passed - errored, errored, trials == 0 ? 0 : (double) passed / trials,
                ttftMs.stats(), ttfbMs.stats(), e2eMs.stats(), itlMs.stats(), outputTps.stats(), costUsd.stats(),
                tokens, tokens.cacheHitRatio(), costUsd.sum(), cost, unpriced);
    }

    /**
     * A copy of the aggregates. {@code costUsd} sums priced trials only ({@code unpricedTrials}
     * counts the rest); {@code costPerTrialUsd} is their distribution; {@code costByKind} splits
     * the priced total by token kind.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stats(
            long trials,
            long passed,
            long failed,
            long errored,
            double passRate,
            DistributionStats ttftMs,
            DistributionStats ttfbMs,
            DistributionStats e2eMs,
            DistributionStats itlMs,
            DistributionStats outputTps,
            DistributionStats costPerTrialUsd,
            TokensByKind tokens,
            double cacheHitRatio,
            double costUsd,
            CostByKind costByKind,
            long unpricedTrials) {}
}
