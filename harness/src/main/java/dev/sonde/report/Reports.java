package dev.sonde.report;

import dev.sonde.baseline.Baselines;
import dev.sonde.baseline.Comparison;
import dev.sonde.metrics.Aggregates;
import dev.sonde.run.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes every output of a finished run into {@link RunResult#outDir()}:
 * {@code junit.xml} (CI test results), {@code summary.md} (GitHub step summary / PR comment),
 * {@code report.html} (self-contained human report) and, last, {@code results.json} (the
 * machine-readable result, listing the files that were written). The formats and what each
 * guarantees are documented on {@link JsonResults}, {@link JunitXml}, {@link MarkdownSummary} and
 * {@link HtmlReport}.
 *
 * <p>Each file is written all-or-nothing (a temporary file moved into place), and one format
 * failing never stops the others: the failure is returned in {@link Outputs#failures()} with the
 * file's name, and that file's path is null. Trials are streamed from the journal, never held in
 * memory. Safe to call from several threads for different runs.
 */
public final class Reports {

    private Reports() {}

    /** A file that could not be written, and why. */
    public record Failure(String file, Exception cause) {
        public String describe() {
            return file + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
    }

    /**
     * Where each output went; a path is null when that format failed (see {@link #failures()}).
     */
    public record Outputs(Path json, Path junit, Path markdown, Path html, List<Failure> failures) {
        public Outputs {
            failures = List.copyOf(failures);
        }

        /** True when every format was written. */
        public boolean complete() {
            return failures.isEmpty();
        }
    }

    @FunctionalInterface
    private interface Format {
        Path write(Path file) throws Exception;
    }

    /** Writes all four outputs; never throws for a format that fails — see {@link Outputs#failures()}. */
    public static Outputs writeAll(RunResult run) {
        return writeAll(run, null);
    }

    /**
     * Writes all four outputs with the run's comparison against its baseline: in
     * {@code results.json} ({@code comparison}, {@code baseline_verdict}), as a section of
     * {@code summary.md} and of {@code report.html}. A null comparison writes what
     * {@link #writeAll(RunResult)} writes. Never throws for a format that fails.
     */
    public static Outputs writeAll(RunResult run, Comparison comparison) {
        Path dir = run.outDir();
        List<Failure> failures = new ArrayList<>();
        Aggregates.Snapshot aggregates = comparison != null ? comparison.aggregates() : null;
        if (aggregates == null) {
            try {
                aggregates = Baselines.aggregates(run, Baselines.defaultPricing());
            } catch (Exception e) {
                failures.add(new Failure(JsonResults.FILE + " (aggregates)", e));
            }
        }
        Aggregates.Snapshot finalAggregates = aggregates;
        Path junit = attempt(dir.resolve(JunitXml.FILE), f -> JunitXml.write(run, f), failures);
        Path markdown = attempt(dir.resolve(MarkdownSummary.FILE), f -> MarkdownSummary.write(run, comparison, f),
                failures);
        Path html = attempt(dir.resolve(HtmlReport.FILE), f -> HtmlReport.write(run, comparison, f), failures);

        Map<String, String> written = new LinkedHashMap<>();
        written.put("json", JsonResults.FILE);
        putIfWritten(written, "junit", junit, dir);
        putIfWritten(written, "markdown", markdown, dir);
        putIfWritten(written, "html", html, dir);
        putIfWritten(written, "journal", run.journal(), dir);
        Path json = attempt(dir.resolve(JsonResults.FILE), f -> JsonResults.write(run, finalAggregates, comparison, f, written),
                failures);
        return new Outputs(json, junit, markdown, html, failures);
    }

    private static Path attempt(Path file, Format format, List<Failure> failures) {
        try {
            return format.write(file);
        } catch (Exception e) {
            failures.add(new Failure(file.getFileName().toString(), e));
            return null;
        }
    }

    private static void putIfWritten(Map<String, String> outputs, String key, Path file, Path dir) {
        if (file == null) {
            return;
        }
        Path abs = file.toAbsolutePath().normalize();
        Path base = dir.toAbsolutePath().normalize();
        outputs.put(key, (abs.startsWith(base) ? base.relativize(abs) : abs).toString().replace('\\', '/'));
    }
}
