package dev.sonde.run;

import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Fmt;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.api.Exchange;
import dev.sonde.stats.LatencyHistogram;
import dev.sonde.stats.LatencyStats;
import dev.sonde.metrics.Timings;
import dev.sonde.suite.LoadSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streaming aggregates of one load step: HdrHistograms (3 significant digits, microseconds) of
 * TTFT, inter-token gaps, TPOT, service time, response time and start delay; counts, errors and
 * SLO hits. The rates share one denominator: the requests that finished inside the measured window,
 * whenever they were sent (at a steady state the requests in flight when it opens balance those in
 * flight when it closes) — throughput counts its successes, goodput the successes among them that
 * met every SLO bound, the error rate its errors. Latencies are those of the successes sent after
 * the warm-up. Errors that finished before the window opened or after it closed are counted apart,
 * never dropped. Fixed memory whatever the number of requests; the SLO bound on inter-token latency
 * applies to the request's TPOT (mean decode time per token, as vLLM's goodput does). Thread-safe.
 */
final class StepRecorder {
    /** Where a request finished against its step's measured window. */
    enum Finished {
        DURING_WARMUP, IN_WINDOW, AFTER_WINDOW;

        static Finished of(long doneNanos, long warmupEndNanos, long endNanos) {
            return doneNanos < warmupEndNanos ? DURING_WARMUP : doneNanos <= endNanos ? IN_WINDOW : AFTER_WINDOW;
        }
    }

    private final LoadSpec spec;
    private final LatencyHistogram ttft = new LatencyHistogram();
    private final LatencyHistogram itl = new LatencyHistogram();
    private final LatencyHistogram tpot = new LatencyHistogram();
    private final LatencyHistogram e2e = new LatencyHistogram();
    private final LatencyHistogram response = new LatencyHistogram();
    private final LatencyHistogram startDelay = new LatencyHistogram();
    private final LatencyHistogram dispatch = new LatencyHistogram();
    private final Map<String, Long> errors = new TreeMap<>();
    private long measured;
    private long succeeded;
    private long finishedInWindow;
    private long okInWindow;
    private long tokensInWindow;
    private long goodInWindow;
    private long warmupErrors;
    private long afterWindowErrors;

    StepRecorder(LoadSpec spec) {
        this.spec = spec;
    }

    /**
     * @param responseNanos completion − intended start
     * @param startDelayNanos actual send − intended start
     * @param latency whether it started after the warm-up (its latencies count)
     * @param finished where it finished: in the measured window it counts toward the rates
     */
    synchronized void record(Exchange ex, long responseNanos, long startDelayNanos, boolean latency, Finished finished) {
        String error = ex.ok() ? null : ex.failure().errorClass().wireName();
        if (!ex.ok()) {
            count(error, false, 0, finished);
            if (latency) {
                measured++;
                micros(startDelay, startDelayNanos);
            }
            return;
        }
        Timings t = ex.timings();
        long perToken = t.tpotNanos(ex.usage().outputTokens());
        boolean good = good(t.ttftNanos(), perToken, t.e2eNanos());
        count(null, good, ex.usage().outputTokens(), finished);
        if (!latency) {
            return;
        }
        measured++;
        succeeded++;
        micros(startDelay, startDelayNanos);
        micros(ttft, t.ttftNanos());
        for (long gap : t.itlNanos()) {
            micros(itl, gap);
        }
        micros(tpot, perToken);
        micros(e2e, t.e2eNanos());
        micros(response, responseNanos);
        micros(dispatch, t.dispatchNanos());
    }

