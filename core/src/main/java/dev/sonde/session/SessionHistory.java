package dev.sonde.session;

import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.TrialFold;
import dev.sonde.api.SecretMask;
import dev.sonde.history.Added;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.HistoryStores;
import dev.sonde.history.RunSpool;
import dev.sonde.run.RunStop;
import dev.sonde.suite.HistorySpec;
import dev.sonde.suite.Suite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run that adds itself to the run history store ({@code --history}, {@code history:}). The store is
 * found before anything is sent ({@link #resolve}); during the run the trial rows go to a hidden part
 * file of the run folder ({@value #TRIAL_PART}) from the run's one pass ({@link #begin}); once the
 * outputs are written, the head rows and that part become the run's spool ({@value #SPOOL}), which the
 * store takes over ({@link #add}). The journal is never read for it, but for a run that stopped early,
 * whose spool is made from its folder as {@code sonde history import} makes it ({@link #addStopped}).
 * The add never fails the run:
 * whatever happens is a {@link HistoryResult}. Not thread-safe: one run uses it.
 */
final class SessionHistory {
    /** The trial rows of a run in progress, in its folder; a resumed run rebuilds it from its whole pass. */
    static final String TRIAL_PART = ".history-trials.jsonl";
    /** The run's rows, head first, handed to the store; kept in the run folder when the store cannot take it. */
    static final String SPOOL = ".history-run.jsonl";

    private final HistoryStore store;
    private final Path storeFile;
    private final Path shown;
    private final Duration wait;
    private RunSpool.TrialPart part;

    private SessionHistory(HistoryStore store, Path storeFile, Path workDir, Duration wait) {
        this.store = store;
        this.storeFile = storeFile;
        Path base = workDir.toAbsolutePath().normalize();
        Path absolute = storeFile.toAbsolutePath().normalize();
        this.shown = absolute.startsWith(base) ? base.relativize(absolute) : storeFile;
        this.wait = wait;
    }

    /**
     * The history of this run, or null when it adds itself to none: {@code setting} over the suite's
     * {@code history:}. Before anything is sent: a benchmark, a store path that is a folder, and a build
     * without the history module are refused in one line (exit 2).
     */
    static SessionHistory resolve(SuiteSession.Options options, Suite suite) throws SuiteSession.SetupException {
        HistorySetting setting = options.history();
        HistorySpec spec = suite.history();
        boolean on = setting.choice() == HistorySetting.Choice.ON;
        if (setting.choice() == HistorySetting.Choice.OFF || !on && spec == null) {
            return null;
        }
        if (on && suite.load() != null) { // the suite's own history: is refused with load: when it loads
            throw new SuiteSession.SetupException(SuiteSession.SetupException.BAD_INPUT, "--history: a benchmark "
                    + "(load:) is not recorded in the run history store, which holds evaluations");
        }
        Path file = on && setting.store() != null ? options.workDir().resolve(setting.store())
                : spec != null ? spec.store() : null;
        Path storeFile = (file != null ? file : options.workDir().resolve(HistoryStores.DEFAULT_STORE)).normalize();
        if (Files.isDirectory(storeFile)) {
            throw new SuiteSession.SetupException(SuiteSession.SetupException.BAD_INPUT, "history: " + storeFile
                    + " is a folder: name the store file (e.g. " + storeFile.resolve("history.duckdb") + ")");
        }
        return switch (HistoryStores.find(options.env())) {
            case HistoryStores.Missing missing -> throw new SuiteSession.SetupException(
                    SuiteSession.SetupException.BAD_INPUT, missing.line("--history"));
            case HistoryStores.Found found -> new SessionHistory(found.store(), storeFile, options.workDir(),
                    setting.lockWait());
        };
    }

    /** Begins the trial part in {@code outDir}: the fold to give the run's one pass. */
    TrialFold begin(Path outDir, SecretMask mask) throws IOException {
        part = RunSpool.trialPart(outDir.resolve(TRIAL_PART), mask);
        // the store's first start (DuckDB's native library, ~0.3 s) while the requests run, not after them
        Thread.ofPlatform().daemon().name("sonde-history-prepare").start(store::prepare);
        return part;
    }

    /** {@code folds} with the trial part's fold after them. */
    List<TrialFold> with(List<TrialFold> folds) {
        List<TrialFold> all = new ArrayList<>(folds);
        all.add(part);
        return all;
    }

    /** The run did not finish: its trial part is dropped (a resumed run writes it again). */
    void abort() {
        if (part == null) {
            return;
        }
        try {
            part.close();
            Files.deleteIfExists(part.file());
        } catch (IOException ignored) {
            // a hidden file left in the run folder; the next run or resume replaces it
        }
    }

    /**
     * Adds the finished run in {@code outDir}, whose outputs are written, to the store: its head rows
     * and its trial part as one spool, then {@link HistoryStore#add}. Never throws.
     *
     * @param read the run's pass: when the trial part failed in it, the run is not recorded
     * @param stop a stop asked while the add waits for the store ends the wait ({@link #toStore}); null
     *     when the wait is to run its course (a stop asked before the run ended)
     */
    HistoryResult add(Path outDir, SecretMask mask, JournalPass.Result read, RunStop stop) {
        Path spool = outDir.resolve(SPOOL);
        try {
            part.close();
            for (JournalPass.Failure f : read.failures()) {
                if (f.fold() == part) {
                    throw new HistoryException("history: " + part.file() + ": " + oneLine(f.cause()));
                }
            }
            RunSpool.write(outDir, spool, mask, part);
            Files.deleteIfExists(part.file());
        } catch (HistoryException | IOException e) {
            return notRecorded(mask, e, "the run is kept in " + outDir + "; " + later(outDir));
        }
        return toStore(outDir, spool, mask, stop);
    }

    /**
     * Adds the run in {@code outDir} that stopped before its plan ended, whose partial outputs are
     * written ({@code results.json} with its {@code stopped_by}), as {@code sonde history import}
     * would: its spool is made from the folder (the run's live trial part was dropped), so both
     * record the same rows. Never throws.
     */
    HistoryResult addStopped(Path outDir, SecretMask mask, RunStop stop) {
        abort();
        Path spool = outDir.resolve(SPOOL);
        try {
            RunSpool.write(outDir, spool, mask);
        } catch (HistoryException e) {
            return notRecorded(mask, e, "the run is kept in " + outDir + "; " + later(outDir));
        }
        return toStore(outDir, spool, mask, stop);
    }

    /**
     * Hands {@code spool} to the store. A {@code stop} asked while this waits (Ctrl-C during {@code
     * --history-wait}), or already asked, interrupts the wait: the store then leaves the spool where
     * it was and the line says so. Null {@code stop} lets the wait run out. The interrupt is cleared
     * before this returns.
     */
    private HistoryResult toStore(Path outDir, Path spool, SecretMask mask, RunStop stop) {
        WaitStop waitStop = new WaitStop();
        try (RunStop.Attached attached = stop == null ? null : stop.onRequest(waitStop)) {
            List<Added> added = store.add(storeFile, spool, wait);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < added.size(); i++) {
                Added a = added.get(i);
                boolean mine = i == added.size() - 1;
                lines.add(mine && a instanceof Added.Imported ? a.line() + " into " + shown : a.line());
            }
            return new HistoryResult(true, lines);
        } catch (HistoryException | RuntimeException | LinkageError e) {
            // the store's refusal names where it left the spool (as it was, or in its inbox): said once
            String why = oneLine(e);
            boolean placed = why.contains(spool.toString()) || why.contains(" kept in ");
            String kept = placed ? "" : Files.exists(spool) ? "the run is kept in " + spool + "; "
                    : "the spool is gone ('sonde history runs --store " + shown + "' shows whether the store took"
                            + " it); ";
            return notRecorded(mask, e, kept + later(outDir));
        } finally {
            waitStop.end();
        }
    }

    /**
     * A stop's action during the add: interrupts the adding thread (the store's wait for its lock ends),
     * never once the add has ended ({@link #end}, on the adding thread, clears the interrupt: the stop is
     * the caller's to see through {@link RunStop#requested}). Thread-safe.
     */
    private static final class WaitStop implements Consumer<String> {
        private final Thread adding = Thread.currentThread();
        private boolean ended;

        @Override
        public synchronized void accept(String why) {
            if (!ended) {
                adding.interrupt();
            }
        }

        synchronized void end() {
            ended = true;
            Thread.interrupted();
        }
    }

    private static String later(Path outDir) {
        return "add it later with 'sonde history import " + outDir + "'";
    }

    private static HistoryResult notRecorded(SecretMask mask, Throwable cause, String kept) {
        String why = mask.mask(oneLine(cause));
        if (why.startsWith("history: ")) {
            why = why.substring("history: ".length());
        }
        return new HistoryResult(false, List.of("history: NOT recorded: " + why + "; " + kept));
    }

    private static String oneLine(Throwable e) {
        Throwable shown = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        return message.replaceAll("\\s+", " ");
    }
}
