package dev.sonde.baseline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.stats.Samples;
import dev.sonde.suite.LoadSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A benchmark's committed baseline (a suite with {@code load:}), at the suite's baseline file: the
 * load it ran and, per step of each accepted run, what the per-step gates need. Format
 * {@value #FORMAT}, version {@value #VERSION}:
 *
 * <pre>{@code
 * { "format": "sonde-benchmark-baseline", "format_version": 1, "suite": "latency",
 *   "runs": [ {run_id, endpoint, live, started_at, sonde_version, pricing_version, plan_hash}, … ],
 *   "load": {mode, arrivals, duration_s, warmup_s, max_requests, max_in_flight, slo: {ttft_ms, itl_ms, e2e_ms}},
 *   "steps": { "step 2 (4 workers)" | "step 2 (4 workers)@1": {run, step, concurrency | rate_per_s, window_s,
 *               finished_in_window, good_in_window,
 *               samples: {"ttft_ms" | "ttfb_ms" | "e2e_ms": {count, values} or {count, sum, sum_squares, hdr}}}, … } }
 * }</pre>
 *
 * <p>Made to be diffed in a pull request, as an evaluation's baseline is: one step per line group
 * (keyed by its index and load, {@code @k} for run {@code k ≥ 1}), a sample list on one line.
 *
 * <p>A step's samples are its measured successes' latencies (sent after the warm-up, as the step's
 * percentiles are); {@code finished_in_window} and {@code good_in_window} are the requests that
 * finished in its measured window and the successes among them that met the SLO — goodput is
 * {@code good_in_window / window_s}. Steps are matched with a run's by their load (workers or
 * offered rate), never by index, so a sweep that gained or lost a step still compares the steps
 * both hold. {@code load} holds what every step's figures depend on besides the step's own load;
 * a run whose load differs there is not compared with it ({@link #differences}). Samples are raw
 * values up to {@value BaselineFile#RAW_LIMIT} per metric, else an HdrHistogram, as in an
 * evaluation's baseline ({@link BaselineFile.SampleEntry}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"format", "format_version", "suite", "runs", "load", "steps"})
public record BenchmarkBaseline(String format, int formatVersion, String suite, List<BaselineFile.Source> runs,
        Shape load, Map<String, StepEntry> steps) {

    public static final String FORMAT = "sonde-benchmark-baseline";
    public static final int VERSION = 1;
    /** The latency metrics a step keeps. */
    static final List<String> METRICS = List.of("ttft_ms", "ttfb_ms", "e2e_ms");

    /**
     * What a step's figures depend on besides its own load: a run is compared only with a baseline
     * of the same shape. {@code maxInFlight} is null for a closed loop, where it plays no part.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"mode", "arrivals", "duration_s", "warmup_s", "max_requests", "max_in_flight", "slo"})
    public record Shape(String mode, @JsonInclude(JsonInclude.Include.NON_NULL) String arrivals, double durationS, double warmupS, int maxRequests,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxInFlight, LoadSpec.Slo slo) {

        /** The shape of a suite's {@code load:} section. */
        public static Shape of(LoadSpec spec) {
            return new Shape(spec.mode(), spec.open() ? (spec.poisson() ? "poisson" : "constant") : null,
                    spec.duration().toNanos() / 1e9, spec.warmup().toNanos() / 1e9, spec.maxRequests(),
                    spec.open() ? spec.maxInFlight() : null, spec.slo() == null ? LoadSpec.Slo.NONE : spec.slo());
        }

        /** Each setting where {@code now} differs from this shape, as {@code duration_s 6 then, 10 now}; empty when none. */
        public List<String> differences(Shape now) {
            List<String> out = new ArrayList<>();
            differ(out, "mode", mode, now.mode);
            differ(out, "arrivals", arrivals, now.arrivals);
            differ(out, "duration_s", num(durationS), num(now.durationS));
            differ(out, "warmup_s", num(warmupS), num(now.warmupS));
            differ(out, "max_requests", maxRequests, now.maxRequests);
            differ(out, "max_in_flight", maxInFlight, now.maxInFlight);
            LoadSpec.Slo a = slo == null ? LoadSpec.Slo.NONE : slo;
            LoadSpec.Slo b = now.slo == null ? LoadSpec.Slo.NONE : now.slo;
            differ(out, "slo.ttft_ms", a.ttftMs(), b.ttftMs());
            differ(out, "slo.itl_ms", a.itlMs(), b.itlMs());
            differ(out, "slo.e2e_ms", a.e2eMs(), b.e2eMs());
            return out;
        }

        private static void differ(List<String> out, String field, Object then, Object now) {
            if (!Objects.equals(then, now)) {
                out.add(field + " " + (then == null ? "unset" : then) + " then, " + (now == null ? "unset" : now) + " now");
            }
        }

        private static String num(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    /**
     * One step of one accepted run. {@code concurrency} (closed loop) or {@code ratePerS} (open
     * loop) is the step's load, by which it is matched.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"run", "step", "concurrency", "rate_per_s", "window_s", "finished_in_window", "good_in_window",
        "samples"})
    public record StepEntry(int run, int step, @JsonInclude(JsonInclude.Include.NON_NULL) Integer concurrency,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double ratePerS, double windowS, long finishedInWindow,
            long goodInWindow, Map<String, BaselineFile.SampleEntry> samples) {

        /** The step's load as a number: workers or arrivals per second. */
        @JsonIgnore
        double loadValue() {
            return concurrency != null ? concurrency : ratePerS;
        }

        /** A metric's samples; empty when the step kept none. */
        Samples samples(String metric) {
            BaselineFile.SampleEntry e = samples == null ? null : samples.get(metric);
            return e == null ? new Samples(Samples.MILLIS) : e.toSamples(Samples.MILLIS);
        }

        StepEntry asRun(int k) {
            return new StepEntry(k, step, concurrency, ratePerS, windowS, finishedInWindow, goodInWindow, samples);
        }

        /** This step's key in the file: {@code step 2 (4 workers)}, {@code @k} after it for run k ≥ 1. */
        String key() {
            return "step " + step + " (" + load(concurrency, ratePerS) + ")" + (run == 0 ? "" : "@" + run);
        }
    }

    /** The entries keyed as the file keys them, in order. */
    static Map<String, StepEntry> keyed(List<StepEntry> entries) {
        Map<String, StepEntry> out = new java.util.LinkedHashMap<>();
        entries.forEach(e -> out.put(e.key(), e));
        return out;
    }

    /** A step's load as people say it: {@code 4 workers}, {@code 20.0/s offered}. */
    static String load(Integer concurrency, Double ratePerS) {
        return concurrency != null ? concurrency + (concurrency == 1 ? " worker" : " workers")
                : String.format(Locale.ROOT, "%.1f/s offered", ratePerS);
    }

    /** The steps of every run with this load (workers or rate), in run order. */
    List<StepEntry> stepsAt(double loadValue) {
        return steps.values().stream().filter(s -> s.loadValue() == loadValue).toList();
    }

    /** The one-run baseline of a benchmark, from its journal's digest. */
    static BenchmarkBaseline of(String suite, BaselineFile.Source source, BenchmarkDigest digest) {
        return new BenchmarkBaseline(FORMAT, VERSION, suite, List.of(source), digest.shape(), keyed(digest.entries(0)));
    }

    /**
     * One baseline of {@code parts}' runs, in order.
     *
     * @throws BaselineRuns.Mismatch another suite or load, a run twice, or too many runs
     */
    static BenchmarkBaseline combine(List<BenchmarkBaseline> parts) throws BaselineRuns.Mismatch {
        BenchmarkBaseline first = parts.get(0);
        List<BaselineFile.Source> runs = new ArrayList<>();
        List<StepEntry> steps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (BenchmarkBaseline p : parts) {
            if (!Objects.equals(p.suite, first.suite)) {
                throw new BaselineRuns.Mismatch("run " + p.runs.get(0).runId() + " is of suite " + p.suite + ", not "
                        + first.suite + ": one baseline holds runs of one suite");
            }
            List<String> changed = first.load.differences(p.load);
            if (!changed.isEmpty()) {
                throw new BaselineRuns.Mismatch("run " + p.runs.get(0).runId() + " ran another load ("
                        + String.join(", ", changed) + "): one baseline holds runs of one load");
            }
            for (int k = 0; k < p.runs.size(); k++) {
                BaselineFile.Source s = p.runs.get(k);
                if (s.runId() != null && !ids.add(s.runId())) {
                    throw new BaselineRuns.Mismatch("run " + s.runId() + " is in the baseline twice");
                }
                runs.add(s);
                int index = runs.size() - 1;
                int from = k;
                p.steps.values().stream().filter(e -> e.run == from).forEach(e -> steps.add(e.asRun(index)));
            }
        }
        if (runs.size() > BaselineFile.MAX_RUNS) {
            throw new BaselineRuns.Mismatch("a baseline holds at most " + BaselineFile.MAX_RUNS + " runs, not "
                    + runs.size());
        }
        return new BenchmarkBaseline(FORMAT, VERSION, first.suite, runs, first.load, keyed(steps));
    }

    /** How many runs this baseline holds. */
    public int runCount() {
        return runs.size();
    }

    /**
     * Reads and checks a benchmark baseline; the message of any failure names the file. Only a
     * regular file within 1 GB is read ({@link BoundedFiles}).
     */
    public static BenchmarkBaseline read(Path file) throws IOException {
        BenchmarkBaseline b;
        try (InputStream in = BoundedFiles.open(file, BaselineFile.MAX_BYTES, Long.MAX_VALUE)) {
            b = BaselineFile.JSON.readValue(in, BenchmarkBaseline.class);
        } catch (BoundedFiles.Refused e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": not a readable Sonde baseline: no such file", e);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a readable Sonde baseline: " + BaselineFile.why(e), e);
        } catch (IOException e) {
            throw new IOException(file + ": not a readable Sonde baseline: " + e.getMessage(), e);
        }
        if (b != null && BaselineFile.FORMAT.equals(b.format())) {
            throw new IOException(file + ": is an evaluation's baseline, and this suite is a benchmark (load:): accept"
                    + " a benchmark run of it (sonde baseline accept RUN_DIR)");
        }
        if (b == null || !FORMAT.equals(b.format())) {
            throw new IOException(file + ": not a Sonde benchmark baseline (\"format\" is not \"" + FORMAT + "\")");
        }
        if (b.formatVersion() != VERSION) {
            throw new IOException(file + ": benchmark baseline format_version " + b.formatVersion()
                    + " is not supported by this Sonde (supports " + VERSION + "); upgrade Sonde or re-accept");
        }
        String bad = b.inconsistency();
        if (bad != null) {
            throw new IOException(file + ": not a readable Sonde baseline: " + bad);
        }
        return b;
    }

    /** The most latency samples one step's metric may hold: a step of 10 million requests is already huge. */
    static final long MAX_SAMPLES = 10_000_000;

    /** What makes this baseline unusable (which field, why), or null. */
    private String inconsistency() {
        if (runs == null || runs.isEmpty() || runs.size() > BaselineFile.MAX_RUNS || runs.contains(null)) {
            return "runs must list 1 to " + BaselineFile.MAX_RUNS + " runs";
        }
        if (load == null || load.mode() == null) {
            return "load lacks its mode";
        }
        if (steps == null) {
            return "steps is missing";
        }
        for (Map.Entry<String, StepEntry> step : steps.entrySet()) {
            StepEntry s = step.getValue();
            String at = "steps." + step.getKey();
            if (s == null) {
                return at + " is null";
            }
            if (s.run < 0 || s.run >= runs.size()) {
                return at + ".run is " + s.run + ", but the baseline holds " + runs.size() + " run"
                        + (runs.size() == 1 ? "" : "s");
            }
            if ((s.concurrency == null) == (s.ratePerS == null)
                    || (s.concurrency != null && s.concurrency < 1)
                    || (s.ratePerS != null && !(s.ratePerS > 0 && Double.isFinite(s.ratePerS)))) {
                return at + " needs one load: concurrency ≥ 1 or rate_per_s > 0";
            }
            if (!(s.windowS > 0 && Double.isFinite(s.windowS)) || s.finishedInWindow < 0 || s.goodInWindow < 0
                    || s.goodInWindow > s.finishedInWindow) {
                return at + " needs window_s > 0 and 0 ≤ good_in_window ≤ finished_in_window";
            }
            if (s.samples != null) {
                for (Map.Entry<String, BaselineFile.SampleEntry> e : s.samples.entrySet()) {
                    BaselineFile.SampleEntry v = e.getValue();
                    if (v == null || v.count() < 0) {
                        return at + ".samples." + e.getKey() + " is not a sample list";
                    }
                    Samples decoded;
                    try {
                        decoded = v.toSamples(Samples.MILLIS);
                    } catch (IllegalArgumentException bad) {
                        return at + ".samples." + e.getKey() + ".hdr is not an encoded histogram";
                    }
                    // the bootstrap expands the samples: a histogram claiming billions would take the heap
                    long held = decoded.distinct().total();
                    if (v.count() > MAX_SAMPLES || held != v.count()) {
                        return at + ".samples." + e.getKey() + " holds " + held + " values for a count of "
                                + v.count() + " (at most " + MAX_SAMPLES + ")";
                    }
                }
            }
        }
        return null;
    }

    /** Writes this baseline as stable, diff-friendly JSON (UTF-8, trailing newline). */
    void writeTo(Writer out) throws IOException {
        BaselineFile.JSON.writer(new BaselinePrinter()).without(com.fasterxml.jackson.core.JsonGenerator.Feature
                .AUTO_CLOSE_TARGET).writeValue(out, this);
        out.write('\n');
    }
}
