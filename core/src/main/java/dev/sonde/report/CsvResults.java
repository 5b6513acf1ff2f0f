package dev.sonde.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.TrialFold;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Fmt;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.Usage;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code results.csv}: one row per trial in journal order, for spreadsheets and notebooks.
 * RFC 4180: UTF-8, comma-separated, CRLF line ends, a header row of {@link #COLUMNS}, fields
 * quoted when they hold a comma, quote, CR or LF (quotes doubled). Numbers use {@code .}
 * decimals and no grouping; an absent value (no TTFT, unpriced cost) is an empty field, never 0.
 * Text cells that a spreadsheet would run as a formula (starting with {@code = + - @}, tab or
 * CR) get a leading {@code '} (OWASP CSV injection); characters XML 1.0 forbids become U+FFFD.
 * {@code output} is cut at {@value #MAX_OUTPUT_CHARS} characters with a note. Streamed: memory
 * does not grow with the run; filled during the one pass over the journal ({@link Sink}).
 */
final class CsvResults {
    static final String FILE = "results.csv";
    static final int MAX_OUTPUT_CHARS = 2_000;
    static final List<String> COLUMNS = List.of("trial_id", "case", "model", "model_id", "repeat", "status",
            "error_class", "http_status", "stop_reason", "ttfb_ms", "ttft_ms", "e2e_ms", "tpot_ms", "output_tps",
            "deltas", "input_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "cache_read_tokens",
            "output_tokens", "cost_usd", "unpriced", "cache_savings_usd", "attempts", "queue_ms",
            "ratelimit_wait_ms", "backoff_ms", "started_at", "request_id", "failed_checks", "not_applicable_checks",
            "reason", "output");

    private CsvResults() {}

    static Path write(RunResult run, Path file) throws IOException {
        Sink sink = new Sink(file);
        try {
            JournalPass.run(run.journal(), List.of(sink));
            return sink.commit();
        } finally {
            sink.abort();
        }
    }

    /** {@code results.csv} written row by row during the pass over the journal, moved into place at the end. */
    static final class Sink implements TrialFold, ReportFormat {
        private final AtomicFile.Pending file;
        private boolean done;

        Sink(Path file) throws IOException {
            this.file = AtomicFile.open(file);
            line(this.file.writer(), COLUMNS);
        }

        @Override
        public void add(TrialResult t) {
            try {
                line(file.writer(), row(t));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public String file() {
            return FILE;
        }

        @Override
        public TrialFold sink() {
            return this;
        }

        @Override
        public Path write(RunReport r, Path file) throws IOException {
            return commit();
        }

        Path commit() throws IOException {
            done = true;
            return file.commit();
        }

        /** Drops the file unless it was committed. */
        @Override
        public void abort() {
            if (!done) {
                done = true;
                file.abort();
            }
        }
    }

    static List<String> row(TrialResult t) {
        TimingsMillis tm = t.timings();
        JsonNode usageJson = t.usage();
        Usage u = usageJson == null ? null : Usage.fromJson(usageJson);
        List<String> failed = new ArrayList<>();
        for (CheckResult c : Text.failedChecks(t)) {
            failed.add(c.type());
        }
        List<String> notApplicable = new ArrayList<>();
        for (CheckResult c : Text.notApplicableChecks(t)) {
            notApplicable.add(c.type());
        }
        List<String> r = new ArrayList<>(COLUMNS.size());
        r.add(text(t.trialId()));
        r.add(text(t.caseId()));
        r.add(text(t.model()));
        r.add(text(t.modelId()));
        r.add(Integer.toString(t.repeat()));
        r.add(t.status());
        r.add(t.error() == null ? "" : text(t.error().errorClass()));
        r.add(t.error() == null || t.error().status() == 0 ? "" : Integer.toString(t.error().status()));
        r.add(text(t.stopReason()));
        r.add(tm == null ? "" : num(tm.ttfbMs()));
        r.add(tm == null ? "" : num(tm.ttftMs()));
        r.add(tm == null ? "" : num(tm.e2eMs()));
        r.add(tm == null ? "" : num(tm.tpotMs()));
        r.add(tm == null ? "" : num(tm.outputTps()));
        r.add(tm == null ? "" : Integer.toString(tm.deltas()));
        r.add(u == null ? "" : Long.toString(u.inputTokens()));
        r.add(u == null ? "" : Long.toString(u.cacheWrite5mTokens()));
        r.add(u == null ? "" : Long.toString(u.cacheWrite1hTokens()));
        r.add(u == null ? "" : Long.toString(u.cacheReadInputTokens()));
        r.add(u == null ? "" : Long.toString(u.outputTokens()));
        r.add(num(t.costUsd()));
        r.add(Boolean.toString(t.unpriced()));
        r.add(num(t.cacheSavingsUsd()));
        r.add(Integer.toString(t.attempts()));
        r.add(num(t.queueMs()));
        r.add(num(t.ratelimitWaitMs()));
        r.add(num(t.backoffMs()));
        r.add(t.startedAt() == null ? "" : t.startedAt().toString());
        r.add(text(t.requestId()));
        r.add(text(String.join(" ", failed)));
        r.add(text(String.join(" ", notApplicable)));
        r.add(text(t.skipped() != null ? "not sent: " + t.skipped() : Text.oneLine(Text.whyNot(t))));
        r.add(text(Text.truncate(t.outputText(), MAX_OUTPUT_CHARS)));
        return r;
    }

    private static void line(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(fields.get(i)));
        }
        out.write("\r\n");
    }

    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** Free text made safe for a spreadsheet: XML-safe characters and no formula trigger first. */
    static String text(String s) {
        String clean = Text.xmlSafe(s);
        if (!clean.isEmpty() && "=+-@\t\r".indexOf(clean.charAt(0)) >= 0) {
            return "'" + clean;
        }
        return clean;
    }

    private static String num(Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return "";
        }
        return num(v.doubleValue());
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Fmt.fixed(v, 9);
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '0') {
            end--;
        }
        return s.charAt(end - 1) == '.' ? s.substring(0, end - 1) : s.substring(0, end);
    }
}
