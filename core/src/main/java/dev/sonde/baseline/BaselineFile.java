package dev.sonde.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sonde.stats.Samples;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.metrics.TokensByKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A committed baseline, {@code reports/baselines/<suite>.json}: what one or more accepted runs looked
 * like, trial by trial and model by model. Format {@value #FORMAT}:
 *
 * <pre>{@code
 * { "format": "sonde-baseline", "format_version": 1, "suite": "regression",
 *   "source": {run_id, endpoint, live, started_at, sonde_version, pricing_version, plan_hash},
 *   "runs": [ {source of each run}, … ],        // only with several runs (format_version 2)
 *   "trials": { "<case>/<model>/<repeat>": {case, model, repeat, run, pass, error, checks: [{type, pass, applicable?}],
 *               output_sha256, tokens: {input, cache_write_5m, cache_write_1h, cache_read, output}, cost_usd,
 *               ttft_ms, ttfb_ms, e2e_ms} },
 *   "models": { "<label>": {model_id, trials, passed, errored, cost_usd, unpriced_trials, tokens, cache_hit_ratio,
 *               samples: { "ttft_ms" | "ttfb_ms" | "e2e_ms" | "output_tps" | "cost_usd" | "itl_ms":
 *                          {count, values: [ascending]} or {count, sum, sum_squares, hdr: "<base64>"} } } } }
 * }</pre>
 *
 * <p>Made to be diffed in a pull request: trials sorted by id, one trial per line group, sample
 * arrays on one line, no check reasons (they quote timings and would change on every run), the
 * output as a SHA-256 of its text and tool calls. Samples are raw values up to
 * {@value #RAW_LIMIT} per metric (the inter-token gaps always as a histogram), otherwise an
 * HdrHistogram in its compressed, base64 form.
 *
 * <p>A trial's {@code ttft_ms}, {@code ttfb_ms} and {@code e2e_ms} (each absent when the trial had
 * none) let a comparison pair latency by case; a file written before they existed still compares,
 * by each model's samples, unpaired. A baseline of one run is format version 1 (these keys were
 * added within it). A baseline of several runs ({@code sonde baseline accept RUN… --append}) is
 * version {@value #VERSION}: {@code runs} lists every run in order, {@code source} is the first,
 * a trial of run {@code k ≥ 1} is keyed {@code <case>/<model>/<repeat>@k} and says {@code run: k},
 * and each model's figures and samples pool every run. An unknown format or a newer version is
 * refused rather than misread; keys are only added within a version.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"format", "format_version", "suite", "source", "runs", "trials", "models", "winners"})
