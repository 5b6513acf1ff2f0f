package dev.sonde.baseline;

import dev.sonde.analysis.TrialFold;
import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.stats.Samples;
import dev.sonde.suite.LoadSpec;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** One metric of one step: its histogram, and its values while there are at most {@value BaselineFile#RAW_LIMIT}. */
    private static final class Metric {
        final Samples samples = Samples.dense(Samples.MILLIS);
        double[] raw = new double[16];
        int size;

        void record(Double ms) {
            if (ms == null || !(ms >= 0) || Double.isInfinite(ms)) {
                return;
            }
            samples.record(ms);
            if (size <= BaselineFile.RAW_LIMIT) { // one past the limit: too many, the file takes the histogram
                if (size == raw.length) {
                    raw = Arrays.copyOf(raw, Math.min(raw.length * 2, BaselineFile.RAW_LIMIT + 1));
                }
                raw[size++] = ms;
            }
        }

        BaselineFile.SampleEntry entry() {
            double[] sorted = Arrays.copyOf(raw, size);
            Arrays.sort(sorted);
            return BaselineFile.SampleEntry.of(sorted, samples, false);
        }
    }

    /** One step's figures so far. */
    private static final class Step {
        final Map<String, Metric> metrics = new LinkedHashMap<>();
        long finishedInWindow;
        long goodInWindow;

        Step() {
            BenchmarkBaseline.METRICS.forEach(m -> metrics.put(m, new Metric()));
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
            s.goodInWindow += ok && metSlo(timings) ? 1 : 0;
        }
        if (ok && load.measured() && timings != null) {
            s.metrics.get("ttft_ms").record(timings.ttftMs());
            s.metrics.get("ttfb_ms").record(timings.ttfbMs());
            s.metrics.get("e2e_ms").record(timings.e2eMs());
        }
    }

    /** Whether a success's timings meet the SLO (none recorded: only an SLO without bounds is met). */
    private boolean metSlo(TimingsMillis t) {
        return t == null ? spec.slo().met(Timings.ABSENT, Timings.ABSENT, Timings.ABSENT)
                : spec.slo().met(TimingsMillis.nanosOrAbsent(t.ttftMs()), TimingsMillis.nanosOrAbsent(t.tpotMs()),
                        TimingsMillis.nanosOrAbsent(t.e2eMs()));
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
            s.metrics.forEach((m, metric) -> samples.put(m, metric.entry()));
            out.add(new BenchmarkBaseline.StepEntry(run, i, spec.open() ? null : spec.concurrencies().get(i),
                    spec.open() ? spec.ratesPerSecond().get(i) : null, windowS(), s.finishedInWindow, s.goodInWindow,
                    samples));
        }
        return out;
    }
}
