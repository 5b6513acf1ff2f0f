package dev.sonde.run;

import dev.sonde.metrics.Clock;
import dev.sonde.suite.BudgetSpec;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The run's budget and spend ledger for the compare pass after a run ({@code select-best}'s grader
 * calls): under {@code budget.max_usd} the run folder's {@value Ledger#FILE} is opened again, its
 * totals are what the pass counts against the cap, and each call's cost is written to it once paid
 * as a grading call is ({@link Budget#paid}), so the ledger, the budget line and a resumed run's
 * budget all see it. Without a cap nothing is kept: the calls still count in their records and the
 * grader line. Not thread-safe (the pass makes one call at a time).
 */
public final class CompareSpend implements Closeable {
    private final Budget budget;
    private boolean paid;

    private CompareSpend(Budget budget) {
        this.budget = budget;
    }

    /**
     * Opens {@code outDir}'s ledger under {@code spec}'s {@code max_usd}; one that keeps nothing
     * without a cap.
     */
    public static CompareSpend open(BudgetSpec spec, Path outDir) throws IOException {
        if (spec.maxUsd() == null) {
            return new CompareSpend(null);
        }
        Ledger.Totals before = Files.exists(outDir.resolve(Ledger.FILE)) ? Ledger.read(outDir) : Ledger.Totals.NONE;
        return new CompareSpend(new Budget(spec, Clock.system(), 0, before, 0, Ledger.open(outDir, before, 0)));
    }

    /** Whether a cap applies. */
    public boolean capped() {
        return budget != null;
    }

    /**
     * What the ledger counts spent so far: reported, plus attempts without usage at their worst case
     * (0 without a cap).
     */
    public double countedUsd() {
        return budget == null ? 0 : budget.countedUsd();
    }

    /**
     * Writes a grader call's cost to the ledger under {@code key} (the group's first trial id).
     *
     * @throws IOException when the ledger cannot be written
     */
    public void paid(String key, double usd) throws IOException {
        if (budget == null) {
            return;
        }
        try {
            budget.paid(key, usd);
            paid = true;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The budget line once the pass paid for a call ({@code budget: … reported spent of max_usd …}), else empty. */
    public Optional<String> summary() {
        return budget == null || !paid ? Optional.empty() : budget.summary();
    }

    @Override
    public void close() throws IOException {
        if (budget != null) {
            budget.close();
        }
    }
}