public record BaselineFile(
        String format,
        int formatVersion,
        String suite,
        Source source,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Source> runs,
        Map<String, TrialEntry> trials,
        Map<String, ModelEntry> models,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, String>> winners) {

    /** {@code winners} (case → compare type → the model that won most of its groups) absent reads as none. */
    public BaselineFile {
        winners = winners == null ? Map.of() : winners;
    }

    /** A baseline without compare winners. */
    public BaselineFile(String format, int formatVersion, String suite, Source source, List<Source> runs,
            Map<String, TrialEntry> trials, Map<String, ModelEntry> models) {
        this(format, formatVersion, suite, source, runs, trials, models, null);
    }

    public static final String FORMAT = "sonde-baseline";
    /** The newest version read and written: 2 for several runs; a baseline of one run is written as 1. */
    public static final int VERSION = 2;
    static final int RAW_LIMIT = 2000;
    /** The most runs one baseline holds (each replicate of the comparison's bootstrap draws them all). */
    public static final int MAX_RUNS = 32;

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * The run a baseline was accepted from; {@code planHash} null in baselines written before it was
     * kept, {@code timingOrigin} (the run's, {@code RunInfo.timing_origin}) null in those written
     * before it was: their latencies start at the call.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Source(String runId, String endpoint, boolean live, Instant startedAt, String sondeVersion,
            String pricingVersion, @JsonInclude(JsonInclude.Include.NON_NULL) String planHash,
            @JsonInclude(JsonInclude.Include.NON_NULL) String timingOrigin) {
        /** A source without a recorded timing origin. */
        public Source(String runId, String endpoint, boolean live, Instant startedAt, String sondeVersion,
                String pricingVersion, String planHash) {
            this(runId, endpoint, live, startedAt, sondeVersion, pricingVersion, planHash, null);
        }
    }

    /**
     * One trial as accepted. {@code run} is its run's index in {@link #runs()} (absent, null, for the
     * first); {@code error} is the error class or null; {@code costUsd} null when unpriced; each
     * latency null when the trial had none (errored, no text, no timings) or the file predates them.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"case", "model", "repeat", "run", "pass", "error", "checks", "output_sha256", "tokens",
        "cost_usd", "ttft_ms", "ttfb_ms", "e2e_ms"})
    public record TrialEntry(@JsonProperty("case") String caseId, String model, int repeat,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer run, boolean pass, String error,
            List<CheckEntry> checks, @JsonProperty("output_sha256") String outputSha256, TokensByKind tokens,
            Double costUsd, @JsonInclude(JsonInclude.Include.NON_NULL) Double ttftMs,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double ttfbMs,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double e2eMs) {

        /** The index of this trial's run in the baseline: 0 for the first (or only) one. */
        public int runIndex() {
            return run == null ? 0 : run;
        }

        /** This trial's value of a latency metric ({@code ttft_ms}, {@code ttfb_ms}, {@code e2e_ms}); null when none. */
        public Double latencyMs(String metric) {
            return switch (metric) {
                case "ttft_ms" -> ttftMs;
                case "ttfb_ms" -> ttfbMs;
                case "e2e_ms" -> e2eMs;
                default -> null;
            };
        }

        /** Whether this trial carries any per-trial timing (baselines written before them carry none). */
        boolean timed() {
            return ttftMs != null || ttfbMs != null || e2eMs != null;
        }

        /** The same trial as run {@code k} of a baseline (k ≥ 1), or as the first (k = 0). */
        TrialEntry asRun(int k) {
            return new TrialEntry(caseId, model, repeat, k == 0 ? null : k, pass, error, checks, outputSha256, tokens,
                    costUsd, ttftMs, ttfbMs, e2eMs);
        }

        /**
         * Whether this trial had no verdict: answered, with checks, none of which applied (as
         * {@link dev.sonde.journal.TrialResult#notEvaluated()}). Such a trial is in no pass tally.
         */
        public boolean notEvaluated() {
            return !pass && error == null && checks != null && !checks.isEmpty()
                    && checks.stream().noneMatch(CheckEntry::applies);
        }
    }

    /** The latency metrics a trial entry carries, in file order. */
    static final List<String> TRIAL_LATENCIES = List.of("ttft_ms", "ttfb_ms", "e2e_ms");

    /** How many runs this baseline holds. */
    public int runCount() {
        return runs == null ? 1 : runs.size();
    }

    /** The key of a trial of run {@code k}: its id for the first run, {@code id@k} after it. */
    static String key(String trialId, int k) {
        return k == 0 ? trialId : trialId + "@" + k;
    }

    /**
     * One check as accepted; {@code applicable} is written only when false (the check did not apply:
     * a latency bound on a trial answered through Message Batches) and read as true when absent.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckEntry(String type, boolean pass, Boolean applicable) {
        /** Keeps only {@code false} ({@code true} is the default, left out of the file). */
        public CheckEntry {
            applicable = Boolean.FALSE.equals(applicable) ? Boolean.FALSE : null;
        }

        /** A check that applied. */
        public CheckEntry(String type, boolean pass) {
            this(type, pass, null);
        }

        /** Whether the check applied to the trial (absent: it did). */
        boolean applies() {
            return applicable == null;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"model_id", "trials", "passed", "errored", "cost_usd", "unpriced_trials", "tokens",
        "cache_hit_ratio", "samples"})
    public record ModelEntry(String modelId, long trials, long passed, long errored, double costUsd,
            long unpricedTrials, TokensByKind tokens, double cacheHitRatio, Map<String, SampleEntry> samples) {}

    /** One metric's samples: raw {@code values}, or an encoded histogram with its exact sums. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"count", "sum", "sum_squares", "values", "hdr"})
    public record SampleEntry(long count, Double sum, Double sumSquares, double[] values, String hdr) {

        static SampleEntry of(double[] sortedValues, Samples samples, boolean forceHistogram) {
            if (!forceHistogram && sortedValues.length <= RAW_LIMIT && sortedValues.length == samples.count()) {
                return new SampleEntry(sortedValues.length, null, null, sortedValues, null);
            }
            return new SampleEntry(samples.count(), samples.sum(), samples.sumSquares(), null, samples.encode());
        }

        /** The samples back, at {@code resolution}; empty when neither form is present. */
        Samples toSamples(double resolution) {
            if (values != null) {
                return Samples.of(resolution, values);
            }
            if (hdr != null) {
                return Samples.decode(resolution, hdr, count, sum == null ? 0 : sum, sumSquares == null ? 0 : sumSquares);
            }
            return new Samples(resolution);
        }
    }

    /** Sample metric names, their resolution, and the metrics always stored as a histogram. */
    static double resolutionOf(String metric) {
        return switch (metric) {
            case "output_tps" -> Samples.RATE;
            case "cost_usd" -> Samples.USD;
            default -> Samples.MILLIS;
        };
    }

    /**
     * What is wrong with a baseline's JSON, in the file's terms (where, and which field), never the
     * parser's own types or a copy of the text.
     */
    static String why(JsonProcessingException e) {
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException
                || e.getCause() instanceof com.fasterxml.jackson.core.io.JsonEOFException
                || String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
            return "the JSON ends early" + where;
        }
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder field = new StringBuilder();
            for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    field.append(field.isEmpty() ? "" : ".").append(r.getFieldName());
                } else {
                    field.append('[').append(r.getIndex()).append(']');
                }
            }
            return field + " is not what a baseline holds there" + where;
        }
        if (e instanceof com.fasterxml.jackson.core.JsonParseException) {
            return "not valid JSON" + where;
        }
        return "not the shape of a baseline" + where;
    }

    /** The largest baseline read (about a kilobyte a trial: a million trials fit). */
    static final long MAX_BYTES = 1L << 30;

    /**
     * Reads and checks a baseline file; the message of any failure names the file. Only a regular
     * file within {@link #MAX_BYTES} is read ({@link BoundedFiles}): a pipe or a device is refused
     * before it is opened.
     */
    public static BaselineFile read(Path file) throws IOException {
        BaselineFile b;
        try (InputStream in = BoundedFiles.open(file, MAX_BYTES, Long.MAX_VALUE)) {
            b = JSON.readValue(in, BaselineFile.class);
        } catch (BoundedFiles.Refused e) {
            throw e; // its message names the file and why
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": not a readable Sonde baseline: no such file", e);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a readable Sonde baseline: " + why(e), e);
        } catch (IOException e) {
            throw new IOException(file + ": not a readable Sonde baseline: " + e.getMessage(), e);
        }
        if (b != null && BenchmarkBaseline.FORMAT.equals(b.format())) {
            throw new IOException(file + ": is a benchmark's baseline (a suite with load:), and this suite is an"
                    + " evaluation: accept a run of it (sonde baseline accept RUN_DIR)");
        }
        if (b == null || !FORMAT.equals(b.format())) {
            throw new IOException(file + ": not a Sonde baseline (\"format\" is not \"" + FORMAT + "\")");
        }
        if (b.formatVersion() < 1 || b.formatVersion() > VERSION) {
            throw new IOException(file + ": baseline format_version " + b.formatVersion()
                    + " is not supported by this Sonde (supports 1.." + VERSION + "); upgrade Sonde or re-accept");
        }
        if (b.trials() == null || b.models() == null) {
            throw new IOException(file + ": baseline lacks \"trials\" or \"models\"");
        }
        String bad = b.inconsistency();
        if (bad != null) {
            throw new IOException(file + ": not a readable Sonde baseline: " + bad);
        }
        return b;
    }

    /** What makes this baseline's runs inconsistent (which field, why), or null when they are not. */
    String inconsistency() {
        if (runs != null && (runs.size() < 2 || runs.size() > MAX_RUNS || runs.contains(null))) {
            return "runs must list 2 to " + MAX_RUNS + " runs";
        }
        if (runs != null && formatVersion < 2) {
            return "runs needs format_version 2";
        }
        for (Map.Entry<String, TrialEntry> e : trials.entrySet()) {
            TrialEntry t = e.getValue();
            if (t == null || t.caseId() == null || t.model() == null) {
                return "trials." + e.getKey() + " lacks its case or model";
            }
            if (t.runIndex() < 0 || t.runIndex() >= runCount()) {
                return "trials." + e.getKey() + ".run is " + t.runIndex() + ", but the baseline holds " + runCount()
                        + " run" + (runCount() == 1 ? "" : "s");
            }
        }
        return null;
    }

    /** Writes this baseline as stable, diff-friendly JSON (UTF-8, trailing newline). */
    void writeTo(Writer out) throws IOException {
        JSON.writer(new BaselinePrinter()).writeValue(new NonClosing(out), this);
        out.write('\n');
    }

    /** Lets Jackson finish without closing the caller's writer. */
    private static final class NonClosing extends java.io.FilterWriter {
        NonClosing(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
