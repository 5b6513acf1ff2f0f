package dev.sonde.report;

import dev.sonde.baseline.BenchmarkComparison;
import dev.sonde.run.LoadRunner;
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
 * and saturation steps and every step's figures (from the run's analysis, as the journal
 * tells them). Written all-or-nothing. The report room writes every {@code results.json}, an
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
     * @param info the run as it recorded itself at its start (its provenance), or null when unknown
     * @return the file written
     */
    public static Path write(String suite, String suiteFile, Object load, List<StepResult> steps,
            Integer saturationStep, RunInfo info, Path outDir) throws IOException {
        return write(suite, suiteFile, load, steps, saturationStep, info, outDir, null);
    }

    /**
     * As above, with the run's per-step comparison with its suite's baseline ({@code baseline}:
     * status, file, the baseline's runs, and the verdict with every gate of every step), left out
     * when null. {@code passed} is then false also when a baseline gate failed.
     */
    public static Path write(String suite, String suiteFile, Object load, List<StepResult> steps,
            Integer saturationStep, RunInfo info, Path outDir, BenchmarkComparison baseline) throws IOException {
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
                && (baseline == null || baseline.verdict().passed()));
        doc.put("knee_step", LoadRunner.knee(saturationStep));
        doc.put("saturation_step", saturationStep);
        doc.put("steps", steps);
        if (baseline != null) {
            doc.put("baseline", baseline);
        }
        String text = Journal.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
        AtomicFile.write(file, out -> out.write(text));
        return file;
    }
}
