package dev.sonde.report;

import dev.sonde.check.CheckResult;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Samples;
import dev.sonde.run.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the HTML report needs from one pass over the journal, in memory that grows with models
 * and cases, never with trials: per model the distributions of TTFT, end-to-end time and
 * inter-token gaps of successful exchanges ({@link Samples}, fixed memory); per case × model the
 * counts by status and the check types seen (and failed); and, for the case table, one
 * representative trial per case × model (the first that did not pass, else the first) with the
 * statuses of its first {@value #MAX_STRIP} repeats. Representatives are kept for the first
 * {@value CaseTable#MAX_ROWS} cases and for at most as many later cases that did not pass, so
 * their memory is bounded too; a later case that first failed after some passing repeats keeps
 * no strip ({@link CaseEntry#partial}). Cases and models keep the order in which the journal
 * first names them. Not thread-safe; built once and then only read.
 */
final class RunScan implements dev.sonde.analysis.TrialFold {

    /** Counts for one case on one model, over its repeats. */
    static final class Cell {
        long trials;
        long passed;
        long failed;
        long errored;
        long skipped;

        String status() {
            if (errored > 0) {
                return "errored";
            }
            if (failed > 0) {
                return "failed";
            }
            if (skipped > 0 && passed == 0) {
                return "skipped";
            }
            return "passed";
        }

        boolean allPassed() {
            return trials > 0 && passed == trials;
        }
    }

    /** One case: its cells by model label, and the check types its trials ran / failed. */
    static final class CaseEntry {
        final String caseId;
        final int order;
        final Map<String, Cell> cells = new LinkedHashMap<>();
        final TreeSet<String> checkTypes = new TreeSet<>();
        final TreeSet<String> failedCheckTypes = new TreeSet<>();
        /** Model label → representative trial, for kept cases. */
        final Map<String, TrialResult> reps = new LinkedHashMap<>();
        /** Model label → statuses of the first repeats, for cases kept from their first trial. */
        final Map<String, List<String>> strips = new LinkedHashMap<>();
        boolean kept;
        boolean partial;

        CaseEntry(String caseId, int order) {
            this.caseId = caseId;
            this.order = order;
        }

        boolean anyNotPassed() {
            return cells.values().stream().anyMatch(c -> !c.allPassed());
        }
    }

    /** One model's latency distributions (successful exchanges only), in ms. */
    static final class ModelSamples {
        final Samples ttftMs = Samples.dense(Samples.MILLIS);
        final Samples e2eMs = Samples.dense(Samples.MILLIS);
        final Samples itlMs = Samples.dense(Samples.MILLIS);
    }

    static final int MAX_STRIP = 50;

    final Map<String, ModelSamples> models = new LinkedHashMap<>();
    final Map<String, CaseEntry> cases = new LinkedHashMap<>();
    final TreeSet<String> checkTypes = new TreeSet<>();
    long trials;
    long skipped;
    /** What grader models spent, apart from the trials' cost. */
    final GraderTotals grader = new GraderTotals();
    private int lateKept;

    /** An empty scan of {@code run}'s models; the run's pass over its journal fills it. */
    RunScan(RunResult run) {
        if (run.info() != null && run.info().models() != null) {
            run.info().models().forEach(m -> models.put(m.id(), new ModelSamples()));
        }
    }

    @Override
    public void add(TrialResult t) {
        trials++;
        grader.add(t);
        ModelSamples m = models.computeIfAbsent(t.model(), k -> new ModelSamples());
        if (t.error() == null && t.skipped() == null && t.timings() != null) {
            record(m.ttftMs, t.timings().ttftMs());
            record(m.e2eMs, t.timings().e2eMs());
            if (t.timings().itlMs() != null) {
                for (double gap : t.timings().itlMs()) {
                    m.itlMs.record(gap);
                }
            }
        }
        CaseEntry c = cases.get(t.caseId());
        if (c == null) {
            c = new CaseEntry(t.caseId(), cases.size());
            c.kept = cases.size() < CaseTable.MAX_ROWS;
            cases.put(t.caseId(), c);
        }
        if (!c.kept && !t.pass() && lateKept < CaseTable.MAX_ROWS) {
            c.kept = true;
            c.partial = true;
            lateKept++;
        }
        if (c.kept) {
            TrialResult prev = c.reps.get(t.model());
            if (prev == null || prev.pass() && !t.pass()) {
                c.reps.put(t.model(), t);
            }
            if (!c.partial) {
                List<String> strip = c.strips.computeIfAbsent(t.model(), k -> new ArrayList<>());
                if (strip.size() < MAX_STRIP) {
                    strip.add(t.status());
                }
            }
        }
        Cell cell = c.cells.computeIfAbsent(t.model(), k -> new Cell());
        cell.trials++;
        switch (t.status()) {
            case "passed" -> cell.passed++;
            case "errored" -> cell.errored++;
            case "skipped" -> {
                cell.skipped++;
                skipped++;
            }
            default -> cell.failed++;
        }
        if (t.checks() != null) {
            for (CheckResult r : t.checks()) {
                c.checkTypes.add(r.type());
                checkTypes.add(r.type());
                if (!r.pass()) {
                    c.failedCheckTypes.add(r.type());
                }
            }
        }
    }

    private static void record(Samples s, Double v) {
        if (v != null) {
            s.record(v);
        }
    }

    /** Model labels in suite order, then any the journal added. */
    List<String> modelLabels() {
        return new ArrayList<>(models.keySet());
    }
}
