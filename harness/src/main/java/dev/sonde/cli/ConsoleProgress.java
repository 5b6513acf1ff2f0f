package dev.sonde.cli;

import dev.sonde.check.CheckResult;
import dev.sonde.run.TrialListener;
import dev.sonde.run.TrialResult;
import java.io.PrintWriter;
import java.util.Locale;

/** One line per finished trial on stderr, plus the first failing reason. Thread-safe. */
final class ConsoleProgress implements TrialListener {
    private final PrintWriter err;
    private final boolean quiet;

    ConsoleProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public synchronized void note(String line) {
        if (!quiet) {
            err.println("sonde: " + line);
            err.flush();
        }
    }

    @Override
    public synchronized void finished(TrialResult r, int done, int total) {
        if (quiet) {
            return;
        }
        int width = String.valueOf(total).length();
        String ttft = r.timings() == null || r.timings().ttftMs() == null ? "—"
                : String.format(Locale.ROOT, "%.0f ms", r.timings().ttftMs());
        err.printf(Locale.ROOT, "[%" + width + "d/%d] %-7s %s  ttft %s%s%n", done, total,
                r.status().toUpperCase(Locale.ROOT), r.displayName(), ttft,
                r.attempts() > 1 ? String.format(Locale.ROOT, "  (%d attempts, %.0f ms backoff)", r.attempts(), r.backoffMs())
                        : "");
        if (r.skipped() != null) {
            err.println("          " + r.skipped());
        } else if (r.error() != null) {
            err.println("          " + r.error().describe());
        } else {
            r.checks().stream().filter(c -> !c.pass()).findFirst()
                    .map(CheckResult::reason)
                    .ifPresent(reason -> err.println("          " + reason));
        }
        err.flush();
    }
}
