package dev.sonde.run;

import dev.sonde.check.CheckSet;
import dev.sonde.check.Graders;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.CaseSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What one run shares between its trials, whichever way they are sent (one request each, batches,
 * timed sequences): every case's checks (built before anything is sent, so a bad parameter costs
 * nothing), the journal path and what an existing journal there already holds ({@code --resume}:
 * those trials are not in {@link #todo} and their spend counts against the budget), the budget, the reason the run stopped (first one wins) and the finished/skipped counters.
 *
 * @param total trials in the plan, resumed ones included
 */
record RunContext(Suite suite, CaseChecks checks, long startNanos, Path journalPath,
        List<Trial> todo, int total, Budget budget, AtomicReference<String> stop, AtomicInteger counted,
        AtomicInteger skipped) {

    static RunContext start(Suite suite, List<Trial> trials, Graders graders, Clock clock, Path outDir,
            Consumer<TrialResult> tap) throws SuiteException, IOException {
        CaseChecks checks = checks(suite, graders);
        long startNanos = clock.nanoTime();
        Path journalPath = outDir.resolve("trials.jsonl");
        Set<String> done = new HashSet<>();
        double spent = resume(journalPath, done, tap);
        // a fresh run sends the plan as it is (a computed plan makes each trial when it is reached)
        List<Trial> todo = done.isEmpty() ? trials : trials.stream().filter(t -> !done.contains(t.id())).toList();
        return new RunContext(suite, checks, startNanos, journalPath, todo, trials.size(),
                budget(suite, clock, startNanos, outDir, spent, done.size()), new AtomicReference<>(),
                new AtomicInteger(done.size()), new AtomicInteger());
    }

    /**
     * The run's budget. Under {@code max_usd} its spend comes from the run's {@link Ledger} when
     * there is one (what servers reported, and each attempt that got no answer or was cut off by a
     * kill at its worst case), else from the resumed journal's recorded costs; the ledger is opened
     * for this run's attempts.
     */
    private static Budget budget(Suite suite, Clock clock, long startNanos, Path outDir, double journalSpent,
            int started) throws IOException {
        if (suite.budget().maxUsd() == null) {
            return new Budget(suite.budget(), clock, startNanos, journalSpent, started);
        }
        boolean kept = Files.exists(outDir.resolve(Ledger.FILE));
        Ledger.Totals before = kept ? Ledger.read(outDir) : new Ledger.Totals(journalSpent, 0, 0, 0, 1);
        Files.createDirectories(outDir);
        Ledger ledger = Ledger.open(outDir, before, kept ? 0 : journalSpent);
        return new Budget(suite.budget(), clock, startNanos, before, started, ledger);
    }

    /**
     * The run's result, its metadata completed from {@code meta} (which lacks the finish fields).
     *
     * @param concurrency as planned (0 for batches)
     * @throws RunAborted with the result as the partial one when something stopped the run
     */
    RunResult finish(RunInfo meta, Clock clock, PricingTable pricing, Path outDir, int concurrency,
            RunResult.LoadControl load) throws RunAborted {
        double wallMs = TimingsMillis.millis(clock.nanoTime() - startNanos);
        RunInfo info = meta.finished(clock.now(), wallMs, total, concurrency, pricing.version());
        RunResult result = new RunResult(info, journalPath, outDir, skipped.get(), stop.get(), load);
        if (stop.get() != null) {
            throw new RunAborted(stop.get(), result, budget.spentLimit());
        }
        return result;
    }

    /**
     * Every case's checks, built before anything is sent (so a bad parameter costs nothing). Cases
     * with the same assertions (a dataset's rows, whose unchanged assertions the suite shares)
     * share one set: checks hold no state of their own. Found by the case's assertion list itself,
     * so a run of 100,000 alike cases keeps no map by case.
     */
    private static CaseChecks checks(Suite suite, Graders graders) throws SuiteException {
        Map<List<AssertSpec>, Map<Double, CheckSet>> built = new IdentityHashMap<>();
        for (CaseSpec c : suite.casesForChecks()) {
            Map<Double, CheckSet> byThreshold = built.computeIfAbsent(c.asserts(), k -> new HashMap<>());
            if (!byThreshold.containsKey(c.threshold())) {
                byThreshold.put(c.threshold(), CheckSet.create(c.asserts(), c.threshold(), graders));
            }
        }
        if (built.size() > SHARED_LISTS) {
            built.clear(); // every row asserts its own: build each trial's set when it is checked
        }
        return new CaseChecks(built, graders);
    }

    /** More distinct assertion lists than this, and none is kept (a dataset whose rows each assert their own). */
    private static final int SHARED_LISTS = 1_024;

    /**
     * The checks of each case of the suite, by its assertion list (identity) and threshold; a case
     * whose list is not one of those (a dataset row whose assertions are its own, bound anew) gets
     * its set built when it is checked, from assertions that were built once before the run.
     */
    record CaseChecks(Map<List<AssertSpec>, Map<Double, CheckSet>> byAsserts, Graders graders) {
        CheckSet of(CaseSpec c) {
            Map<Double, CheckSet> byThreshold = byAsserts.get(c.asserts());
            CheckSet set = byThreshold == null ? null : byThreshold.get(c.threshold());
            if (set != null) {
                return set;
            }
            try {
                return CheckSet.create(c.asserts(), c.threshold(), graders);
            } catch (SuiteException e) {
                throw new IllegalStateException("the checks of case " + c.id() + " built before the run, not now", e);
            }
        }
    }

    /**
     * Reads an existing journal back ({@code --resume}): the ids of its trials go into {@code done},
     * and every line to {@code tap} (if any), as if this process had journaled it; returns what they
     * cost. Skipped trials are run again.
     */
    private static double resume(Path journalPath, Set<String> done, Consumer<TrialResult> tap) throws IOException {
        double[] spent = {0};
        if (Files.exists(journalPath)) {
            try (Stream<TrialResult> previous = Journal.read(journalPath)) {
                previous.forEach(t -> {
                    if (tap != null) {
                        tap.accept(t);
                    }
                    if (t.skipped() == null) {
                        done.add(t.trialId());
                        spent[0] += t.costUsd() == null ? 0 : t.costUsd();
                        spent[0] += t.graderCostUsd() == null ? 0 : t.graderCostUsd();
                    }
                });
            }
        }
        return spent[0];
    }
}
