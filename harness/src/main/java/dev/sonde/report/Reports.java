package dev.sonde.report;

import dev.sonde.baseline.Baselines;
import dev.sonde.baseline.Comparison;
import dev.sonde.baseline.ModelComparison;
import dev.sonde.metrics.Aggregates;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the outputs of a finished run into {@link RunResult#outDir()}: {@code junit.xml} (CI
 * test results), {@code summary.md} (GitHub step summary / PR comment), {@code report.html}
 * (self-contained human report), {@code results.csv} (one row per trial) and, last,
 * {@code results.json} (the machine-readable result, listing the files beside it). The formats
 * and what each guarantees are documented on {@link JsonResults}, {@link JunitXml},
 * {@link MarkdownSummary}, {@link HtmlReport} and {@link CsvResults}. {@link #rerender} writes
 * any of them again from a run folder's files ({@link RunFiles}), without calling any API.
 *
 * <p>Each file is written all-or-nothing (a temporary file moved into place), and one format
 * failing never stops the others: the failure is returned in {@link Outputs#failures()} with the
 * file's name, and that file's path is null. Trials are streamed from the journal, never held in
 * memory. Safe to call from several threads for different runs.
 */
public final class Reports {

    private Reports() {}

    /** The output formats, by their {@code --format} names. */
    public enum Format {
        HTML(HtmlReport.FILE), JSON(JsonResults.FILE), JUNIT(JunitXml.FILE), MD(MarkdownSummary.FILE),
        CSV(CsvResults.FILE);

        private final String file;

        Format(String file) {
            this.file = file;
        }

        /** The file this format writes in a run folder. */
        public String file() {
            return file;
        }

        /** {@code html}, {@code json}, {@code junit}, {@code md}, {@code csv}; {@code all} is every one. */
        public static Set<Format> parse(String names) {
            Set<Format> out = EnumSet.noneOf(Format.class);
            for (String name : names.split(",")) {
                String n = name.strip().toLowerCase(Locale.ROOT);
                if (n.equals("all")) {
                    out.addAll(EnumSet.allOf(Format.class));
                } else if (n.equals("markdown")) {
                    out.add(MD);
                } else {
                    try {
                        out.add(valueOf(n.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("unknown format '" + name.strip()
                                + "': expected html, json, junit, md, csv or all");
                    }
                }
            }
            return out;
        }
    }

    /** A file that could not be written, and why. */
    public record Failure(String file, Exception cause) {
        public String describe() {
            return file + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
    }

    /**
     * Where each output went; a path is null when that format failed (see {@link #failures()}) or
     * was not asked for.
     */
    public record Outputs(Path json, Path junit, Path markdown, Path html, Path csv, List<Failure> failures) {
        public Outputs {
            failures = List.copyOf(failures);
        }

        /** True when every format asked for was written. */
        public boolean complete() {
            return failures.isEmpty();
        }
    }

    @FunctionalInterface
    private interface Writing {
        Path write(Path file) throws Exception;
    }

    /** Writes every output; never throws for a format that fails — see {@link Outputs#failures()}. */
    public static Outputs writeAll(RunResult run) {
        return writeAll(run, null);
    }

    /**
     * Writes every output with the run's comparison against its baseline: in
     * {@code results.json} ({@code comparison}, {@code baseline_verdict}), as a section of
     * {@code summary.md} and of {@code report.html}. A null comparison writes what
     * {@link #writeAll(RunResult)} writes. Never throws for a format that fails.
     */
    public static Outputs writeAll(RunResult run, Comparison comparison) {
        return write(run, comparison, EnumSet.allOf(Format.class));
    }

    /**
     * As {@link #writeAll(RunResult, Comparison)}, with the suite's model comparison
     * ({@code compare:}) in {@code results.json} ({@code model_comparison}), {@code summary.md},
     * {@code report.html}; null writes none.
     */
    public static Outputs writeAll(RunResult run, Comparison comparison, ModelComparison models) {
        return write(run, comparison, models, EnumSet.allOf(Format.class));
    }

    /**
     * Re-renders {@code formats} from the files of a finished run in {@code runDir}
     * ({@code results.json} and {@code trials.jsonl}, see {@link RunFiles#load}) into that same
     * folder. Calls no API; the comparison recorded in {@code results.json} is shown again as it
     * was, not recomputed.
     *
     * @throws IOException when {@code runDir} is not a finished run (the message says why)
     */
    public static Outputs rerender(Path runDir, Set<Format> formats) throws IOException {
        RunFiles files = RunFiles.load(runDir);
        return write(files.run(), files.comparison(), files.modelComparison(), formats);
    }

    /** Writes the chosen formats; results.json last so that its {@code outputs} lists what exists. */
    public static Outputs write(RunResult run, Comparison comparison, Set<Format> formats) {
        return write(run, comparison, null, formats);
    }

    /** As {@link #write(RunResult, Comparison, Set)}, with the model comparison (or null). */
    public static Outputs write(RunResult run, Comparison comparison, ModelComparison models, Set<Format> formats) {
        Path dir = run.outDir();
        List<Failure> failures = new ArrayList<>();
        Aggregates.Snapshot aggregates = comparison != null ? comparison.aggregates() : null;
        boolean needAggregates = formats.contains(Format.JSON) || formats.contains(Format.HTML);
        if (aggregates == null && needAggregates) {
            try {
                aggregates = Baselines.aggregates(run, Baselines.defaultPricing());
            } catch (Exception e) {
                failures.add(new Failure(JsonResults.FILE + " (aggregates)", e));
            }
        }
        Aggregates.Snapshot agg = aggregates;
        Path junit = formats.contains(Format.JUNIT)
                ? attempt(dir.resolve(JunitXml.FILE), f -> JunitXml.write(run,
                        dev.sonde.baseline.RunVerdict.of(run, models).wire(), f), failures) : null;
        Path markdown = formats.contains(Format.MD)
                ? attempt(dir.resolve(MarkdownSummary.FILE), f -> MarkdownSummary.write(run, comparison, models, f), failures)
                : null;
        Path html = formats.contains(Format.HTML)
                ? attempt(dir.resolve(HtmlReport.FILE), f -> HtmlReport.write(run, comparison, agg, models, f), failures)
                : null;
        Path csv = formats.contains(Format.CSV)
                ? attempt(dir.resolve(CsvResults.FILE), f -> CsvResults.write(run, f), failures) : null;
        Path json = null;
        if (formats.contains(Format.JSON)) {
            Map<String, String> written = new LinkedHashMap<>();
            written.put("json", JsonResults.FILE);
            putIfWritten(written, "junit", present(junit, dir, JunitXml.FILE), dir);
            putIfWritten(written, "markdown", present(markdown, dir, MarkdownSummary.FILE), dir);
            putIfWritten(written, "html", present(html, dir, HtmlReport.FILE), dir);
            putIfWritten(written, "csv", present(csv, dir, CsvResults.FILE), dir);
            putIfWritten(written, "journal", run.journal(), dir);
            json = attempt(dir.resolve(JsonResults.FILE), f -> JsonResults.write(run, agg, comparison, models, f, written),
                    failures);
        }
        return new Outputs(json, junit, markdown, html, csv, failures);
    }

    /** The file just written, else one already in the folder from an earlier render, else null. */
    private static Path present(Path written, Path dir, String name) {
        if (written != null) {
            return written;
        }
        Path existing = dir.resolve(name);
        return Files.isRegularFile(existing) ? existing : null;
    }

    private static Path attempt(Path file, Writing format, List<Failure> failures) {
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

    /**
     * The git commit of the checkout holding {@code dir} ({@code abc1234}, "+dirty" with local changes),
     * or null when there is none or git is not installed.
     */
    public static String gitCommitOf(java.nio.file.Path dir) {
        String commit = Provenance.gitCommit(dir);
        return Provenance.UNKNOWN.equals(commit) ? null : commit;
    }
}
