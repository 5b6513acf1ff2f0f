package dev.sonde.baseline;

import dev.sonde.analysis.TrialFold;
import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.stats.Samples;
import dev.sonde.suite.LoadSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark's per-step gates need from its journal, learnt in the run's one pass: per step,
 * the measured successes' TTFT, TTFB and E2E (sent after the warm-up, as the step's percentiles
 * are), the requests that finished in the measured window and the successes among them that met
 * the SLO ({@link LoadSpec.Slo#met}, the rule the step's goodput is counted by). The probe and
 * requests of steps the spec does not have are ignored. Memory per step: the samples' histograms
 * and at most {@value BaselineFile#RAW_LIMIT} raw values per metric. Not thread-safe (one pass).
 */
public final class BenchmarkDigest implements TrialFold {
    private final LoadSpec spec;
    private final List<Step> steps = new ArrayList<>();

    /** One step's figures so far. */
    static final class Step {
        final Map<String, Samples> samples = new LinkedHashMap<>();
        final Map<String, double[]> raw = new LinkedHashMap<>();
        final Map<String, Integer> rawSize = new LinkedHashMap<>();
        long finishedInWindow;
        long goodInWindow;

        Step() {
            for (String m : BenchmarkBaseline.METRICS) {
                samples.put(m, Samples.dense(Samples.MILLIS));
                raw.put(m, new double[16]);
                rawSize.put(m, 0);
            }
        }

        void record(String metric, Double ms) {
            if (ms == null || !(ms >= 0) || Double.isInfinite(ms)) {
                return;
            }
            samples.get(metric).record(ms);
            int n = rawSize.get(metric);
            if (n <= BaselineFile.RAW_LIMIT) { // one past the limit marks "too many: a histogram"
                double[] a = raw.get(metric);
                if (n == a.length) {
                    a = java.util.Arrays.copyOf(a, Math.min(a.length * 2, BaselineFile.RAW_LIMIT + 1));
                    raw.put(metric, a);
                }
                a[n] = ms;
                rawSize.put(metric, n + 1);
            }
        }

        /** The metric's measured samples, sorted ascending. */
        double[] values(String metric) {
            double[] v = java.util.Arrays.copyOf(raw.get(metric), rawSize.get(metric));
            java.util.Arrays.sort(v);
            return v;
        }
    }

    /** A digest of a run of {@code spec}'s steps. */
    public BenchmarkDigest(LoadSpec spec) {
        this.spec = spec;
        for (int i = 0; i < spec.steps(); i++) {
            steps.add(new Step());
        }
    }

    @Override
    public void add(TrialResult t) {
        LoadRecord load = t.load();
        if (load == null || load.step() < 0 || load.step() >= steps.size()) {
            return;
        }
        Step s = steps.get(load.step());
        boolean ok = t.error() == null;
        TimingsMillis timings = t.timings();
        if (load.inWindow()) {
            s.finishedInWindow++;
            if (ok && spec.slo().met(nanos(timings == null ? null : timings.ttftMs()),
                    nanos(timings == null ? null : timings.tpotMs()), nanos(timings == null ? null : timings.e2eMs()))) {
                s.goodInWindow++;
            }
        }
        if (ok && load.measured() && timings != null) {
            s.record("ttft_ms", timings.ttftMs());
            s.record("ttfb_ms", timings.ttfbMs());
            s.record("e2e_ms", timings.e2eMs());
        }
    }

    private static long nanos(Double ms) {
        return ms == null ? -1 : TimingsMillis.nanosOrAbsent(ms);
    }

    /** The load the digested run ran. */
    BenchmarkBaseline.Shape shape() {
        return BenchmarkBaseline.Shape.of(spec);
    }

    /** The seconds of each step's measured window. */
    double windowS() {
        return Math.max(1e-9, (spec.duration().toNanos() - spec.warmup().toNanos()) / 1e9);
    }

    /** The digested steps as baseline entries of run {@code run}. */
    List<BenchmarkBaseline.StepEntry> entries(int run) {
        List<BenchmarkBaseline.StepEntry> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            Map<String, BaselineFile.SampleEntry> samples = new LinkedHashMap<>();
            for (String m : BenchmarkBaseline.METRICS) {
                samples.put(m, BaselineFile.SampleEntry.of(s.values(m), s.samples.get(m), false));
            }
            out.add(new BenchmarkBaseline.StepEntry(run, i, spec.open() ? null : spec.concurrencies().get(i),
                    spec.open() ? spec.ratesPerSecond().get(i) : null, windowS(), s.finishedInWindow, s.goodInWindow,
                    samples));
        }
        return out;
    }
}
