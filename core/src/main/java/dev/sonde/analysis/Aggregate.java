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
 * by kind, and the cache hit ratio. Latency of errored exchanges is not recorded. A trial none of
 * whose checks applied is counted apart ({@code notEvaluated}): neither passed nor failed, and
 * outside the pass rate. Trials answered without timings by design are counted ({@code
 * untimedTrials}) with the first one's reason ({@link #untimedReason()}), so a latency figure that
 * is missing can say why. Not thread-safe; {@link #stats()} is a copy.
 */
public final class Aggregate {
    private long trials;
    private long passed;
    private long errored;
    private long notEvaluated;
    private long untimed;
    private String untimedReason;
    private long unpriced;
    /** Makes a distribution the first time a value comes (a case's TTFT stays null in a run that does not stream). */
    private final java.util.function.DoubleFunction<Samples> make;
    private Samples ttftMs;
    private Samples ttfbMs;
    private Samples e2eMs;
    private Samples itlMs;
    private Samples outputTps;
    private Samples costUsd;

    /** An aggregate of one case on one model: small distributions, packed when they grow. */
    public Aggregate() {
        this(false);
    }

    /**
     * @param dense the distributions of a whole run or model, which take every trial's values:
     *     plain histograms once large ({@link Samples#dense}), fast to record into
     */
    public Aggregate(boolean dense) {
        make = dense ? Samples::dense : Samples::new;
    }
    private TokensByKind tokens = TokensByKind.ZERO;
    private CostByKind cost = CostByKind.ZERO;

    /** Adds one trial: an errored exchange is counted but records no latency; a null cost counts as unpriced. */
    public void add(TrialMeasures m) {
        trials++;
        if (m.pass()) {
            passed++;
        }
        if (m.notEvaluated()) {
            notEvaluated++;
        }
        if (m.untimed() != null) {
            untimed++;
            untimedReason = untimedReason == null ? m.untimed() : untimedReason;
        }
        if (m.errored()) {
            errored++;
        } else {
            if (m.ttftMs() != null) {
                ttftMs = recorded(ttftMs, Samples.MILLIS, m.ttftMs());
            }
            if (m.ttfbMs() != null) {
                ttfbMs = recorded(ttfbMs, Samples.MILLIS, m.ttfbMs());
            }
            if (m.e2eMs() != null) {
                e2eMs = recorded(e2eMs, Samples.MILLIS, m.e2eMs());
            }
            if (m.outputTps() != null) {
                outputTps = recorded(outputTps, Samples.RATE, m.outputTps());
            }
            if (m.itlMs() != null) {
                for (double gap : m.itlMs()) {
                    itlMs = recorded(itlMs, Samples.MILLIS, gap);
                }
            }
        }
        if (m.tokens() != null) {
            tokens = tokens.plus(m.tokens());
        }
        if (m.costUsd() == null) {
            unpriced++;
        } else {
            costUsd = recorded(costUsd, Samples.USD, m.costUsd());
            if (m.costByKind() != null) {
                cost = cost.plus(m.costByKind());
            }
        }
    }

    private Samples recorded(Samples s, double resolution, double v) {
        Samples into = s != null ? s : make.apply(resolution);
        into.record(v);
        return into;
    }

    /** {@code s}, or an empty distribution when nothing was recorded (a new one each time: callers may add to it). */
    private Samples orEmpty(Samples s, double resolution) {
        return s != null ? s : make.apply(resolution);
    }

    /** Trials added so far, whatever their outcome. */
    public long trials() {
        return trials;
    }

    /** Of those, the trials that passed (a good exchange and every check that applied). */
    public long passed() {
        return passed;
    }

    /** Of those, the trials answered without timings by design (Message Batches, the response cache). */
    public long untimedTrials() {
        return untimed;
    }

    /** Why the first of the {@link #untimedTrials()} had no timings, or null when every trial was timed. */
    public String untimedReason() {
        return untimedReason;
    }

    /** TTFT of successful exchanges, ms. */
    public Samples ttftMs() {
        return orEmpty(ttftMs, Samples.MILLIS);
    }

    /** Time to first byte of exchanges that did not error, ms. */
    public Samples ttfbMs() {
        return orEmpty(ttfbMs, Samples.MILLIS);
    }

    /** End-to-end time of exchanges that did not error, ms. */
    public Samples e2eMs() {
        return orEmpty(e2eMs, Samples.MILLIS);
    }

    /** Every inter-token gap of every exchange that did not error, ms. */
    public Samples itlMs() {
        return orEmpty(itlMs, Samples.MILLIS);
    }

    /** Output tokens per second of decode time (METRICS.md) of exchanges that did not error. */
    public Samples outputTps() {
        return orEmpty(outputTps, Samples.RATE);
    }

    /** Cost of each priced trial, USD. */
    public Samples costUsd() {
        return orEmpty(costUsd, Samples.USD);
    }

    /** Tokens by kind summed over every trial added, errored ones included (a replayed trial adds none). */
    public TokensByKind tokens() {
        return tokens;
    }

    /**
     * A copy of the figures so far; {@code failed} counts the trials that neither passed, errored nor
     * went unevaluated, and the pass rate is over the trials evaluated.
     */
    public Stats stats() {
        long evaluated = trials - notEvaluated;
        return new Stats(trials, passed, evaluated - passed - errored, errored, notEvaluated,
                evaluated == 0 ? 0 : (double) passed / evaluated, ttftMs().stats(), ttfbMs().stats(), e2eMs().stats(),
                itlMs().stats(), outputTps().stats(), costUsd().stats(), tokens, tokens.cacheHitRatio(),
                costUsd == null ? 0 : costUsd.sum(), cost, unpriced, untimed);
    }

    /**
     * A copy of the aggregates. {@code costUsd} sums priced trials only ({@code unpricedTrials}
     * counts the rest); {@code costPerTrialUsd} is their distribution; {@code costByKind} splits
     * the priced total by token kind. {@code notEvaluated} counts the trials none of whose checks
     * applied (in {@code trials}, in neither {@code passed} nor {@code failed}; {@code passRate} is
     * {@code passed / (trials − notEvaluated)}); {@code untimedTrials} the trials answered without
     * timings by design, which add nothing to the latency distributions.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stats(
            long trials,
            long passed,
            long failed,
            long errored,
            long notEvaluated,
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
            long unpricedTrials,
            long untimedTrials) {}
}
