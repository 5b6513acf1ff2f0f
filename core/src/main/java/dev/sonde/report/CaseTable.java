package dev.sonde.report;

import dev.sonde.analysis.CaseScan;
import dev.sonde.analysis.CompareWinners;
import dev.sonde.metrics.Fmt;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.sonde.journal.AttemptRecord;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The case table of {@code report.html}: one row per case, one column per model, so outputs
 * read side by side. Repeats are aggregated into their cell ("2/3 passed" and a strip of each
 * repeat's status); the cell shows one representative trial — the first that did not pass, else
 * the first — with its request, response, usage, timings and check reasons in an expandable
 * detail. At most {@value #MAX_ROWS} rows are rendered, cases with a failure first, so the page
 * stays bounded whatever the run's length (every trial stays in {@code results.csv},
 * {@code junit.xml} and {@code trials.jsonl}); the page says how many were left out. Built from
 * the representatives {@link CaseScan} kept in its single pass over the journal.
 */
final class CaseTable {
    static final int MAX_ROWS = CaseScan.MAX_ROWS;
    /** Longest output kept in a detail; longer texts are cut with a note. Fewer rows allow more. */
    static final int MAX_OUTPUT_CHARS = HtmlModel.MAX_OUTPUT_CHARS;
    static final int MAX_OUTPUT_CHARS_MANY_ROWS = 4_000;
    static final int EXCERPT_CHARS = 600;

    /** Indented JSON for the detail panes: one writer, made once (making one per row cost as much as writing). */
    private static final ObjectWriter PRETTY = Journal.JSON.writerWithDefaultPrettyPrinter();

    private CaseTable() {}

    /** A case with its cells in model order; {@code severity}: 0 passed, 1 skipped or not evaluated, 2 failed, 3 errored. */
    /** {@code compared}: who won the case's compare assertions ({@code best: sonnet (won 2 of 3 groups)}), or empty. */
    record Row(String caseId, int order, String status, int severity, String failedModels, String checks,
            String failedChecks, String sortTtft, String sortCost, List<Cell> cells, String compared) {}

    /** One model's result for the case; {@code present} false when the case did not run on it. */
    record Cell(String model, boolean present, String status, String statusLabel, String counts, String excerpt,
            String ttft, String e2e, String tokens, String cost, boolean unpriced, String why, List<String> repeats,
            Detail detail) {}

    record Detail(String trialId, String modelId, String requestId, String request, String requestNote,
            String response, String toolCalls, String stopReason, String usage, List<String[]> timings,
            List<HtmlModel.CheckView> checks, String error, List<String> attempts, String waits,
            List<TurnRows.TurnView> turns) {}

    /** The rows shown and how many cases were left out. */
    record Table(List<String> models, List<Row> rows, int totalCases, int hiddenCases) {}

    static Table of(CaseScan scan, Provenance provenance) {
        return of(scan, provenance, CompareWinners.none());
    }

    static Table of(CaseScan scan, Provenance provenance, CompareWinners compared) {
        List<String> models = scan.modelLabels();
        List<CaseScan.CaseEntry> chosen = new ArrayList<>();
        for (CaseScan.CaseEntry c : scan.cases().values()) {
            if (c.kept()) {
                chosen.add(c);
            }
        }
        if (chosen.size() > MAX_ROWS) {
            chosen.sort((a, b) -> a.anyNotPassed() != b.anyNotPassed() ? (a.anyNotPassed() ? -1 : 1)
                    : Integer.compare(a.order(), b.order()));
            chosen = new ArrayList<>(chosen.subList(0, MAX_ROWS));
            chosen.sort((a, b) -> Integer.compare(a.order(), b.order()));
        }
        int outputCap = chosen.size() > 200 ? MAX_OUTPUT_CHARS_MANY_ROWS : MAX_OUTPUT_CHARS;
        List<Row> rows = new ArrayList<>();
        for (CaseScan.CaseEntry c : chosen) {
            rows.add(row(c, models, provenance, outputCap, compared));
        }
        return new Table(models, rows, scan.totalCases(), scan.totalCases() - chosen.size());
    }

    private static Row row(CaseScan.CaseEntry c, List<String> models, Provenance provenance, int outputCap,
            CompareWinners compared) {
        List<Cell> cells = new ArrayList<>();
        int severity = 0;
        List<String> failedModels = new ArrayList<>();
        double maxTtft = -1;
        double cost = 0;
        for (String model : models) {
            CaseScan.Cell counts = c.cells().get(model);
            TrialResult t = c.reps().get(model);
            if (counts == null) {
                cells.add(new Cell(model, false, "absent", "not run", "", "", "", "", "", "", false, "", List.of(),
                        null));
                continue;
            }
            String status = counts.status();
            severity = Math.max(severity, severity(status));
            if (!counts.allPassed()) {
                failedModels.add(model);
            }
            if (t == null) {
                cells.add(new Cell(model, true, status, label(status), counts.passed() + "/" + counts.trials() + " passed",
                        "(details not kept for this case: see results.csv)", Fmt.NONE, Fmt.NONE, "", "", false, "",
                        List.of(), null));
                continue;
            }
            Double ttft = t.timings() == null ? null : t.timings().ttftMs();
            maxTtft = Math.max(maxTtft, ttft == null ? -1 : ttft);
            cost += t.costUsd() == null ? 0 : t.costUsd();
            cells.add(cell(model, counts, t, c.strips().getOrDefault(model, List.of()), provenance, outputCap));
        }
        String status = switch (severity) {
            case 3 -> "errored";
            case 2 -> "failed";
            case 1 -> notRun(cells);
            default -> "passed";
        };
        return new Row(Text.xmlSafe(c.caseId()), c.order(), status, severity, String.join(" ", failedModels),
                String.join(" ", c.checkTypes()), String.join(" ", c.failedCheckTypes()),
                String.format(java.util.Locale.ROOT, "%.3f", maxTtft), String.format(java.util.Locale.ROOT, "%.9f", cost),
                cells, Text.xmlSafe(String.join(" · ", compared.of(c.caseId()).stream()
                        .map(CompareWinners.Tally::line).toList())));
    }

    private static int severity(String status) {
        return switch (status) {
            case "errored" -> 3;
            case "failed" -> 2;
            case "skipped", "not_evaluated" -> 1;
            default -> 0;
        };
    }

    private static Cell cell(String model, CaseScan.Cell counts, TrialResult t, List<String> strip,
            Provenance provenance, int outputCap) {
        HtmlModel.TrialRow r = HtmlModel.row(0, t);
        String countText = counts.trials() == 1 ? "" : counts.passed() + "/" + counts.trials() + " passed";
        String output = Text.xmlSafe(t.outputText());
        String excerpt = t.skipped() != null ? "(not sent: " + Text.xmlSafe(t.skipped()) + ")"
                : output.isEmpty() ? (t.error() != null ? "(no response)" : "(no text output)")
                : Text.truncate(output, EXCERPT_CHARS);
        return new Cell(model, true, counts.status(), label(counts.status()), countText, excerpt, r.ttft(), r.e2e(),
                r.tokens(), r.cost(), r.unpriced(), Text.xmlSafe(Text.whyNot(t)), strip, detail(t, r, provenance,
                        outputCap));
    }

    /** A row's status at severity 1: {@code skipped} when a model skipped it, else {@code not_evaluated}. */
    private static String notRun(List<Cell> cells) {
        return cells.stream().anyMatch(c -> c.status().equals("skipped")) ? "skipped" : "not_evaluated";
    }

    private static String label(String status) {
        return switch (status) {
            case "passed" -> "✓ pass";
            case "failed" -> "✗ fail";
            case "errored" -> "⚠ error";
            case "not_evaluated" -> "– not evaluated";
            default -> "– skipped";
        };
    }

    private static Detail detail(TrialResult t, HtmlModel.TrialRow r, Provenance provenance, int outputCap) {
        JsonNode body = provenance.requests().apply(Provenance.key(t.caseId(), t.model()));
        List<String[]> timings = new ArrayList<>();
        if (t.untimed() != null) {
            timings.add(new String[] {"not timed", Text.xmlSafe(t.untimed())});
        } else if (t.timings() != null) {
            var tm = t.timings();
            timings.add(new String[] {"TTFB", Fmt.ms(tm.ttfbMs())});
            timings.add(new String[] {"TTFT", Fmt.ms(tm.ttftMs())});
            timings.add(new String[] {"E2E", Fmt.ms(tm.e2eMs())});
            timings.add(new String[] {"TPOT", Fmt.ms(tm.tpotMs())});
            timings.add(new String[] {"deltas", Integer.toString(tm.deltas())});
            timings.add(new String[] {"output tok/s", tm.outputTps() == null ? Fmt.NONE
                    : String.format(java.util.Locale.ROOT, "%.1f", tm.outputTps())});
        }
        List<String> attempts = new ArrayList<>();
        for (AttemptRecord a : t.attemptLog()) {
            attempts.add("#" + a.attempt() + " HTTP " + (a.status() == 0 ? "—" : a.status())
                    + (a.error() == null ? "" : " " + a.error()) + (a.backoffMs() > 0 ? " after " + Fmt.ms(a.backoffMs())
                    + " backoff" : "") + (a.e2eMs() == null ? "" : " · " + Fmt.ms(a.e2eMs())));
        }
        String waits = "queue " + Fmt.ms(t.queueMs()) + " · rate-limit wait " + Fmt.ms(t.ratelimitWaitMs())
                + " · backoff " + Fmt.ms(t.backoffMs()) + " (never counted as latency)";
        String output = Text.xmlSafe(t.outputText());
        return new Detail(Text.xmlSafe(t.trialId()), Text.xmlSafe(t.modelId()), r.requestId(),
                body == null ? "" : Text.xmlSafe(pretty(body)), provenance.requestNote(),
                output.isEmpty() ? "(no text output)" : Text.truncate(output, outputCap), r.toolCalls(), r.stopReason(),
                t.usage() == null ? "(no usage returned)" : Text.xmlSafe(pretty(t.usage())), timings, r.checks(),
                r.error(), attempts, waits, TurnRows.of(t));
    }

    private static String pretty(JsonNode node) {
        try {
            return Text.truncate(PRETTY.writeValueAsString(node),
                    MAX_OUTPUT_CHARS);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    /** The distinct check types across shown rows, for the filter menu. */
    static List<String> checkTypes(CaseScan scan) {
        return new ArrayList<>(scan.checkTypes());
    }
}
