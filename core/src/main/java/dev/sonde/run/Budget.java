package dev.sonde.run;

import dev.sonde.metrics.Clock;
import dev.sonde.suite.BudgetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Enforces a run's {@link BudgetSpec}. Under {@code max_usd}, spend is reserve-then-settle: before
 * an attempt is sent its worst case ({@link WorstCase}) is reserved and written to the run's
 * {@link Ledger}, and nothing is sent once counted spend + open reservations + that worst case
 * would pass the cap; after it, the reservation is replaced by what the server reported. An
 * attempt that got no usage back (a connection closed, a timeout, a broken stream, usage not to be
 * believed) may still have been billed, so it stays counted at its worst case; so does one a kill
 * left without an end ({@link Ledger.Totals}). So the cap can only be passed by attempts that cost
 * more than their worst case — the requests in flight when it was reached — and the
 * {@link #summary} says by how much. Trial and deadline limits are checked when a trial starts.
 * Thread-safe.
 */
final class Budget implements java.io.Closeable {
    private final BudgetSpec spec;
    private final Clock clock;
    private final long startNanos;
    /** Where attempts are written before they are sent; null without {@code max_usd}. */
    private final Ledger ledger;
    /** What servers reported (grading calls included). */
    private double reportedUsd;
    /** What attempts without usage may have cost beyond what they reported, at their worst case. */
    private double unresolvedUsd;
    private int unresolved;
    private final int abandoned;
    private double reservedUsd;
    /** What attempts cost beyond their worst case, and how many did. */
    private double overUsd;
    private int over;
    private int inFlight;
    private int mostInFlight;
    private int started;
    /** What grading calls cost (charged once paid, never reserved). */
    private double graderUsd;
    /** The limit that refused a trial and that a resume meets again (trials started, USD counted), or null. */
    private RunAborted.SpentLimit spent;
    /**
     * Guards every field (a lock, not a monitor: a virtual thread waiting for reservations to settle
     * unmounts instead of pinning its carrier on Java 21–23).
     */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition settled = lock.newCondition();

    /**
     * @param before what the run's ledger already holds ({@code --resume}); its reported spend and
     *     its unresolved and abandoned attempts at their worst case count against the cap
     * @param ledger where attempts are written, or null without {@code max_usd}
     */
    Budget(BudgetSpec spec, Clock clock, long startNanos, Ledger.Totals before, int alreadyStarted, Ledger ledger) {
        this.spec = spec;
        this.clock = clock;
        this.startNanos = startNanos;
        this.reportedUsd = before.reportedUsd();
        this.unresolvedUsd = before.unresolvedUsd();
        this.unresolved = before.unresolved();
        this.abandoned = before.abandoned();
        this.started = alreadyStarted;
        this.ledger = ledger;
    }

    /** A budget with nothing spent yet and no ledger (tests; runs without {@code max_usd}). */
    Budget(BudgetSpec spec, Clock clock, long startNanos, double alreadySpentUsd, int alreadyStarted) {
        this(spec, clock, startNanos, new Ledger.Totals(alreadySpentUsd, 0, 0, 0, 1), alreadyStarted, null);
    }

    /** What the budget answers a trial or an attempt: go ahead, or refused and why. */
    sealed interface Answer permits Granted, Reservation, Refused {}

    /** Go ahead (a trial; an attempt when no USD cap applies). */
    enum Granted implements Answer { GRANTED }

    /**
     * An attempt may be sent: {@code worstUsd} is reserved for it, as attempt {@code number} of the
     * ledger (0 when none is kept).
     */
    record Reservation(double worstUsd, long number) implements Answer {}

    /**
     * Refused: {@code why} names the limit reached, e.g. {@code max_trials 5 reached}; {@code
     * stopsRun} false when only this trial cannot be bounded (its input could not be counted, a
     * tool with no use limit): it is skipped and the run goes on.
     */
    record Refused(String why, boolean stopsRun) implements Answer {
        /** A refusal because a limit was reached: the run stops. */
        Refused(String why) {
            this(why, true);
        }

        /** The line the run stops with and a skipped trial records: {@code budget: } and why. */
        String message() {
            return "budget: " + why;
        }
    }

    /**
     * The limit that refused a trial or an attempt for good — {@code max_trials} reached, or
     * {@code max_usd} unable to hold the next attempt's worst case — which a resume of the run, whose
     * journal and ledger count against the same limits, meets again; null when neither did (an
     * unpriced model or a passed deadline is not one: {@code --pricing} or a resume's own deadline
     * lets it go on).
     */
    RunAborted.SpentLimit spentLimit() {
        lock.lock();
        try {
            return spent;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the run has a USD cap (then attempts are sized, reserved and written to the ledger). */
    boolean capped() {
        return spec.maxUsd() != null;
    }

    /** Whether a new trial may start (counted when it may). */
    Answer admitTrial() {
        lock.lock();
        try {
            return admit();
        } finally {
            lock.unlock();
        }
    }

    private Answer admit() {
        if (spec.maxTrials() != null && started >= spec.maxTrials()) {
            spent = RunAborted.SpentLimit.MAX_TRIALS;
            return new Refused("max_trials " + spec.maxTrials() + " reached");
        }
        if (spec.deadline() != null && clock.nanoTime() - startNanos >= spec.deadline().toNanos()) {
            return new Refused("deadline of " + spec.deadline().toSeconds() + " s passed");
        }
        started++;
        return Granted.GRANTED;
    }

    /**
     * Reserves {@code worstUsd} for one attempt of {@code trialId} and writes it to the ledger, or
     * refuses it. When it does not fit only because other attempts hold reservations, waits for
     * them to settle (they usually cost less than their worst case) before deciding. A null worst
     * case (an unpriced model) cannot be bounded and is refused under a USD cap.
     */
    Answer reserve(Double worstUsd, String model, String trialId) throws InterruptedException {
        return reserve(worstUsd, model, trialId, true);
    }

    /**
     * As {@link #reserve(Double, String, String)}; with {@code wait} false a reservation that does
     * not fit is refused at once (a batch, whose reservations settle only when it is over).
     */
    Answer reserve(Double worstUsd, String model, String trialId, boolean wait) throws InterruptedException {
        lock.lock();
        try {
            return reserveLocked(worstUsd, model, trialId, wait);
        } finally {
            lock.unlock();
        }
    }

    private Answer reserveLocked(Double worstUsd, String model, String trialId, boolean wait)
            throws InterruptedException {
        if (spec.maxUsd() == null) {
            return Granted.GRANTED;
        }
        if (worstUsd == null) {
            return new Refused(model + " is unpriced, so a max_usd cap cannot bound it");
        }
        // waits on the count in flight, an integer: the sum of reservations may keep a rounding crumb
        while (wait && counted() + reservedUsd + worstUsd > spec.maxUsd() && inFlight > 0) {
            settled.await();
        }
        if (counted() + reservedUsd + worstUsd > spec.maxUsd()) {
            if (counted() + worstUsd > spec.maxUsd()) { // not only the reservations of a batch still open
                spent = RunAborted.SpentLimit.MAX_USD;
            }
            return new Refused(String.format(Locale.ROOT, "max_usd $%.4f would be exceeded (spent $%.6f%s, "
                    + "the next request may cost up to $%.6f)", spec.maxUsd(), reportedUsd + unresolvedUsd,
                    unresolvedUsd > 0 ? String.format(Locale.ROOT, " counting $%.6f for attempts that got no answer",
                            unresolvedUsd) : "", worstUsd + reservedUsd));
        }
        long number = ledger == null ? 0 : toLedger(l -> l.begin(trialId, worstUsd));
        reservedUsd += worstUsd;
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        return new Reservation(worstUsd, number);
    }

    /**
     * Replaces a reservation by what the attempt cost as the server reported it ({@code resolved});
     * an attempt with no usage back ({@code resolved == false}) stays counted at its worst case.
     *
     * @param reservation what {@link #reserve} answered ({@link Granted} when no cap applies)
     */
    void settle(Answer reservation, double reportedUsd, boolean resolved) {
        lock.lock();
        try {
            settleLocked(reservation, reportedUsd, resolved);
        } finally {
            lock.unlock();
        }
    }

    private void settleLocked(Answer reservation, double reportedUsd, boolean resolved) {
        this.reportedUsd += reportedUsd;
        if (reservation instanceof Reservation r) {
            reservedUsd -= r.worstUsd();
            inFlight--;
            if (inFlight == 0) {
                reservedUsd = 0; // nothing is reserved: no rounding crumb survives
            }
            if (!resolved) {
                unresolved++;
                unresolvedUsd += Math.max(0, r.worstUsd() - reportedUsd);
            } else if (reportedUsd > r.worstUsd()) {
                over++;
                overUsd += reportedUsd - r.worstUsd();
            }
            if (ledger != null) {
                toLedger(l -> {
                    l.end(r.number(), reportedUsd, resolved);
                    return 0;
                });
            }
        }
        settled.signalAll();
    }

    /** Counts a grading call's cost, once paid (grading calls are not reserved in advance). */
    void paid(String trialId, double usd) {
        lock.lock();
        try {
            reportedUsd += usd;
            graderUsd += usd;
            if (ledger != null) {
                toLedger(l -> {
                    l.grader(trialId, usd);
                    return 0;
                });
            }
            settled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One write to the ledger; a file that cannot be written ends the run (its spend could no longer be known). */
    @FunctionalInterface
    private interface LedgerWrite {
        long to(Ledger ledger) throws IOException;
    }

    private long toLedger(LedgerWrite write) {
        try {
            return write.to(ledger);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + ledger.path() + ": " + e.getMessage(), e);
        }
    }

    /** Closes the ledger, if any (once no attempt is in flight). */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (ledger != null) {
                ledger.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Spend as the servers reported it. */
    double spentUsd() {
        lock.lock();
        try {
            return reportedUsd;
        } finally {
            lock.unlock();
        }
    }

    /** Spend as counted against the cap: reported, plus attempts without usage at their worst case. */
    double countedUsd() {
        lock.lock();
        try {
            return counted();
        } finally {
            lock.unlock();
        }
    }

    private double counted() {
        return reportedUsd + unresolvedUsd;
    }

    /**
     * The line a run under {@code max_usd} ends with: what was reported spent against the cap, what
     * attempts without an answer may add (at their worst case), and — if the cap was passed — by how
     * much, which only attempts in flight that cost more than their worst case can do. Empty
     * without a cap.
     */
    Optional<String> summary() {
        lock.lock();
        try {
            return summaryLocked();
        } finally {
            lock.unlock();
        }
    }

    private Optional<String> summaryLocked() {
        if (spec.maxUsd() == null) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "budget: %s reported spent of max_usd %s",
                Ledger.usd(reportedUsd), Ledger.usd(spec.maxUsd())));
        if (unresolved + abandoned > 0) {
            s.append(String.format(Locale.ROOT, "; %s may also be billed for %s", Ledger.usd(unresolvedUsd),
                    attempts(unresolved, abandoned)));
        }
        double cap = spec.maxUsd();
        if (counted() > cap + 1e-12) {
            s.append(String.format(Locale.ROOT, "; %s passed by %s: ",
                    reportedUsd > cap + 1e-12 ? "the cap was" : "counting those, the cap may have been",
                    Ledger.usd(counted() - cap)));
            if (over > 0 || graderUsd == 0) {
                s.append(String.format(Locale.ROOT, "%d %s in flight cost %s more than reserved (at most %d were in "
                        + "flight at once; count_tokens and tool results are estimates)", over,
                        over == 1 ? "request" : "requests", Ledger.usd(overUsd), mostInFlight));
            }
            if (graderUsd > 0) {
                s.append(over > 0 ? ", and " : "").append(String.format(Locale.ROOT,
                        "grading calls, charged once paid and never reserved, cost %s", Ledger.usd(graderUsd)));
            }
        }
        return Optional.of(s.toString());
    }

    private static String attempts(int unresolved, int abandoned) {
        StringBuilder s = new StringBuilder();
        if (unresolved > 0) {
            s.append(unresolved).append(unresolved == 1 ? " attempt" : " attempts").append(" that got no usage back");
        }
        if (abandoned > 0) {
            s.append(unresolved > 0 ? " and " : "").append(abandoned).append(abandoned == 1 ? " attempt" : " attempts")
                    .append(" in flight when an earlier run was stopped");
        }
        return s.toString();
    }
}
