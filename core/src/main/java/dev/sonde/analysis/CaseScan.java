package dev.sonde.analysis;

import dev.sonde.check.CheckResult;
import dev.sonde.journal.TrialResult;
import dev.sonde.stats.Samples;
import dev.sonde.journal.RunInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.SortedSet;
import java.util.function.ToIntFunction;

/**
 * What the HTML report needs from one pass over the journal, in memory that grows with models
 * and cases, never with trials: per model the distributions of TTFT, end-to-end time and
 * inter-token gaps of successful exchanges ({@link Samples}, fixed memory); per case × model the
 * counts by status and the check types seen (and failed); and, for the case table, one
 * representative trial per case × model (the first that did not pass, else the first) with the
 * statuses of its first {@value #MAX_STRIP} repeats. Representatives are kept for the first
 * {@value #MAX_ROWS} cases and for at most as many later cases that did not pass, so
 * their memory is bounded too; a later case that first failed after some passing repeats keeps
 * no strip ({@link CaseEntry#partial}). Cases and models keep the order in which the journal
 * first names them. Given how many trials each case has ({@link #closing}), a case never kept is
 * let go once they are all in, so a run of 100,000 passing cases holds only those in flight. Not
 * thread-safe; built once and then only read.
 */
public final class CaseScan implements TrialFold {
    /** Cases kept with their details from the start, and at most as many later ones that did not pass. */
    public static final int MAX_ROWS = 1_000;


    /** Counts for one case on one model, over its repeats. */
    public static final class Cell {
        private int trials;
        private int passed;
        private int failed;
        private int errored;
        private int skipped;
        private int notEvaluated;

        /** Repeats of the case on the model seen, every status included. */
        public long trials() {
            return trials;
        }

        /** Of those, the repeats that passed. */
        public long passed() {
            return passed;
        }

        /** Of those, the repeats answered but not evaluated (none of their checks applied). */
        public long notEvaluated() {
            return notEvaluated;
        }

        /**
         * {@code errored} if any repeat errored, else {@code failed} if any failed, {@code not_evaluated}
         * if none passed and some were not evaluated, {@code skipped} if none ran, else {@code passed}.
         */
        public String status() {
            if (errored > 0) {
                return "errored";
            }
            if (failed > 0) {
                return "failed";
            }
            if (notEvaluated > 0 && passed == 0) {
                return "not_evaluated";
            }
            if (skipped > 0 && passed == 0) {
                return "skipped";
            }
            return "passed";
        }

        /** True when at least one repeat was seen and every one passed (a skipped repeat did not pass). */
        public boolean allPassed() {
            return trials > 0 && passed == trials;
        }
    }

    /**
     * One case: its cells by model, and the check types its trials ran / failed. Small, since a run
     * keeps one per case: its cells in an array by model, its check types as bits of the run's list
     * of types, its representatives only once it is kept.
     */
    public static final class CaseEntry {
        private final CaseScan scan;
        private final String caseId;
        private final int order;
        private Cell[] cells = new Cell[0];
        private long checkBits;
        private long failedCheckBits;
        private Map<String, TrialResult> reps;
        private Map<String, List<String>> strips;
        private boolean kept;
        private boolean partial;

        /** The case's id ({@code cases[].id}), as the journal names it. */
        public String caseId() {
            return caseId;
        }

        /** Where the journal first named this case (0-based). */
        public int order() {
            return order;
        }

        /** Model label → counts over the case's repeats on it, in the order models were first seen. */
        public Map<String, Cell> cells() {
            Map<String, Cell> byModel = new LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                if (cells[i] != null) {
                    byModel.put(scan.labels.get(i), cells[i]);
                }
            }
            return Collections.unmodifiableMap(byModel);
        }

        /** The check types the case's trials ran, sorted. */
        public SortedSet<String> checkTypes() {
            return Collections.unmodifiableSortedSet(scan.types(checkBits));
        }

        /** The check types that failed at least once, sorted. */
        public SortedSet<String> failedCheckTypes() {
            return Collections.unmodifiableSortedSet(scan.types(failedCheckBits));
        }

        /** Model label → representative trial (first that did not pass, else first), for kept cases. */
        public Map<String, TrialResult> reps() {
            return reps == null ? Map.of() : Collections.unmodifiableMap(reps);
        }

        /** Model label → statuses of the first repeats, for cases kept from their first trial. */
        public Map<String, List<String>> strips() {
            return strips == null ? Map.of() : Collections.unmodifiableMap(strips);
        }

        /** Whether its details (representatives) were kept. */
        public boolean kept() {
            return kept;
        }

        /** Kept only once it first failed, after some passing repeats: no strip. */
        public boolean partial() {
            return partial;
        }

        CaseEntry(CaseScan scan, String caseId, int order) {
            this.scan = scan;
            this.caseId = caseId;
            this.order = order;
        }

        private void keep() {
            kept = true;
            reps = new LinkedHashMap<>();
            strips = new LinkedHashMap<>();
        }

        private Cell cell(int model) {
            if (model >= cells.length) {
                cells = java.util.Arrays.copyOf(cells, model + 1);
            }
            if (cells[model] == null) {
                cells[model] = new Cell();
            }
            return cells[model];
        }

        /** Trials of the case seen, on every model. */
        long trials() {
            long n = 0;
            for (Cell c : cells) {
                n += c == null ? 0 : c.trials;
            }
            return n;
        }

