package dev.sonde.run;

import dev.sonde.metrics.Clock;
import dev.sonde.suite.BudgetSpec;
import java.util.Locale;

/**
 * Enforces a run's {@link BudgetSpec}. Spend is reserve-then-settle: before an attempt is sent
 * its worst-case cost is reserved, and refused if spent + reserved + worst would pass the cap;
 * after it, the reservation is replaced by the attempt's actual cost. So the cap holds however
 * many attempts are in flight. Trial and deadline limits are checked when a trial starts.
 * Thread-safe.
 */
final class Budget {
    private final BudgetSpec spec;
    private final Clock clock;
    private final long startNanos;
    private double spentUsd;
    private double reservedUsd;
    private int started;

    Budget(BudgetSpec spec, Clock clock, long startNanos, double alreadySpentUsd, int alreadyStarted) {
        this.spec = spec;
        this.clock = clock;
        this.startNanos = startNanos;
        this.spentUsd = alreadySpentUsd;
        this.started = alreadyStarted;
    }

    /** What the budget answers a trial or an attempt: go ahead, or refused and why. */
    sealed interface Answer permits Granted, Refused {}

    /** Go ahead (for an attempt: its worst case is now reserved). */
    enum Granted implements Answer { GRANTED }

    /**
     * Refused: {@code why} names the limit reached, e.g. {@code max_trials 5 reached}.
     */
    record Refused(String why) implements Answer {
        /** The line the run stops with and a skipped trial records: {@code budget: } and why. */
        String message() {
            return "budget: " + why;
        }
    }

    /** Whether a new trial may start (counted when it may). */
    synchronized Answer admitTrial() {
        if (spec.maxTrials() != null && started >= spec.maxTrials()) {
            return new Refused("max_trials " + spec.maxTrials() + " reached");
        }
        if (spec.deadline() != null && clock.nanoTime() - startNanos >= spec.deadline().toNanos()) {
            return new Refused("deadline of " + spec.deadline().toSeconds() + " s passed");
        }
        started++;
        return Granted.GRANTED;
    }

    /**
     * Reserves {@code worstUsd} for one attempt, or refuses it. When it does
     * not fit only because other attempts hold reservations, waits for them to settle (they
     * usually cost less than their worst case) before deciding. A null worst case (an unpriced
     * model) cannot be bounded and is refused under a USD cap.
     */
    synchronized Answer reserve(Double worstUsd, String model) throws InterruptedException {
        if (spec.maxUsd() == null) {
            return Granted.GRANTED;
        }
        if (worstUsd == null) {
            return new Refused(model + " is unpriced, so a max_usd cap cannot bound it");
        }
        while (spentUsd + reservedUsd + worstUsd > spec.maxUsd() && reservedUsd > 0) {
            wait();
        }
        if (spentUsd + worstUsd > spec.maxUsd()) {
            return new Refused(String.format(Locale.ROOT, "max_usd $%.4f would be exceeded (spent $%.6f, the next "
                    + "request may cost up to $%.6f)", spec.maxUsd(), spentUsd, worstUsd));
        }
        reservedUsd += worstUsd;
        return Granted.GRANTED;
    }

    /** Replaces a reservation by what the attempt actually cost (0 when it returned no usage). */
    synchronized void settle(Double worstUsd, double actualUsd) {
        if (spec.maxUsd() != null && worstUsd != null) {
            reservedUsd -= worstUsd;
        }
        spentUsd += actualUsd;
        notifyAll();
    }

    synchronized double spentUsd() {
        return spentUsd;
    }
}
