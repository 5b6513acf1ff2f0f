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

    /** Null when a new trial may start, else why not. */
    synchronized String admitTrial() {
        if (spec.maxTrials() != null && started >= spec.maxTrials()) {
            return "budget: max_trials " + spec.maxTrials() + " reached";
        }
        if (spec.deadline() != null && clock.nanoTime() - startNanos >= spec.deadline().toNanos()) {
            return "budget: deadline of " + spec.deadline().toSeconds() + " s passed";
        }
        started++;
        return null;
    }

    /**
     * Reserves {@code worstUsd} for one attempt; null when reserved, else why not. When it does
     * not fit only because other attempts hold reservations, waits for them to settle (they
     * usually cost less than their worst case) before deciding. A null worst case (an unpriced
     * model) cannot be bounded and is refused under a USD cap.
     */
    synchronized String reserve(Double worstUsd, String model) throws InterruptedException {
        if (spec.maxUsd() == null) {
            return null;
        }
        if (worstUsd == null) {
            return "budget: " + model + " is unpriced, so a max_usd cap cannot bound it";
        }
        while (spentUsd + reservedUsd + worstUsd > spec.maxUsd() && reservedUsd > 0) {
            wait();
        }
        if (spentUsd + worstUsd > spec.maxUsd()) {
            return String.format(Locale.ROOT, "budget: max_usd $%.4f would be exceeded (spent $%.6f, the next request "
                    + "may cost up to $%.6f)", spec.maxUsd(), spentUsd, worstUsd);
        }
        reservedUsd += worstUsd;
        return null;
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
