package dev.sonde.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.baseline.Comparison;
import dev.sonde.migration.ModelComparison;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * A finished run read back from its folder, for re-rendering reports without the API: the
 * metadata and summary from {@code results.json} (the summary is rebuilt from the journal when
 * the file lacks it or it cannot be read), the trials from {@code trials.jsonl}, and the baseline
 * comparison recorded in {@code results.json} (null when there was none or it cannot be read —
 * the reports then simply have no baseline section). Skipped trials are counted from the journal.
 *
 * @param comparison as recorded; its aggregates are not stored in it and are recomputed by the writer
 * @param modelComparison the {@code model_comparison} recorded (suites with {@code compare:}), or null
 */
public record RunFiles(RunResult run, Comparison comparison, ModelComparison modelComparison) {

    /**
     * Reads {@code runDir}.
     *
     * @throws IOException when {@code runDir} lacks {@code results.json} or {@code trials.jsonl},
     *     or {@code results.json} has no run metadata; the message names the file
     */
    public static RunFiles load(Path runDir) throws IOException {
        Path results = runDir.resolve(JsonResults.FILE);
        Path journal = runDir.resolve("trials.jsonl");
        if (!Files.isRegularFile(journal) || !Files.isRegularFile(results)) {
            throw new IOException(runDir + " is not a finished run: it needs results.json and trials.jsonl");
        }
        JsonNode doc;
        try {
            doc = Journal.JSON.readTree(results.toFile());
        } catch (IOException e) {
            throw new IOException(results + " is not JSON: " + e.getMessage(), e);
        }
        RunInfo info = Journal.JSON.treeToValue(doc.path("run"), RunInfo.class);
        if (info == null || info.suite() == null) {
            throw new IOException(results + " has no run metadata (\"run.suite\")");
        }
        int skipped = doc.path("skipped_trials").isInt() ? doc.get("skipped_trials").asInt() : skippedIn(journal);
        Comparison comparison = null;
        if (doc.path("comparison").isObject()) {
            try {
                comparison = Journal.JSON.treeToValue(doc.get("comparison"), Comparison.class);
            } catch (IOException | IllegalArgumentException e) {
                comparison = null;
            }
        }
        RunResult.LoadControl load = new RunResult.LoadControl(info.concurrency(), info.concurrency(), 0);
        if (doc.path("load_control").isObject()) {
            load = Journal.JSON.treeToValue(doc.get("load_control"), RunResult.LoadControl.class);
        }
        RunResult run = new RunResult(info, journal, runDir, skipped,
                doc.path("stopped_by").isTextual() ? doc.get("stopped_by").asText() : null, load);
        ModelComparison models = null;
        if (doc.path("model_comparison").isObject()) {
            try {
                models = Journal.JSON.treeToValue(doc.get("model_comparison"), ModelComparison.class);
            } catch (IOException | IllegalArgumentException e) {
                models = null;
            }
        }
        return new RunFiles(run, comparison, models);
    }


    /** Trials never sent, counted from the journal (a results.json older than {@code skipped_trials}). */
    private static int skippedIn(Path journal) throws IOException {
        int skipped = 0;
        try (Stream<TrialResult> trials = Journal.read(journal)) {
            for (Iterator<TrialResult> it = trials.iterator(); it.hasNext(); ) {
                skipped += it.next().skipped() != null ? 1 : 0;
            }
        }
        return skipped;
    }
}
