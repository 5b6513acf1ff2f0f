package dev.sonde.run;

import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.api.Exchange;
import dev.sonde.stats.LatencyHistogram;
import dev.sonde.stats.LatencyStats;
import dev.sonde.metrics.Timings;
import dev.sonde.suite.LoadSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streaming aggregates of one load step: HdrHistograms (3 significant digits, microseconds) of
 * TTFT, inter-token gaps, TPOT, service time, response time and start delay; counts, errors and
 * SLO hits. Rates count only successes that completed inside the measured window (at a steady
 * state the requests in flight when it opens balance those in flight when it closes). Fixed memory
 * whatever the number of requests; the SLO bound on inter-token latency applies to the request's
 * TPOT (mean decode time per token, as vLLM's goodput does). Thread-safe.
 */
final class StepRecorder {
    private final LoadSpec.Slo slo;
    private final LatencyHistogram ttft = new LatencyHistogram();
    private final LatencyHistogram itl = new LatencyHistogram();
    private final LatencyHistogram tpot = new LatencyHistogram();
    private final LatencyHistogram e2e = new LatencyHistogram();
    private final LatencyHistogram response = new LatencyHistogram();
    private final LatencyHistogram startDelay = new LatencyHistogram();
    private final Map<String, Long> errors = new TreeMap<>();
    private long measured;
    private long succeeded;
    private long metSlo;
    private long completedInWindow;
    private long tokensInWindow;
    private long goodInWindow;

    StepRecorder(LoadSpec.Slo slo) {
        this.slo = slo;
    }

    /**
     * @param responseNanos completion − intended start
     * @param startDelayNanos actual send − intended start
     * @param latency whether it started after the warm-up (its latencies and errors count)
     * @param inWindow whether it completed inside the measured window (counts toward the rates)
     */
    synchronized void record(Exchange ex, long responseNanos, long startDelayNanos, boolean latency, boolean inWindow) {
        if (!latency) {
            if (inWindow && ex.ok()) {
                completedInWindow++;
                tokensInWindow += ex.usage().outputTokens();
            }
            return;
        }
        measured++;
        micros(startDelay, startDelayNanos);
        if (!ex.ok()) {
            errors.merge(ex.failure().errorClass().wireName(), 1L, Long::sum);
            return;
        }
        succeeded++;
        Timings t = ex.timings();
        micros(ttft, t.ttftNanos());
        for (long gap : t.itlNanos()) {
            micros(itl, gap);
        }
        long perToken = t.tpotNanos(ex.usage().outputTokens());
        micros(tpot, perToken);
        micros(e2e, t.e2eNanos());
        micros(response, responseNanos);
        boolean good = meets(slo.ttftMs(), t.ttftNanos()) && meets(slo.itlMs(), perToken) && meets(slo.e2eMs(), t.e2eNanos());
        if (good) {
            metSlo++;
        }
        if (inWindow) {
            completedInWindow++;
            tokensInWindow += ex.usage().outputTokens();
            goodInWindow += good ? 1 : 0;
        }
    }

    /**
     * Records a journaled benchmark request as {@link #record(Exchange, long, long, boolean, boolean)}
     * recorded it live: its timings back to nanoseconds, its place in the step from its {@code load}.
     */
    synchronized void record(TrialResult r) {
        LoadRecord load = r.load();
        long output = r.usage() == null ? 0 : r.usage().path("output_tokens").asLong(0);
        if (!load.measured()) {
            if (load.inWindow() && r.error() == null) {
                completedInWindow++;
                tokensInWindow += output;
            }
            return;
        }
        measured++;
        micros(startDelay, nanos(load.sentMs() - load.intendedStartMs()));
        if (r.error() != null) {
            errors.merge(r.error().errorClass(), 1L, Long::sum);
            return;
        }
        succeeded++;
        TimingsMillis t = r.timings();
        long ttftNanos = t == null ? Timings.ABSENT : TimingsMillis.nanosOrAbsent(t.ttftMs());
        long e2eNanos = t == null ? Timings.ABSENT : TimingsMillis.nanosOrAbsent(t.e2eMs());
        micros(ttft, ttftNanos);
        if (t != null && t.itlMs() != null) {
            for (double gap : t.itlMs()) {
                micros(itl, nanos(gap));
            }
        }
        long perToken = t == null ? Timings.ABSENT : TimingsMillis.nanosOrAbsent(t.tpotMs());
        micros(tpot, perToken);
        micros(e2e, e2eNanos);
        micros(response, nanos(load.doneMs() - load.intendedStartMs()));
        boolean good = meets(slo.ttftMs(), ttftNanos) && meets(slo.itlMs(), perToken) && meets(slo.e2eMs(), e2eNanos);
        if (good) {
            metSlo++;
        }
        if (load.inWindow()) {
            completedInWindow++;
            tokensInWindow += output;
            goodInWindow += good ? 1 : 0;
        }
    }

    private static long nanos(double ms) {
        return Math.round(ms * 1e6);
    }

    private static boolean meets(Double boundMs, long nanos) {
        return boundMs == null || (nanos != Timings.ABSENT && nanos <= boundMs * 1e6);
    }

    private static void micros(LatencyHistogram h, long nanos) {
        h.recordNanos(nanos);
    }

    synchronized StepResult result(int step, LoadSpec spec, Integer concurrency, Double rate, long sent, double windowS) {
        double w = Math.max(1e-9, windowS);
        return new StepResult(step, spec.mode(), concurrency, rate, sent, measured, succeeded, round(windowS, 3),
                round(completedInWindow / w, 2), round(tokensInWindow / w, 1), round(goodInWindow / w, 2),
                measured == 0 ? 0 : round((double) (measured - succeeded) / measured, 4), Map.copyOf(errors),
                stats(ttft), stats(itl), stats(tpot), stats(e2e), stats(response), stats(startDelay));
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static LatencyStats stats(LatencyHistogram h) {
        return h.stats();
    }
}
