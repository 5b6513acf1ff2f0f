package dev.sonde.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.TrialFold;
import dev.sonde.api.SecretMask;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.BoundedFiles;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished run folder as the rows it adds to a history store, in one self-contained JSONL file:
 * the {@link HistoryRow.Run} first, then its models, gates and figures, then per trial its trial,
 * checks and output. Self-contained so that a queued import needs nothing of the run folder.
 *
 * <p>Two ways to write one, with the same rows: {@link #write(Path, Path, SecretMask)} reads a run
 * folder's {@code run.json}, {@code results.json} (twice, streaming: the run first, then the figures,
 * so memory holds one case's figures at a time) and its journal once through {@link JournalPass}
 * (compare verdicts applied, as every reader sees them); a run that records itself instead gives its
 * one live pass a {@link TrialPart} ({@link #trialPart}), which writes the trial rows to a file of
 * their own as the trials arrive, and {@link #write(Path, Path, SecretMask, TrialPart)} then puts the
 * head rows first and that file after them, never reading the journal. Each file is bounded as the
 * run folder's other readers bound it. Either way one trial id gives one trial row ({@code TrialRows}:
 * a resumed run's skipped line that a later result replaced is left out). Every text a run folder may
 * hold from outside (outputs, tool calls, check reasons, stop reasons, error classes, ids, cases,
 * models, skip reasons, gate reasons and figures, the endpoint, the run folder's path) passes the
 * given {@link SecretMask} too (the run masked what servers sent when it
 * wrote it; an old folder may predate a key, or be edited by hand). Reading streams the rows back one
 * line at a time. Stateless.
 */
public final class RunSpool {
    /** The largest {@code results.json} read (one of 100,000 cases is tens of megabytes). */
    static final long MAX_RESULTS_BYTES = 256L << 20;
    /** The longest spool line read back: an output as long as the journal allows, escaped. */
    static final long MAX_LINE_BYTES = 160L << 20;

    private static final ObjectWriter ROW_WRITER = Journal.JSON.writerFor(HistoryRow.class);
    private static final ObjectReader ROW_READER = Journal.JSON.readerFor(HistoryRow.class);

    private RunSpool() {}

    /** What was spooled: the run's id and how many trials it holds (one per trial id, as the run counted them). */
    public record Spooled(String runId, long trials, Path file) {}

    /**
     * Writes the rows of the finished run in {@code runDir} to {@code spool} (replaced if present).
     *
     * @throws HistoryException {@code runDir} is not a finished run (no {@code results.json}), or one
     *     of its files cannot be read; one line naming the file
     */
    public static Spooled write(Path runDir, Path spool, SecretMask mask) throws HistoryException {
        Path results = finished(runDir);
        try (Writer out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
            String runId = head(runDir, results, mask, out);
            TrialRows fold = new TrialRows(mask, row -> line(out, row));
            JournalPass.Result pass = JournalPass.run(runDir.resolve("trials.jsonl"), List.of(fold));
            if (!pass.failures().isEmpty()) {
                throw pass.failures().get(0).cause();
            }
            fold.finish();
            return new Spooled(runId, fold.trials(), spool);
        } catch (UncheckedIOException e) {
            throw new HistoryException("history: " + runDir + ": " + oneLine(e.getCause()));
        } catch (IOException e) {
            throw new HistoryException("history: " + runDir + ": " + oneLine(e));
        }
    }

    /**
     * Writes the rows of the finished run in {@code runDir} to {@code spool} (replaced if present): the
     * head rows from {@code run.json} and {@code results.json}, then the trial rows {@code trials}
     * wrote during the run, copied as they are. The journal is not read.
     *
     * @param trials the run's closed trial part, fed every trial of the run's pass
     * @throws HistoryException as {@link #write(Path, Path, SecretMask)}, or the part cannot be read
     */
    public static Spooled write(Path runDir, Path spool, SecretMask mask, TrialPart trials) throws HistoryException {
        Path results = finished(runDir);
        try (Writer out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
            String runId = head(runDir, results, mask, out);
            out.flush();
            try (Reader part = Files.newBufferedReader(trials.file(), StandardCharsets.UTF_8)) {
                part.transferTo(out);
            }
            return new Spooled(runId, trials.trials(), spool);
        } catch (IOException e) {
            throw new HistoryException("history: " + runDir + ": " + oneLine(e));
        }
    }

    /**
     * Begins the trial rows of a run that records itself, in {@code file} (replaced if present: a
     * resumed run's pass is fed its earlier trials again, so the part is rebuilt whole; a skipped line a
     * later result replaced is dropped, as in {@link #write(Path, Path, SecretMask)}). Give it to the
     * run's pass as a fold, then {@link TrialPart#close()} it once the pass is over.
     */
    public static TrialPart trialPart(Path file, SecretMask mask) throws IOException {
        return new TrialPart(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8), mask);
    }

    /**
     * The trial, check and output rows of a run's pass, written to a file as each trial arrives
     * (nothing is held). A write that fails leaves the pass as an {@link UncheckedIOException}, so the
     * pass drops this fold and reports it. Not thread-safe: one pass feeds it.
     */
    public static final class TrialPart implements TrialFold, Closeable {
        private final Path file;
        private final Writer out;
        private final TrialRows rows;

        private TrialPart(Path file, Writer out, SecretMask mask) {
            this.file = file;
            this.out = out;
            this.rows = new TrialRows(mask, row -> line(out, row));
        }

        @Override
        public void add(TrialResult trial) {
            rows.add(trial);
        }

        /** The file the rows go to. */
        public Path file() {
            return file;
        }

        /** How many trials were written: one per trial id, the skipped ones once closed. */
        public long trials() {
            return rows.trials();
        }

        /** Writes the skipped trials no later line replaced, then closes the file. */
        @Override
        public void close() throws IOException {
            try (out) {
                rows.finish();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    private static Path finished(Path runDir) throws HistoryException {
        Path results = runDir.resolve("results.json");
        if (!Files.isRegularFile(results)) {
            throw new HistoryException("history: " + runDir + " is not a finished run (no results.json)");
        }
        return results;
    }

    /** Writes the run row, then its models, gates and figures; returns the run's id. */
    private static String head(Path runDir, Path results, SecretMask mask, Writer out) throws IOException {
        Head head = head(runDir, results);
        HistoryRow.Run run = RunRows.run(head.info(), head.verdict(), head.baselineVerdict(), head.stoppedBy(), runDir,
                mask);
        line(out, run);
        for (HistoryRow.Model model : RunRows.models(head.info())) {
            line(out, model);
        }
        for (HistoryRow.Gate gate : RunRows.gates(head.gates(), mask)) {
            line(out, gate);
        }
        stats(results, mask, row -> line(out, row));
        return run.runId();
    }

    /** The rows of {@code spool}, streamed; close it to release the file. */
    public static Rows read(Path spool) throws IOException {
        InputStream in = BoundedFiles.open(spool, Long.MAX_VALUE, MAX_LINE_BYTES);
        return new Rows(spool, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    }

    /** A spool's rows in order, the run first. Not thread-safe. */
    public static final class Rows implements Closeable {
        private final Path file;
        private final BufferedReader lines;
        private long lineNo;

        Rows(Path file, BufferedReader lines) {
            this.file = file;
            this.lines = lines;
        }

        /**
         * The next row, or null at the end.
         *
         * @throws IOException a line that is not a row, or a first row that is not a run (one line
         *     naming the file and line)
         */
        public HistoryRow next() throws IOException {
            String text = lines.readLine();
            if (text == null) {
                if (lineNo == 0) {
                    throw new IOException(file + ": empty, not a history spool");
                }
                return null;
            }
            lineNo++;
            HistoryRow row;
            try {
                row = ROW_READER.readValue(text);
            } catch (JsonProcessingException e) {
                throw new IOException(file + ":" + lineNo + ": not a history row");
            }
            if ((lineNo == 1) != (row instanceof HistoryRow.Run)) {
                throw new IOException(file + ":" + lineNo + ": a spool has one run row, first");
            }
            return row;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /** What the rows need of {@code results.json} besides the figures. */
    private record Head(RunInfo info, String verdict, String baselineVerdict, String stoppedBy, JsonNode gates) {}

    private static Head head(Path runDir, Path results) throws IOException {
        RunInfo info = null;
        String verdict = null;
        String baselineVerdict = null;
        String stoppedBy = null;
        JsonNode gates = null;
        try (JsonParser p = parser(results)) {
            expect(p, JsonToken.START_OBJECT, results);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "run" -> info = p.currentToken() == JsonToken.START_OBJECT
                            ? Journal.JSON.readValue(p, RunInfo.class) : null;
                    case "verdict" -> verdict = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "baseline_verdict" -> baselineVerdict = p.currentToken() == JsonToken.VALUE_STRING
                            ? p.getText() : null;
                    case "stopped_by" -> {
                        stoppedBy = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                        p.skipChildren();
                    }
                    case "comparison" -> {
                        JsonNode comparison = p.currentToken() == JsonToken.START_OBJECT ? p.readValueAsTree() : null;
                        gates = comparison == null ? null : comparison.path("verdict").path("gates");
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new IOException(results + ": not what Sonde writes (line " + e.getLocation().getLineNr() + ")");
        }
        if (info == null) {
            info = RunInfo.readFrom(runDir).orElseThrow(() -> new IOException(results + ": no \"run\""));
        }
        if (info.runId() == null || info.runId().isBlank()) {
            throw new IOException(results + ": the run has no run_id");
        }
        return new Head(info, verdict, baselineVerdict, stoppedBy, gates);
    }

    /** Streams {@code aggregates} of {@code results.json}: run, then each model, then each case × model. */
    private static void stats(Path results, SecretMask mask, RowSink sink) throws IOException {
        try (JsonParser p = parser(results)) {
            expect(p, JsonToken.START_OBJECT, results);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("aggregates") || p.currentToken() != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String scope = p.currentName();
                    p.nextToken();
                    switch (scope) {
                        case "run" -> sink.accept(RunRows.stat("run", null, null, p.readValueAsTree(), results,
                                "aggregates.run", mask));
                        case "models" -> {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String model = p.currentName();
                                p.nextToken();
                                sink.accept(RunRows.stat("model", model, null, p.readValueAsTree(), results,
                                        "aggregates.models." + model, mask));
                            }
                        }
                        case "cases" -> {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String caseId = p.currentName();
                                expect(p, JsonToken.START_OBJECT, results);
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String model = p.currentName();
                                    p.nextToken();
                                    sink.accept(RunRows.stat("case", model, caseId, p.readValueAsTree(), results,
                                            "aggregates.cases." + caseId + "." + model, mask));
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new IOException(results + ": not what Sonde writes (line " + e.getLocation().getLineNr() + ")");
        }
    }

    private static JsonParser parser(Path results) throws IOException {
        return Journal.JSON.createParser(BoundedFiles.open(results, MAX_RESULTS_BYTES, MAX_RESULTS_BYTES));
    }

    private static void expect(JsonParser p, JsonToken token, Path file) throws IOException {
        if (p.nextToken() != token) {
            throw new IOException(file + ": not what Sonde writes (line " + p.currentLocation().getLineNr() + ")");
        }
    }

    private static void line(Writer out, HistoryRow row) throws IOException {
        out.write(ROW_WRITER.writeValueAsString(row));
        out.write('\n');
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ");
    }

    /** Where rows go as they are made. */
    @FunctionalInterface
    interface RowSink {
        void accept(HistoryRow row) throws IOException;
    }
}