        /** Whether any of its cells did not pass every repeat. */
        public boolean anyNotPassed() {
            for (Cell c : cells) {
                if (c != null && !c.allPassed()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One model's latency distributions (successful exchanges only), in ms. */
    public static final class ModelSamples {
        private final Samples ttftMs = Samples.dense(Samples.MILLIS);
        private final Samples e2eMs = Samples.dense(Samples.MILLIS);
        private final Samples itlMs = Samples.dense(Samples.MILLIS);

        /** Time to first token of the model's successful exchanges, ms. */
        public Samples ttftMs() {
            return ttftMs;
        }

        /** End-to-end time of the model's successful exchanges, ms. */
        public Samples e2eMs() {
            return e2eMs;
        }

        /** Every inter-token gap of the model's successful exchanges, ms. */
        public Samples itlMs() {
            return itlMs;
        }
    }

    static final int MAX_STRIP = 50;

    private final Map<String, ModelSamples> models = new LinkedHashMap<>();
    /** Model labels in the order cells index them. */
    private final List<String> labels = new ArrayList<>();
    private final Map<String, Integer> labelIndex = new HashMap<>();
    private final Map<String, CaseEntry> cases = new LinkedHashMap<>();
    private final TreeSet<String> checkTypes = new TreeSet<>();
    /** Check types in the order their bits were given; past 64 types, a case's bits are all set (every type shown). */
    private final List<String> typeOrder = new ArrayList<>();
    private final Map<String, Integer> typeIndex = new HashMap<>();
    private long trials;
    private int lateKept;
    /** Cases named so far, and of them those let go: never kept, every trial in ({@link #closing}). */
    private int seen;
    private int dropped;
    private ToIntFunction<String> trialsPerCase;

    /** An empty scan of the run's models ({@code info} may be null); the run's pass over its journal fills it. */
    CaseScan(RunInfo info) {
        if (info != null && info.models() != null) {
            info.models().forEach(m -> models.put(m.id(), new ModelSamples()));
        }
    }

    /**
     * Lets go of a case that is not kept once it has {@code trialsPerCase} trials: all passed, so
     * it can no longer be shown, and it is only counted ({@link #totalCases}). Call before the pass.
     */
    void closing(ToIntFunction<String> trialsPerCase) {
        this.trialsPerCase = trialsPerCase;
    }

    /** Every case the journal named, those let go included. */
    public int totalCases() {
        return cases.size() + dropped;
    }

    /** Model label → latency distributions, suite order first. */
    public Map<String, ModelSamples> models() {
        return Collections.unmodifiableMap(models);
    }

    /** Case id → entry, in the order the journal first named them (without those let go, {@link #closing}). */
    public Map<String, CaseEntry> cases() {
        return Collections.unmodifiableMap(cases);
    }

    /** Every check type the run ran, sorted. */
    public SortedSet<String> checkTypes() {
        return Collections.unmodifiableSortedSet(checkTypes);
    }

    /**
     * Counts {@code t} in its case × model cell, its latencies (when it succeeded) in its model's
     * distributions, and, while its case is kept, in the representative and the strip.
     */
    @Override
    public void add(TrialResult t) {
        trials++;
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
            c = new CaseEntry(this, t.caseId(), seen++);
            if (c.order < MAX_ROWS) {
                c.keep();
            }
            cases.put(t.caseId(), c);
        }
        if (!c.kept && !t.pass() && lateKept < MAX_ROWS) {
            c.keep();
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
        Cell cell = c.cell(labelIndex.computeIfAbsent(t.model(), k -> {
            labels.add(k);
            return labels.size() - 1;
        }));
        cell.trials++;
        switch (t.status()) {
            case "passed" -> cell.passed++;
            case "errored" -> cell.errored++;
            case "not_evaluated" -> cell.notEvaluated++;
            case "skipped" -> cell.skipped++;
            default -> cell.failed++;
        }
        if (t.checks() != null) {
            for (CheckResult r : t.checks()) {
                long bit = bit(r.type());
                c.checkBits |= bit;
                if (!r.pass() && r.applicable()) {
                    c.failedCheckBits |= bit;
                }
            }
        }
        if (trialsPerCase != null && !c.kept && c.trials() >= trialsPerCase.applyAsInt(c.caseId)) {
            cases.remove(c.caseId);
            dropped++;
        }
    }

    /** The bit of check type {@code type} (all bits past the 64th type: such a case lists every type). */
    private long bit(String type) {
        Integer i = typeIndex.get(type);
        if (i == null) {
            checkTypes.add(type);
            i = typeOrder.size();
            typeOrder.add(type);
            typeIndex.put(type, i);
        }
        return i < Long.SIZE ? 1L << i : -1L;
    }

    private TreeSet<String> types(long bits) {
        TreeSet<String> out = new TreeSet<>();
        for (int i = 0; i < typeOrder.size(); i++) {
            if (bits == -1L || i < Long.SIZE && (bits & 1L << i) != 0) {
                out.add(typeOrder.get(i));
            }
        }
        return out;
    }

    private static void record(Samples s, Double v) {
        if (v != null) {
            s.record(v);
        }
    }

    /** Model labels in suite order, then any the journal added. */
    public List<String> modelLabels() {
        return new ArrayList<>(models.keySet());
    }
}
