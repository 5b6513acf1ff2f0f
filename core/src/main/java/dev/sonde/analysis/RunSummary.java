package dev.sonde.analysis;

import static dev.sonde.metrics.TimingsMillis.nanosOrAbsent;

import dev.sonde.journal.TrialResult;
import dev.sonde.journal.TurnRecord;
import dev.sonde.metrics.TimingsMillis;

import dev.sonde.metrics.Cost;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.stats.LatencyHistogram;
import dev.sonde.stats.LatencyStats;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Streaming aggregates of a run, overall and per model label: counts, error classes, latency
 * histograms, token and cost sums. Memory is fixed per model whatever the number of trials — the
 * run itself is never held in memory. Thread-safe; {@link #snapshot()} is a consistent copy.
 */
public final class RunSummary {
    private final Aggregate total = new Aggregate();
    private final Map<String, Aggregate> byModel = new LinkedHashMap<>();

    /**
     * Adds one finished trial.
     *
     * @param errorClass the error class wire name, or null when the exchange succeeded
     * @param cost empty when the model is unpriced
     */
    public synchronized void add(String modelLabel, boolean pass, String errorClass, Timings timings, Usage usage,
            Optional<Cost> cost) {
        add(modelLabel, new Counted(pass, errorClass, false, timings.unmeasured()), timings,
                timings.tpotNanos(usage.outputTokens()), usage, cost);
    }

    /** How a trial ended, as the counts see it: {@code untimed} is why it has no timings by design, or null. */
    private record Counted(boolean pass, String errorClass, boolean notEvaluated, String untimed) {}

    private synchronized void add(String modelLabel, Counted counted, Timings timings, long tpotNanos,
            Usage usage, Optional<Cost> cost) {
        total.add(counted, timings, tpotNanos, usage, cost);
        byModel.computeIfAbsent(modelLabel, k -> new Aggregate()).add(counted, timings, tpotNanos, usage, cost);
    }

    /**
     * Adds one journaled trial: timings back to nanoseconds, cost as its journaled total and cache
     * savings (the split by token kind is not journaled: a {@link Cost} whose one part is the total
     * and whose "cached tokens at input price" is the savings sums both right). Skipped trials add
     * nothing; replayed ones count as verdicts only; one none of whose checks applied is counted
     * apart ({@link TrialResult#notEvaluated()}).
     */
    public void add(TrialResult t) {
        if (t.skipped() != null) {
            return;
        }
        if (t.replayed()) {
            add(t.model(), new Counted(t.pass(), null, t.notEvaluated(), t.untimed()), Timings.NONE, Timings.ABSENT,
                    Usage.NONE, Optional.of(Cost.ZERO));
            return;
        }
        Timings timings = Timings.NONE;
        long tpotNanos = Timings.ABSENT;
        TimingsMillis tm = t.timings();
        if (tm != null) {
            long[] itl = new long[tm.itlMs() == null ? 0 : tm.itlMs().length];
            for (int i = 0; i < itl.length; i++) {
                itl[i] = Math.round(tm.itlMs()[i] * 1e6);
            }
            timings = new Timings(nanosOrAbsent(tm.ttfbMs()), nanosOrAbsent(tm.ttftMs()), nanosOrAbsent(tm.ttftAnyMs()),
                    nanosOrAbsent(tm.e2eMs()), itl, tm.deltas(),
                    t.turns().isEmpty() ? Timings.ABSENT : TurnRecord.decodeNanos(t.turns()));
            tpotNanos = nanosOrAbsent(tm.tpotMs()); // as the run computed it from the exact clock readings
        }
        add(t.model(), new Counted(t.pass(), t.error() == null ? null : t.error().errorClass(), t.notEvaluated(),
                t.untimed()), timings, tpotNanos, t.usage() == null ? Usage.NONE : Usage.fromJson(t.usage()),
                t.unpriced() || t.costUsd() == null ? Optional.empty()
                        : Optional.of(new Cost(0, 0, 0, t.costUsd(), t.cacheSavingsUsd() == null ? 0 : t.cacheSavingsUsd())));
    }

    /** A consistent copy of the figures so far, overall and per model label (safe while trials are added). */
    public synchronized Snapshot snapshot() {
        Map<String, Stats> models = new LinkedHashMap<>();
        byModel.forEach((k, v) -> models.put(k, v.stats()));
        return new Snapshot(total.stats(), Collections.unmodifiableMap(models));
    }

    /**
     * What results.json and the reports show.
     *
     * @param total every trial added (skipped ones never are)
     * @param models per model label, in the order the labels were first added
     */
    public record Snapshot(Stats total, Map<String, Stats> models) {}

    /**
     * Aggregates of a set of trials. {@code failed} = a good exchange whose checks failed;
     * {@code errored} = the exchange itself failed; {@code notEvaluated} = a good exchange none of
     * whose checks applied (no verdict: neither passed nor failed, and outside the pass rate).
     * {@code costUsd} sums priced trials only; {@code unpricedTrials} counts the rest.
     * {@code cacheHitRatio} = cache_read / total prompt tokens; {@code cacheSavingsUsd} = uncached
     * price − price (METRICS.md). {@code untimedTrials} counts the trials answered without timings
     * by design, and {@code untimedReason} says why for the first of them (null when none): their
     * latencies are in no distribution.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stats(
            long trials,
            long passed,
            long failed,
            long errored,
            long notEvaluated,
            Map<String, Long> errorsByClass,
            LatencyStats ttftMs,
            LatencyStats ttfbMs,
            LatencyStats e2eMs,
            LatencyStats itlMs,
            LatencyStats tpotMs,
            long inputTokens,
            long outputTokens,
            long cacheWriteTokens,
            long cacheReadTokens,
            double cacheHitRatio,
            double costUsd,
            double cacheSavingsUsd,
            long unpricedTrials,
            long untimedTrials,
            String untimedReason) {

        /** The trials with a verdict: every trial but those not evaluated. */
        public long evaluated() {
            return trials - notEvaluated;
        }

        /** {@code passed / evaluated}, in [0, 1]; 0 when no trial was evaluated. */
        public double passRate() {
            long evaluated = evaluated();
            return evaluated == 0 ? 0 : (double) passed / evaluated;
        }
    }

    private static final class Aggregate {
        long trials;
        long passed;
        long errored;
        long notEvaluated;
        long untimed;
        String untimedReason;
        final Map<String, Long> errors = new TreeMap<>();
        final LatencyHistogram ttft = new LatencyHistogram();
        final LatencyHistogram ttfb = new LatencyHistogram();
        final LatencyHistogram e2e = new LatencyHistogram();
        final LatencyHistogram itl = new LatencyHistogram();
        final LatencyHistogram tpot = new LatencyHistogram();
        long input;
        long output;
        long cacheWrite;
        long cacheRead;
        Cost cost = Cost.ZERO;
        long unpriced;

        void add(Counted counted, Timings t, long tpotNanos, Usage u, Optional<Cost> c) {
            trials++;
            if (counted.pass()) {
                passed++;
            }
            if (counted.notEvaluated()) {
                notEvaluated++;
            }
            if (counted.untimed() != null) {
                untimed++;
                untimedReason = untimedReason == null ? counted.untimed() : untimedReason;
            }
            String errorClass = counted.errorClass();
            if (errorClass != null) {
                errored++;
                errors.merge(errorClass, 1L, Long::sum);
            } else {
                // Latency of failed exchanges is not service latency: only good exchanges count.
                ttft.recordNanos(t.ttftNanos());
                ttfb.recordNanos(t.ttfbNanos());
                e2e.recordNanos(t.e2eNanos());
                for (long gap : t.itlNanos()) {
                    itl.recordNanos(gap);
                }
                tpot.recordNanos(tpotNanos);
            }
            input += u.inputTokens();
            output += u.outputTokens();
            cacheWrite += u.cacheCreationInputTokens();
            cacheRead += u.cacheReadInputTokens();
            if (c.isPresent()) {
                cost = cost.plus(c.get());
            } else {
                unpriced++;
            }
        }

        Stats stats() {
            long prompt = input + cacheWrite + cacheRead;
            return new Stats(trials, passed, trials - passed - errored - notEvaluated, errored, notEvaluated,
                    Map.copyOf(errors), ttft.stats(), ttfb.stats(), e2e.stats(), itl.stats(), tpot.stats(),
                    input, output, cacheWrite, cacheRead, prompt == 0 ? 0 : (double) cacheRead / prompt,
                    cost.totalUsd(), cost.cacheSavingsUsd(), unpriced, untimed, untimedReason);
        }
    }
}
