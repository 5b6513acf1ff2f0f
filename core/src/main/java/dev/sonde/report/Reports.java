package dev.sonde.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.analysis.RunVerdict;
import dev.sonde.analysis.Aggregates;
import dev.sonde.analysis.TrialFold;
import dev.sonde.baseline.Baselines;
import dev.sonde.baseline.Comparison;
import dev.sonde.migration.ModelComparison;
import dev.sonde.journal.JournalDamage;
import dev.sonde.journal.RunInfo;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
 * file's name, and that file's path is null. The journal is read once for every format
 * ({@link Pass}), one trial in memory at a time. Safe to call from several threads for different runs.
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
     * @throws IOException when {@code runDir} is not a finished run (the message says why), or its journal
     *     has a damaged line ({@link JournalDamage}: nothing is written then)
     */
    public static Outputs rerender(Path runDir, Set<Format> formats, Rebuilder rebuilder) throws IOException {
        RunFiles files = RunFiles.load(runDir);
        Rebuilt rebuilt = rebuilder.rebuild(files.run().info());
        try {
            return writeWith(files.run(), files.comparison(), files.modelComparison(), formats,
                    Provenance.of(files.run().info(), runDir, rebuilt)).outputs();
        } catch (UncheckedIOException e) {
            throw JournalDamage.in(e).orElseThrow(() -> e);
        }
    }

    /**
     * What a re-rendered report can show of the requests a run sent, rebuilt by the caller from the
     * run's suite file as it is now (the report room never loads a suite).
     *
     * @param bodies {@code case/model} → the body the suite builds now (the first repeat)
     * @param hashes {@code case/model} → that body's hash, as {@code RunInfo.requestHashes} records it
     * @param seed the suite's emulator seed (shown only when the run did not record its own), or null
     * @param note where the bodies came from, or why there are none
     */
    public record Rebuilt(Map<String, ObjectNode> bodies, Map<String, String> hashes,
            Long seed, String note) {
        public Rebuilt {
            bodies = Map.copyOf(bodies);
            hashes = Map.copyOf(hashes);
        }

        /** Nothing rebuilt, and why. */
        public static Rebuilt none(String note) {
            return new Rebuilt(Map.of(), Map.of(), null, note);
        }
    }

    /** Rebuilds a run's request bodies from its metadata ({@link Rebuilt}); never throws. */
    @FunctionalInterface
    public interface Rebuilder {
        Rebuilt rebuild(RunInfo info);
    }

    /** Writes the chosen formats; results.json last so that its {@code outputs} lists what exists. */
    public static Outputs write(RunResult run, Comparison comparison, Set<Format> formats) {
        return write(run, comparison, null, formats);
    }

    /**
     * As {@link #write(RunResult, Comparison, Set)}, with the model comparison (or null). Reads the
     * journal once: the run's {@link RunAnalysis} (priced with the built-in table) and the formats'
     * sinks learn from the same {@link JournalPass}.
     */
    public static Outputs write(RunResult run, Comparison comparison, ModelComparison models, Set<Format> formats) {
        return writeWith(run, comparison, models, formats).outputs();
    }

    /** What {@link #writeWith} wrote, and the analysis the outputs took their numbers from. */
    public record Written(Outputs outputs, RunAnalysis analysis) {}

    /**
     * As {@link #write(RunResult, Comparison, ModelComparison, Set)}, keeping the analysis (for the
     * console). A damaged journal line writes nothing and is thrown, as a {@link JournalDamage} in an
     * {@link UncheckedIOException}, instead of failing every format alike.
     */
    public static Written writeWith(RunResult run, Comparison comparison, ModelComparison models, Set<Format> formats) {
        return writeWith(run, comparison, models, formats, null);
    }

    private static Written writeWith(RunResult run, Comparison comparison, ModelComparison models, Set<Format> formats,
            Provenance provenance) {
        RunAnalysis analysis = RunAnalysis.begin(run.info(), run.outDir(), Baselines.defaultPricing(),
                formats.contains(Format.HTML));
        Pass pass = begin(run.info(), run.outDir(), formats, analysis);
        pass.provenance = provenance;
        List<TrialFold> folds = new ArrayList<>(analysis.folds());
        folds.addAll(pass.folds());
        JournalPass.Result read;
        try {
            read = JournalPass.run(run.journal(), folds);
        } catch (IOException | RuntimeException e) {
            Outputs none = pass.abort(e);
            Optional<JournalDamage> damage = JournalDamage.in(e);
            if (damage.isPresent()) { // the journal's fault, not a format's: one line for it, not one per format
                throw new UncheckedIOException(damage.get());
            }
            return new Written(none, analysis);
        }
        analysis.finish(read);
        return new Written(pass.finish(run, comparison, models, read), analysis);
    }

    /**
     * Prepares {@code formats} for a run's one pass over its trials: give {@link Pass#folds()} to
     * that pass beside {@code analysis}' folds (and any other reader's) — the journal read once after
     * the run, or each trial as it is journaled during the run — call {@link RunAnalysis#finish},
     * then {@link Pass#finish}. The CSV and the JUnit test cases are written as the pass goes; the
     * other formats from the analysis once it is done.
     *
     * @param info the run as it started ({@code run.json}); the finished run comes with {@link Pass#finish}
     * @param outDir the run's folder, where every format is written
     * @param analysis the run's analysis, fed by the same pass; begun with its case scan when
     *     {@code formats} has HTML
     */
    public static Pass begin(RunInfo info, Path outDir, Set<Format> formats, RunAnalysis analysis) {
        return new Pass(info, outDir, formats, analysis);
    }

    /**
     * The report formats of one run while its trials are read: the files written during the pass,
     * then the others from the run's analysis. Not thread-safe: one thread at a time feeds it (the
     * journal's lock during a run).
     */
    public static final class Pass {
        /** The order formats are written in: results.json last, so that it lists what exists. */
        private static final List<Format> ORDER = List.of(Format.JUNIT, Format.MD, Format.HTML, Format.CSV, Format.JSON);

        private final RunInfo info;
        private final Path outDir;
        private final RunAnalysis analysis;
        private final List<Failure> failures = new ArrayList<>();
        /** Format → its writer for this run, in {@link #ORDER}; a format whose writer could not start is absent. */
        private final Map<Format, ReportFormat> writers = new LinkedHashMap<>();
        private Provenance provenance;

        private Pass(RunInfo info, Path outDir, Set<Format> formats, RunAnalysis analysis) {
            this.info = info;
            this.outDir = outDir;
            this.analysis = analysis;
            for (Format f : ORDER) {
                if (!formats.contains(f)) {
                    continue;
                }
                try {
                    writers.put(f, create(f));
                } catch (IOException | RuntimeException e) {
                    failures.add(new Failure(f.file(), e));
                }
            }
        }

        private ReportFormat create(Format f) throws IOException {
            return switch (f) {
                case JUNIT -> new JunitXml.Sink(info, outDir.resolve(JunitXml.FILE));
                case CSV -> new CsvResults.Sink(outDir.resolve(CsvResults.FILE));
                case MD -> new MarkdownSummary();
                case HTML -> new HtmlReport();
                case JSON -> new JsonResults();
            };
        }

        /** The folds of the files written while the journal is read (the analysis brings its own). */
        public List<TrialFold> folds() {
            return writers.values().stream().map(ReportFormat::sink).filter(f -> f != null).toList();
        }

        /**
         * The request bodies the run sent (case/model → repeat 0's body, or null), for the HTML
         * report's case table: given by the session that built them, asked only for the rows shown.
         */
        public void sentRequests(Function<String, ObjectNode> bodies) {
            provenance = Provenance.of(info, outDir, bodies);
        }

        /** The journal could not be read: every format asked for fails with {@code cause}; nothing is written. */
        public Outputs abort(Exception cause) {
            writers.values().forEach(ReportFormat::abort);
            for (Format f : ORDER) {
                if (writers.containsKey(f)) {
                    failures.add(new Failure(f.file(), cause));
                }
            }
            return new Outputs(null, null, null, null, null, failures);
        }

        /**
         * Writes every format asked for from the run's {@link RunReport}, once the pass has fed
         * {@link #folds()} and the analysis is finished; never throws for a format that fails — see
         * {@link Outputs#failures()}.
         *
         * @param run the finished run: its metadata, journal and how it ended
         * @param comparison the baseline comparison (its aggregates are used), or null
         * @param models the model comparison, or null
         * @param read the pass: a fold that failed on the way fails the formats that needed it
         */
        public Outputs finish(RunResult run, Comparison comparison, ModelComparison models, JournalPass.Result read) {
            Set<Format> broken = EnumSet.noneOf(Format.class);
            for (JournalPass.Failure f : read.failures()) {
                writers.forEach((format, writer) -> {
                    if (writer.sink() != null && f.fold() == writer.sink()) {
                        broken.add(format);
                        failures.add(new Failure(writer.file(), f.cause()));
                    }
                });
            }
            Aggregates.Snapshot aggregates = comparison != null ? comparison.aggregates() : null;
            analysis.failed().forEach((part, cause) -> {
                switch (part) {
                    case AGGREGATES -> failures.add(new Failure(JsonResults.FILE + " (aggregates)", cause));
                    case CASE_SCAN -> {
                        broken.add(Format.HTML); // the scan feeds the HTML report only
                        failures.add(new Failure(HtmlReport.FILE, cause));
                    }
                    case READINGS -> {
                        broken.addAll(EnumSet.of(Format.MD, Format.HTML, Format.JSON));
                        failures.add(new Failure("analysis", cause));
                    }
                }
            });
            if (aggregates == null && !analysis.failed().containsKey(RunAnalysis.Part.AGGREGATES)) {
                aggregates = analysis.aggregates().snapshot();
            }
            RunReport report = new RunReport(run, new Readings(analysis, provenance), aggregates, comparison, models,
                    RunVerdict.of(analysis.summary(), run, models != null), Map.of());
            Path dir = outDir;
            Map<Format, Path> paths = new EnumMap<>(Format.class);
            for (Map.Entry<Format, ReportFormat> e : writers.entrySet()) {
                Format format = e.getKey();
                ReportFormat writer = e.getValue();
                if (broken.contains(format)) {
                    writer.abort();
                    continue;
                }
                if (format == Format.JSON) {
                    report = report.withWritten(written(paths, dir, run.journal()));
                }
                paths.put(format, attempt(dir.resolve(writer.file()), writer, report, failures));
                writer.abort(); // a no-op once written; drops what a failed writer left
            }
            return new Outputs(paths.get(Format.JSON), paths.get(Format.JUNIT), paths.get(Format.MD),
                    paths.get(Format.HTML), paths.get(Format.CSV), failures);
        }

        /** What {@code results.json} lists: the files written now, else ones already in the folder, and the journal. */
        private static Map<String, String> written(Map<Format, Path> paths, Path dir, Path journal) {
            Map<String, String> written = new LinkedHashMap<>();
            written.put("json", JsonResults.FILE);
            putIfWritten(written, "junit", present(paths.get(Format.JUNIT), dir, JunitXml.FILE), dir);
            putIfWritten(written, "markdown", present(paths.get(Format.MD), dir, MarkdownSummary.FILE), dir);
            putIfWritten(written, "html", present(paths.get(Format.HTML), dir, HtmlReport.FILE), dir);
            putIfWritten(written, "csv", present(paths.get(Format.CSV), dir, CsvResults.FILE), dir);
            putIfWritten(written, "journal", journal, dir);
            return written;
        }
    }

    /** The key of {@link Pass#sentRequests}: a case on a model label. */
    public static String requestKey(String caseId, String model) {
        return Provenance.key(caseId, model);
    }

    /** The file just written, else one already in the folder from an earlier render, else null. */
    private static Path present(Path written, Path dir, String name) {
        if (written != null) {
            return written;
        }
        Path existing = dir.resolve(name);
        return Files.isRegularFile(existing) ? existing : null;
    }

    private static Path attempt(Path file, ReportFormat format, RunReport report, List<Failure> failures) {
        try {
            return format.write(report, file);
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
