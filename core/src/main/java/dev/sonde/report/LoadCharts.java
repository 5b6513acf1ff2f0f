package dev.sonde.report;

import dev.sonde.run.LoadDetail;
import dev.sonde.run.LoadTimeline;
import dev.sonde.run.StepDistribution;
import dev.sonde.run.StepResult;
import dev.sonde.stats.LatencyStats;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The charts of a benchmark's report: against load (one point per step), over time (one point per
 * second of the run, the steps' starts marked and their warm-ups shaded) and per step (latency by
 * percentile). Every latency chart carries the suite's SLO bound for what it draws. Figures come
 * from the run's analysis; nothing is recomputed here.
 */
final class LoadCharts {
    private LoadCharts() {}

    /** Throughput and goodput, and latency, against each step's load. */
    static List<SvgChart> overLoad(List<StepResult> steps, LoadDetail detail) {
        boolean open = !steps.isEmpty() && steps.get(0).offeredRatePerS() != null;
        double[] x = steps.stream().mapToDouble(s -> open ? s.offeredRatePerS() : s.concurrency()).toArray();
        String xLabel = open ? "offered rate (req/s)" : "concurrency (workers)";
        return List.of(
                new LinePlot("throughput", "Throughput and goodput against load", "", xLabel, "req/s").dots()
                        .series("throughput (successes) req/s", x, each(steps, StepResult::requestRatePerS))
                        .series("goodput (met every SLO bound) req/s", x, each(steps, StepResult::goodputPerS))
                        .build("no steps ran"),
                new LinePlot("latency", "Latency against load", "", xLabel, "ms").dots()
                        .series("TTFT p50", x, each(steps, s -> of(s.ttftMs(), LatencyStats::p50)))
                        .series("TTFT p99", x, each(steps, s -> of(s.ttftMs(), LatencyStats::p99)))
                        .series("E2E p99", x, each(steps, s -> of(s.e2eMs(), LatencyStats::p99)))
                        .series("response p99 (from intended start)", x, each(steps, s -> of(s.responseMs(), LatencyStats::p99)))
                        .level("TTFT SLO", detail.sloTtftMs()).level("E2E SLO", detail.sloE2eMs())
                        .build("no steps ran"));
    }

    /** Requests, requests in flight and TTFT per second of the run. */
    static List<SvgChart> overTime(LoadDetail detail) {
        LoadTimeline t = detail.timeline();
        List<LoadTimeline.Second> s = t.seconds();
        double[] x = s.stream().mapToDouble(p -> p.tS() + p.widthS() / 2).toArray();
        String xLabel = "seconds from the run's start (the probe)";
        String none = "nothing was journaled with a time";
        return List.of(
                time(new LinePlot("requests-over-time", "Requests per second",
                        "counts of each second: sent, finished (successes and errors), successes (throughput), "
                                + "successes within every SLO bound (goodput), errors", xLabel, "requests"), detail)
                        .series("started", x, each(s, p -> p.started()))
                        .series("finished", x, each(s, p -> p.finished()))
                        .series("throughput (successes)", x, each(s, p -> p.ok()))
                        .series("goodput", x, each(s, p -> p.good()))
                        .series("errors", x, each(s, p -> p.errors()))
                        .build(none),
                time(new LinePlot("in-flight-over-time", "Active requests",
                        "requests in flight, averaged over each second", xLabel, "requests"), detail)
                        .series("in flight", x, each(s, LoadTimeline.Second::inFlight))
                        .build(none),
                time(new LinePlot("ttft-over-time", "TTFT per second",
                        "of the successes that finished in each second; a p99 of fewer than 100 is their largest or near it",
                        xLabel, "ms"), detail)
                        .series("TTFT p50", x, each(s, p -> orNaN(p.ttftP50Ms())))
                        .series("TTFT p99", x, each(s, p -> orNaN(p.ttftP99Ms())))
                        .level("TTFT SLO", detail.sloTtftMs())
                        .build("no request had a first token"));
    }

    /** One step's TTFT and E2E, and TPOT, by percentile (0 to 99.9 on a 1/(1 − p) axis). */
    static List<SvgChart> distribution(StepDistribution d, LoadDetail detail) {
        double[] x = d.percents().stream().mapToDouble(LoadCharts::tailX).toArray();
        String note = "n = " + d.n() + (d.n() < 1000 ? "; beyond the " + String.format(Locale.ROOT, "%.1f",
                100.0 * (1 - 1.0 / Math.max(1, d.n()))) + "th percentile the curve is the largest sample" : "");
        String id = "step-" + d.step();
        return List.of(
                percentiles(new LinePlot(id + "-latency", "TTFT and E2E by percentile", note, "percentile", "ms"))
                        .series("TTFT", x, values(d.ttftMs(), x.length))
                        .series("E2E (service time)", x, values(d.e2eMs(), x.length))
                        .level("TTFT SLO", detail.sloTtftMs()).level("E2E SLO", detail.sloE2eMs())
                        .build("no latency samples: nothing succeeded after the warm-up"),
                percentiles(new LinePlot(id + "-tpot", "TPOT by percentile",
                        "time per output token after the first; the ITL bound applies to it", "percentile", "ms"))
                        .series("TPOT", x, values(d.tpotMs(), x.length))
                        .level("ITL SLO", detail.sloItlMs())
                        .build("no TPOT samples (no request had two output tokens)"));
    }

    private static LinePlot time(LinePlot plot, LoadDetail detail) {
        List<Double> starts = detail.timeline().stepStartsS();
        for (int i = 0; i < starts.size(); i++) {
            plot.mark("step " + i, starts.get(i));
            plot.band(starts.get(i), starts.get(i) + detail.warmupS(), "step " + i + " warm-up");
        }
        return plot.xShown(v -> String.format(Locale.ROOT, "%.1f s", v));
    }

    private static final double[] TAIL_TICKS = {0, 50, 90, 99, 99.9};

    private static LinePlot percentiles(LinePlot plot) {
        double[] at = new double[TAIL_TICKS.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = tailX(TAIL_TICKS[i]);
        }
        return plot.xTicks(at, v -> percentLabel(fromTailX(v))).xShown(v -> "p" + percentLabel(fromTailX(v)));
    }

    /** The x of percentile {@code p} on a 1/(1 − p) axis: 0 → 0, 90 → 1, 99 → 2, 99.9 → 3. */
    private static double tailX(double p) {
        return Math.log10(100 / (100 - Math.min(p, 99.99)));
    }

    private static double fromTailX(double x) {
        return 100 - 100 / Math.pow(10, x);
    }

    private static String percentLabel(double p) {
        double r = Math.round(p * 100) / 100.0;
        return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
    }

    private static double[] values(List<Double> v, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i < v.size() && v.get(i) != null ? v.get(i) : Double.NaN;
        }
        return out;
    }

    private static <T> double[] each(List<T> items, ToDoubleFunction<T> f) {
        return items.stream().mapToDouble(f).toArray();
    }

    private static double of(LatencyStats s, Function<LatencyStats, Double> f) {
        return orNaN(f.apply(s));
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }
}
