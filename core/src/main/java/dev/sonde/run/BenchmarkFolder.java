package dev.sonde.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.suite.LoadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A finished benchmark ({@code load:}) read back from its folder, for {@code sonde report} and
 * {@code sonde merge}: what the run was ({@code run.json}, recorded at its start), the load it ran
 * ({@code load} in its {@code results.json} of {@code kind: benchmark}, as the run wrote it), the
 * merge that made it ({@code merge.json}, or null) and its journal. Nothing here reloads the suite.
 * Every file is read bounded, and a {@code load} that no suite could have made (no steps, a
 * non-positive duration or rate, a warm-up as long as the step) is refused with one line naming the
 * file and the field.
 *
 * @param load the load the steps are folded under: for a merged run, the machines' load summed
 *     ({@link LoadMerge})
 * @param merge how {@code sonde merge} combined load generators into this run, or null
 * @param baseline the run's comparison with its suite's baseline as its {@code results.json} holds it
 *     ({@code baseline}), or null: a re-render keeps it, since the suite is not reloaded
 * @param stopped why the run was stopped before its last step ended ({@code stopped} in its
 *     {@code results.json}), or null: its steps are partial
 */
public record BenchmarkFolder(Path dir, RunInfo info, LoadSpec load, LoadMerge.Record merge, JsonNode baseline,
        String stopped) {
    /** The largest {@code results.json} or {@code merge.json} read (a benchmark's is kilobytes). */
    static final long MAX_RESULTS_BYTES = 16L << 20;
    /** The largest {@code run.json} read (a plan of 100,000 cases records ~9 MB of request hashes). */
    static final long MAX_RUN_BYTES = 256L << 20;
    /** The file {@code sonde merge} records the combined machines in, beside the journal. */
    public static final String MERGE_FILE = "merge.json";

    /** The run's journal, {@code trials.jsonl}. */
    public Path journal() {
        return dir.resolve("trials.jsonl");
    }

    /**
     * The benchmark in {@code dir}, or empty when {@code dir} holds no {@code results.json} of
     * {@code kind: benchmark} (an eval run, or no run at all: the caller says which).
     *
     * @throws IOException (one line) a benchmark's files are damaged, too large or missing
     *     ({@code run.json}, {@code trials.jsonl}), or its {@code load} is not one a suite could make
     */
    public static Optional<BenchmarkFolder> read(Path dir) throws IOException {
        Path results = dir.resolve("results.json");
        if (!Files.isRegularFile(results)) {
            return Optional.empty();
        }
        JsonNode doc = tree(results, MAX_RESULTS_BYTES);
        if (!"benchmark".equals(doc.path("kind").asText(null))) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(dir.resolve("trials.jsonl"))) {
            throw new IOException(dir + " is not a finished benchmark: it has no trials.jsonl");
        }
        Path runFile = dir.resolve(RunInfo.FILE);
        if (!Files.isRegularFile(runFile)) {
            throw new IOException(dir + " is a benchmark without " + RunInfo.FILE + " (what the run was): it cannot be"
                    + " re-read");
        }
        RunInfo info = value(runFile, tree(runFile, MAX_RUN_BYTES), RunInfo.class, "");
        if (info == null || info.suite() == null) {
            throw new IOException(runFile + ": no run metadata (\"suite\")");
        }
        LoadSpec load = checked(results, value(results, doc.path("load"), LoadSpec.class, "load"));
        Path mergeFile = dir.resolve(MERGE_FILE);
        LoadMerge.Record merge = Files.isRegularFile(mergeFile)
                ? value(mergeFile, tree(mergeFile, MAX_RESULTS_BYTES), LoadMerge.Record.class, "") : null;
        JsonNode baseline = doc.path("baseline");
        String stopped = doc.path("stopped").isTextual() ? doc.path("stopped").asText() : null;
        return Optional.of(new BenchmarkFolder(dir, info, load, merge, baseline.isObject() ? baseline : null, stopped));
    }

    private static JsonNode tree(Path file, long max) throws IOException {
        String text = BoundedFiles.readText(file, max);
        try {
            JsonNode node = Journal.JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IOException(file + ": not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not JSON (line " + e.getLocation().getLineNr() + ")");
        }
    }

    private static <T> T value(Path file, JsonNode node, Class<T> type, String field) throws IOException {
        if (node.isMissingNode() || node.isNull()) {
            throw new IOException(file + ": no \"" + field + "\"");
        }
        try {
            return Journal.JSON.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? String.join(".",
                    m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                            : String.valueOf(r.getIndex())).toList()) : "";
            String where = field.isEmpty() ? path : path.isEmpty() ? field : field + "." + path;
            throw new IOException(file + ": " + (where.isEmpty() ? "" : where + ": ") + "not what Sonde writes there");
        }
    }

    /** {@code load} as a suite makes it, or one line naming the field that no suite could have written. */
    static LoadSpec checked(Path file, LoadSpec load) throws IOException {
        String bad = null;
        if (!"open".equals(load.mode()) && !"closed".equals(load.mode())) {
            bad = "mode: open or closed, not " + load.mode();
        } else if (load.open() ? !positive(load.ratesPerSecond()) : !positiveInts(load.concurrencies())) {
            bad = (load.open() ? "rates_per_second" : "concurrencies") + ": one or more positive numbers";
        } else if (!positive(load.duration())) {
            bad = "duration: a positive duration";
        } else if (load.warmup() == null || load.warmup().isNegative() || load.warmup().compareTo(load.duration()) >= 0) {
            bad = "warmup: at least 0 and shorter than the duration";
        } else if (load.maxRequests() < 1 || load.maxInFlight() < 1) {
            bad = "max_requests, max_in_flight: at least 1";
        } else if (!(load.maxErrorRate() >= 0 && load.maxErrorRate() <= 1)) {
            bad = "max_error_rate: 0 to 1";
        }
        if (bad != null) {
            throw new IOException(file + ": load." + bad);
        }
        return load.slo() == null ? withSlo(load, LoadSpec.Slo.NONE) : load;
    }

    static LoadSpec withSlo(LoadSpec l, LoadSpec.Slo slo) {
        return new LoadSpec(l.mode(), l.concurrencies(), l.ratesPerSecond(), l.poisson(), l.duration(), l.warmup(),
                l.maxRequests(), l.maxInFlight(), slo, l.seed(), l.maxErrorRate());
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static boolean positive(List<Double> rates) {
        return rates != null && !rates.isEmpty()
                && rates.stream().allMatch(r -> r != null && Double.isFinite(r) && r > 0);
    }

    private static boolean positiveInts(List<Integer> counts) {
        return counts != null && !counts.isEmpty() && counts.stream().allMatch(c -> c != null && c > 0);
    }
}
