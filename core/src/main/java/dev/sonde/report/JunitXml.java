package dev.sonde.report;

import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.TrialFold;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Fmt;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * {@code junit.xml}: the run in the Ant/Surefire JUnit XML dialect that CI systems (GitHub
 * Actions reporters, GitLab, Jenkins) read. Guarantees:
 *
 * <ul>
 *   <li>a well-formed UTF-8 XML 1.0 document whatever the model wrote: markup is escaped by the
 *       JDK's {@link XMLStreamWriter}, characters XML 1.0 cannot carry become U+FFFD;
 *   <li>one {@code <testsuite name=SUITE>} whose {@code tests/failures/errors/skipped} equal the
 *       number of {@code <testcase>}, {@code <failure>}, {@code <error>} and {@code <skipped>} elements
 *       (counted from the journal itself); {@code time} is the run's wall time in seconds;
 *       {@code timestamp} is the start, in UTC without zone suffix as the Ant schema requires;
 *   <li>one {@code <testcase>} per trial, in journal order: {@code name} =
 *       {@link TrialResult#displayName()}, {@code classname} = {@code sonde.<suite>.<model>},
 *       {@code time} = end-to-end seconds (0 when the exchange never completed);
 *   <li>a trial whose checks failed has {@code <failure type="check">} with every failed check's
 *       reason; a trial whose exchange failed has {@code <error type="<error class>">}; a trial that
 *       was not evaluated (none of its checks applied) has {@code <skipped>} saying which did not apply
 *       and why — it is neither a pass nor a failure;
 *   <li>a partial merge ({@code sonde merge --allow-partial}) ends with a {@code merge} test case in
 *       {@code <error type="partial_merge">} naming the shards it lacks;
 *   <li>{@code <system-out>} carries the request id, stop reason, the checks that did not apply
 *       (with why) and the output text, cut at {@value #MAX_OUTPUT_CHARS} characters with a note.
 * </ul>
 *
 * Test cases are written as the journal is read (one pass, see {@link Sink}), never held in memory.
 */
final class JunitXml {
    static final String FILE = "junit.xml";
    static final int MAX_OUTPUT_CHARS = 16_000;

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private JunitXml() {}

    /** @param verdict {@link dev.sonde.analysis.RunVerdict#wire()}, written as property {@code sonde.verdict} */
    static Path write(RunResult run, String verdict, Path file) throws IOException {
        Sink sink = new Sink(run.info(), file);
        try {
            JournalPass.run(run.journal(), List.of(sink));
            return sink.finish(run, verdict);
        } finally {
            sink.abort();
        }
    }

    /**
     * {@code junit.xml} written during the pass over the journal: each trial's {@code <testcase>} goes
     * to a temporary body as it is read; {@link #finish} writes the {@code <testsuite>} with the
     * counts, then the body, into the file all-or-nothing.
     */
    static final class Sink implements TrialFold, ReportFormat {
        private final Path file;
        private final Path body;
        private final Writer bodyOut;
        private final XMLStreamWriter x;
        private final String suite;
        private long tests;
        private long failures;
        private long errors;
        private long skipped;

        Sink(RunInfo info, Path file) throws IOException {
            this.file = file;
            this.suite = info.suite();
            Path dir = file.toAbsolutePath().getParent();
            java.nio.file.Files.createDirectories(dir);
            this.body = dir.resolve("." + file.getFileName() + "." + java.util.UUID.randomUUID() + ".body.tmp");
            this.bodyOut = java.nio.file.Files.newBufferedWriter(body, java.nio.charset.StandardCharsets.UTF_8);
            try {
                this.x = XMLOutputFactory.newFactory().createXMLStreamWriter(bodyOut);
            } catch (XMLStreamException e) {
                abort();
                throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void add(TrialResult t) {
            String status = t.status();
            tests++;
            failures += status.equals("failed") ? 1 : 0;
            errors += status.equals("errored") ? 1 : 0;
            skipped += status.equals("not_evaluated") ? 1 : 0;
            try {
                x.writeCharacters("\n  ");
                writeTestcase(x, suite, t);
            } catch (XMLStreamException e) {
                throw new java.io.UncheckedIOException(new IOException("cannot write " + file + ": " + e.getMessage(), e));
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
            return finish(r.run(), r.verdict().wire());
        }

        /**
         * Writes the file: the suite element with the counts, every test case, the end. A partial merge
         * ({@code sonde merge --allow-partial}) ends with one more test case, {@code merge}, in error,
         * naming what it lacks: its trials may all pass, but the suite did not run whole, and a CI view
         * of this file must not show it green.
         */
        Path finish(RunResult run, String verdict) throws IOException {
            try {
                RunInfo.Merged merged = run.info().merged();
                if (merged != null && merged.partial()) {
                    tests++;
                    errors++;
                    x.writeCharacters("\n  ");
                    x.writeStartElement("testcase");
                    attr(x, "name", "merge");
                    attr(x, "classname", "sonde." + suite);
                    attr(x, "time", "0");
                    x.writeCharacters("\n    ");
                    x.writeStartElement("error");
                    attr(x, "message", "partial merge, not the whole suite: " + merged.lacking());
                    attr(x, "type", "partial_merge");
                    x.writeEndElement();
                    x.writeCharacters("\n  ");
                    x.writeEndElement();
                }
                x.flush();
                x.close();
                bodyOut.close();
            } catch (XMLStreamException e) {
                throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            return AtomicFile.write(file, out -> {
                try {
                    XMLStreamWriter head = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
                    writeHead(head, run.info(), verdict, tests, failures, errors, skipped);
                    head.flush();
                    try (java.io.Reader in = java.nio.file.Files.newBufferedReader(body,
                            java.nio.charset.StandardCharsets.UTF_8)) {
                        in.transferTo(out);
                    }
                    head.writeCharacters("\n");
                    head.writeEndElement();
                    head.writeCharacters("\n");
                    head.writeEndDocument();
                    head.flush();
                    head.close();
                } catch (XMLStreamException e) {
                    throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
                }
            });
        }

        /** Drops the temporary body (after {@link #finish}, or instead of it). */
        @Override
        public void abort() {
            try {
                bodyOut.close();
            } catch (IOException ignored) {
                // deleted below either way
            }
            try {
                java.nio.file.Files.deleteIfExists(body);
            } catch (IOException ignored) {
                // a stray temporary file, named as one
            }
        }
    }

    private static void writeHead(XMLStreamWriter x, RunInfo info, String verdict, long tests, long failures,
            long errors, long skipped) throws XMLStreamException {
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuite");
        attr(x, "name", info.suite());
        attr(x, "tests", Long.toString(tests));
        attr(x, "failures", Long.toString(failures));
        attr(x, "errors", Long.toString(errors));
        attr(x, "skipped", Long.toString(skipped));
        attr(x, "time", seconds(info.wallMs()));
        attr(x, "timestamp", info.startedAt() == null ? "" : TIMESTAMP.format(info.startedAt()
                .truncatedTo(ChronoUnit.SECONDS)));
        x.writeCharacters("\n  ");
        writeProperties(x, info, verdict);
    }

    private static void writeProperties(XMLStreamWriter x, RunInfo info, String verdict) throws XMLStreamException {
        x.writeStartElement("properties");
        property(x, "sonde.verdict", verdict);
        property(x, "sonde.run_id", info.runId());
        property(x, "sonde.endpoint", info.endpoint());
        property(x, "sonde.live", Boolean.toString(info.live()));
        property(x, "sonde.suite_file", info.suiteFile());
        if (info.models() != null) {
            for (RunInfo.ModelRef m : info.models()) {
                property(x, "sonde.model." + m.id(), m.model());
            }
        }
        property(x, "sonde.pricing_version", info.pricingVersion());
        property(x, "sonde.version", info.sondeVersion());
        x.writeCharacters("\n  ");
        x.writeEndElement();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeEmptyElement("property");
        attr(x, "name", name);
        attr(x, "value", value == null ? "" : value);
    }

    private static void writeTestcase(XMLStreamWriter x, String suite, TrialResult t) throws XMLStreamException {
        x.writeStartElement("testcase");
        attr(x, "name", t.displayName());
        attr(x, "classname", "sonde." + suite + "." + t.model());
        Double e2e = t.timings() == null ? null : t.timings().e2eMs();
        attr(x, "time", seconds(e2e == null ? 0 : e2e));
        switch (t.status()) {
            case "failed" -> {
                List<CheckResult> failed = Text.failedChecks(t);
                x.writeCharacters("\n    ");
                x.writeStartElement("failure");
                attr(x, "message", Text.truncate(Text.oneLine(Text.whyNot(t)), 1_000));
                attr(x, "type", "check");
                StringBuilder body = new StringBuilder();
                for (CheckResult c : failed) {
                    body.append(c.type()).append(": ").append(c.reason()).append('\n');
                }
                x.writeCharacters(Text.xmlSafe(body.toString()));
                x.writeEndElement();
            }
            case "not_evaluated" -> {
                x.writeCharacters("\n    ");
                x.writeStartElement("skipped");
                attr(x, "message", Text.truncate(Text.oneLine(Text.whyNot(t)), 1_000));
                x.writeEndElement();
            }
            case "errored" -> {
                x.writeCharacters("\n    ");
                x.writeStartElement("error");
                attr(x, "message", Text.truncate(Text.oneLine(t.error().describe()), 1_000));
                attr(x, "type", t.error().errorClass());
                x.writeCharacters(Text.xmlSafe(t.error().describe() + "\nattempts: " + t.attempts() + "\n"));
                x.writeEndElement();
            }
            default -> { }
        }
        x.writeCharacters("\n    ");
        x.writeStartElement("system-out");
        x.writeCharacters(Text.xmlSafe(systemOut(t)));
        x.writeEndElement();
        x.writeCharacters("\n  ");
        x.writeEndElement();
    }

    private static String systemOut(TrialResult t) {
        StringBuilder sb = new StringBuilder();
        sb.append("trial_id: ").append(t.trialId()).append('\n');
        sb.append("model_id: ").append(t.modelId()).append('\n');
        if (t.requestId() != null) {
            sb.append("request_id: ").append(t.requestId()).append('\n');
        }
        if (t.stopReason() != null) {
            sb.append("stop_reason: ").append(t.stopReason()).append('\n');
        }
        for (CheckResult c : Text.notApplicableChecks(t)) {
            sb.append("not applicable: ").append(c.type()).append(" (").append(c.whyNotApplicable()).append(")\n");
        }
        if (t.outputText() != null) {
            sb.append("\n").append(Text.truncate(t.outputText(), MAX_OUTPUT_CHARS)).append('\n');
        }
        return sb.toString();
    }

    private static void attr(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeAttribute(name, Text.xmlSafe(value));
    }

    private static String seconds(double millis) {
        return Fmt.fixed(millis / 1000, 3);
    }
}
