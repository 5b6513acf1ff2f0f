package dev.sonde.cli;

import dev.sonde.analysis.Failures;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Clock;
import dev.sonde.run.TrialListener;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Progress on stderr. Every failed, errored or not evaluated trial gets a line with its reason as
 * it happens. Skipped trials do not: a skip nearly always comes from a stop (key rejected, budget
 * spent, a signal), whose reason all the trials after it share, so they are counted by reason
 * ({@link #skipped()}) and the command prints one line per reason when the run ends. Beyond that, on a terminal, a single redrawn status line (bar, done/total,
 * rate, ETA, spend, errors) once the run has lasted {@value #TTY_AFTER_MILLIS} ms, at most every
 * {@value #TTY_EVERY_MILLIS} ms; without a terminal (CI logs), a short status line at most every
 * {@value #LOG_EVERY_MILLIS} ms and one at the end. Time comes from the injected clock.
 * Thread-safe.
 */
final class ConsoleProgress implements TrialListener {
    static final long TTY_AFTER_MILLIS = 2_000;
    static final long TTY_EVERY_MILLIS = 100;
    static final long LOG_EVERY_MILLIS = 5_000;
    private static final int BAR = 24;

    private final PrintWriter err;
    private boolean quiet;
    private final boolean tty;
    private final Clock clock;
    private final long startNanos;
    private long lastStatusNanos;
    private boolean barShown;
    private double spentUsd;
    private int errors;
    private int failures;
    private final Map<String, Integer> skipped = new LinkedHashMap<>();

    ConsoleProgress(PrintWriter err, boolean quiet, boolean tty, Clock clock) {
        this.err = err;
        this.quiet = quiet;
        this.tty = tty;
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        this.lastStatusNanos = startNanos;
    }

    /**
     * From now on prints nothing (a signal is stopping the run, which ends with one line of its own,
     * not a line per skipped trial); a status bar on the terminal is cleared.
     */
    synchronized void silence() {
        clearBar();
        err.flush();
        quiet = true;
    }

    @Override
    public synchronized void note(String line) {
        if (!quiet) {
            clearBar();
            err.println("sonde: " + line);
            err.flush();
        }
    }

    /** Printed even with {@code --quiet}: the live-run banner is a safety line, not progress. */
    @Override
    public synchronized void announce(String line) {
        clearBar();
        err.println("sonde: " + line);
        err.flush();
    }

    @Override
    public synchronized void finished(TrialResult r, int done, int total) {
        if (r.costUsd() != null) {
            spentUsd += r.costUsd();
        }
        if (r.skipped() != null) {
            skipped.merge(r.skipped(), 1, Integer::sum);
        } else if (r.error() != null) {
            errors++;
        } else if (!r.pass() && !r.notEvaluated()) {
            failures++;
        }
        if (quiet) {
            return;
        }
        String why = r.skipped() != null ? null : reason(r);
        if (why != null) {
            clearBar();
            err.printf(Locale.ROOT, "%-7s %s: %s%n", r.status().toUpperCase(Locale.ROOT), r.displayName(), why);
        }
        long now = clock.nanoTime();
        long sinceStart = (now - startNanos) / 1_000_000;
        long sinceStatus = (now - lastStatusNanos) / 1_000_000;
        if (tty) {
            if ((sinceStart >= TTY_AFTER_MILLIS && sinceStatus >= TTY_EVERY_MILLIS) || (barShown && done == total)) {
                err.print("\r" + status(done, total, now, true) + "\u001b[K");
                barShown = true;
                lastStatusNanos = now;
                if (done == total) {
                    err.println();
                    barShown = false;
                }
            }
        } else if (sinceStatus >= LOG_EVERY_MILLIS || (done == total && sinceStart >= LOG_EVERY_MILLIS)) {
            err.println(status(done, total, now, false));
            lastStatusNanos = now;
        }
        err.flush();
    }

    /**
     * The trials skipped so far, by the reason journaled with them, in the order the reasons first
     * came (a stop's reason, and a budget's own words for the trial it refused first).
     */
    synchronized Map<String, Integer> skipped() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }

    private void clearBar() {
        if (barShown) {
            err.print("\r\u001b[K");
            barShown = false;
        }
    }

    /** {@code [=====>      ] 120/400 30%  35.2/s  ETA 8 s  $0.0123  2 errored, 1 failed}. */
    String status(int done, int total, long now, boolean bar) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = done / seconds;
        StringBuilder sb = new StringBuilder();
        if (bar) {
            int filled = total == 0 ? BAR : (int) ((long) BAR * done / total);
            sb.append('[').append("=".repeat(filled)).append(filled < BAR ? ">" : "")
                    .append(" ".repeat(Math.max(0, BAR - filled - 1))).append("] ");
        } else {
            sb.append("progress: ");
        }
        sb.append(String.format(Locale.ROOT, "%d/%d %d%%  %.1f/s", done, total, total == 0 ? 100 : 100L * done / total, rate));
        if (done < total && rate > 0) {
            sb.append(String.format(Locale.ROOT, "  ETA %.0f s", (total - done) / rate));
        }
        sb.append(String.format(Locale.ROOT, "  $%.4f", spentUsd));
        if (errors > 0 || failures > 0) {
            sb.append(String.format(Locale.ROOT, "  %d errored, %d failed", errors, failures));
        }
        return sb.toString();
    }

    private static String reason(TrialResult r) {
        if (r.error() != null) { // attempts = 1 + retries; a tool loop's turns are not attempts
            return r.error().describe() + (r.attempts() > 1 ? " (after " + r.attempts() + " attempts)" : "");
        }
        if (r.notEvaluated()) {
            return Failures.why(r);
        }
        return r.checks().stream().filter(c -> !c.pass() && c.applicable()).findFirst().map(CheckResult::reason)
                .orElse(null);
    }
}