    /**
     * Records a journaled benchmark request as {@link #record(Exchange, long, long, boolean, Finished)}
     * recorded it live: its timings back to nanoseconds, its place in the step from its {@code load}.
     */
    synchronized void record(TrialResult r) {
        LoadRecord load = r.load();
        long output = r.usage() == null ? 0 : r.usage().path("output_tokens").asLong(0);
        Finished finished = load.inWindow() ? Finished.IN_WINDOW
                : load.doneMs() < TimingsMillis.millis(spec.warmup().toNanos()) ? Finished.DURING_WARMUP
                : Finished.AFTER_WINDOW;
        if (r.error() != null) {
            count(r.error().errorClass(), false, 0, finished);
            if (load.measured()) {
                measured++;
                micros(startDelay, nanos(load.sentMs() - load.intendedStartMs()));
            }
            return;
        }
        TimingsMillis t = r.timings();
        long ttftNanos = t == null ? Timings.ABSENT : TimingsMillis.nanosOrAbsent(t.ttftMs());
        long e2eNanos = t == null ? Timings.ABSENT : TimingsMillis.nanosOrAbsent(t.e2eMs());
        long perToken = t == null ? Timings.ABSENT : TimingsMillis.nanosOrAbsent(t.tpotMs());
        count(null, good(ttftNanos, perToken, e2eNanos), output, finished);
        if (!load.measured()) {
            return;
        }
        measured++;
        succeeded++;
        micros(startDelay, nanos(load.sentMs() - load.intendedStartMs()));
        micros(ttft, ttftNanos);
        if (t != null && t.itlMs() != null) {
            for (double gap : t.itlMs()) {
                micros(itl, nanos(gap));
            }
        }
        micros(tpot, perToken);
        micros(e2e, e2eNanos);
        micros(response, nanos(load.doneMs() - load.intendedStartMs()));
        micros(dispatch, t == null ? Timings.ABSENT : TimingsMillis.nanosOrAbsent(t.dispatchMs()));
    }

    /** Counts one finished request where it finished: an error (its class) or a success (good or not). */
    private void count(String errorClass, boolean good, long outputTokens, Finished finished) {
        switch (finished) {
            case IN_WINDOW -> {
                finishedInWindow++;
                if (errorClass != null) {
                    errors.merge(errorClass, 1L, Long::sum);
                } else {
                    okInWindow++;
                    tokensInWindow += outputTokens;
                    goodInWindow += good ? 1 : 0;
                }
            }
            case DURING_WARMUP -> warmupErrors += errorClass != null ? 1 : 0;
            case AFTER_WINDOW -> afterWindowErrors += errorClass != null ? 1 : 0;
        }
    }

    private boolean good(long ttftNanos, long tpotNanos, long e2eNanos) {
        return spec.slo().met(ttftNanos, tpotNanos, e2eNanos);
    }

    private static long nanos(double ms) {
        return Math.round(ms * 1e6);
    }

    private static void micros(LatencyHistogram h, long nanos) {
        h.recordNanos(nanos);
    }

    synchronized StepResult result(int step, Integer concurrency, Double rate, long sent, double windowS) {
        double w = Math.max(1e-9, windowS);
        double errorRate = finishedInWindow == 0 ? 0 : round((double) (finishedInWindow - okInWindow) / finishedInWindow, 4);
        String failed = null;
        if (finishedInWindow > okInWindow && errorRate > spec.maxErrorRate()) {
            failed = "errors " + Fmt.pct(errorRate) + " > max_error_rate " + Fmt.pct(spec.maxErrorRate());
        } else if (finishedInWindow == 0 && warmupErrors + afterWindowErrors > 0) {
            failed = "no request finished in the measured window, " + (warmupErrors + afterWindowErrors)
                    + " failed outside it";
        }
        return new StepResult(step, spec.mode(), concurrency, rate, sent, measured, succeeded, round(windowS, 3),
                round(okInWindow / w, 2), round(tokensInWindow / w, 1), round(goodInWindow / w, 2), finishedInWindow,
                errorRate, Map.copyOf(errors), warmupErrors, afterWindowErrors, spec.maxErrorRate(), failed,
                stats(ttft), stats(itl), stats(tpot), stats(e2e), stats(response), stats(startDelay), stats(dispatch));
    }

    /** The step's TTFT, E2E and TPOT percentile curves ({@link StepDistribution#PERCENTS}). */
    synchronized StepDistribution distribution(int step) {
        List<Double> p = StepDistribution.PERCENTS;
        return new StepDistribution(step, succeeded, p, ttft.percentiles(p), e2e.percentiles(p), tpot.percentiles(p));
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static LatencyStats stats(LatencyHistogram h) {
        return h.stats();
    }
}
