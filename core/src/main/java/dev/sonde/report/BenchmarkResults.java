package dev.sonde.report;

import dev.sonde.run.LoadMerge;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.LoadTimeline;
import dev.sonde.journal.RunInfo;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.Journal;
import dev.sonde.run.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's {@code results.json} ({@code kind: benchmark}): the suite, its {@code load:} section
 * as run, its provenance ({@link BenchmarkOrigin}), whether every step held its error bound, the knee
 * and saturation steps, every step's figures and the run per second ({@code timeline}, a
 * {@link LoadTimeline}), all from the run's analysis as the journal tells them. Written all-or-nothing. The report room writes every {@code results.json}, an
 * evaluation's ({@link JsonResults}) and a benchmark's alike.
 */
public final class BenchmarkResults {
    /** The file, beside the journal. */
    public static final String FILE = JsonResults.FILE;

    private BenchmarkResults() {}

    /**
     * @param load the suite's {@code load:} section, as the journal's mapper writes it (the report room never
     *     depends on the suite's types)
     * @param saturationStep the index of the first step that no longer delivered what it was offered, or null;
     *     the knee ({@code knee_step}) is the step before it
     * @param timeline the run per second, from the same pass as the steps
     * @param info the run as it recorded itself at its start (its provenance), or null when unknown
     * @return the file written
     */
    public static Path write(String suite, String suiteFile, Object load, List<StepResult> steps,
            Integer saturationStep, LoadTimeline timeline, RunInfo info, Path outDir) throws IOException {
        return write(suite, suiteFile, load, steps, saturationStep, timeline, info, outDir, null, null, null, true, null);
    }

    /**
     * As {@link #write(String, String, Object, List, Integer, LoadTimeline, RunInfo, Path)}, naming the run's
     * interval log ({@code interval_log}, {@link IntervalLogs}) and, for a run that {@code sonde merge}
     * made of several load generators' runs, the machines and the clock offsets assumed between them
     * ({@code merge}), and the run's per-step comparison with its suite's baseline ({@code baseline}:
     * status, file, the baseline's runs, and the verdict with every gate of every step; a
     * {@code BenchmarkComparison}, or the node a re-rendered run had); null writes none of these keys.
     * {@code passed} is false also when a baseline gate failed ({@code baselinePassed} false).
     * {@code stopped} is why the run was stopped before its last step ended, or null: written as
     * {@code stopped}, and such a run is never accepted as a baseline.
     */
    public static Path write(String suite, String suiteFile, Object load, List<StepResult> steps,
            Integer saturationStep, LoadTimeline timeline, RunInfo info, Path outDir, Path intervalLog,
            LoadMerge.Record merge, Object baseline, boolean baselinePassed, String stopped)
            throws IOException {
        Files.createDirectories(outDir);
        Path file = outDir.resolve(FILE);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format_version", 1);
        doc.put("kind", "benchmark");
        doc.put("suite", suite);
        doc.put("suite_file", suiteFile);
        doc.put("provenance", BenchmarkOrigin.of(info, outDir));
        doc.put("load", load);
        doc.put("passed", steps.stream().allMatch(s -> s.failed() == null)
                && baselinePassed);
        if (stopped != null) {
            doc.put("stopped", stopped);
        }
        doc.put("knee_step", LoadRunner.knee(saturationStep));
        doc.put("saturation_step", saturationStep);
        if (merge != null) {
            doc.put("merge", merge);
        }
        if (intervalLog != null) {
            doc.put("interval_log", intervalLog.getFileName().toString());
        }
        doc.put("steps", steps);
        doc.put("timeline", timeline);
        if (baseline != null) {
            doc.put("baseline", baseline);
        }
        String text = Journal.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
        AtomicFile.write(file, out -> out.write(text));
        return file;
    }
}
