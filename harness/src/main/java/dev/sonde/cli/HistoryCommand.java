package dev.sonde.cli;

import dev.sonde.history.Added;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.HistoryStores;
import dev.sonde.history.RunSpool;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sonde history import RUN_DIR…}: adds finished runs to the run history store (a DuckDB file,
 * {@code reports/history.duckdb} by default) from the optional {@code sonde-history.jar}. One line
 * per run: imported, replaced (a run of the same id was there) or queued (another writer held the
 * store past the wait; the next writer imports it). Without the history module: one line saying
 * where Sonde looked, exit 2.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "The run history store: every finished run in one DuckDB file (needs sonde-history.jar).",
        subcommands = {HistoryCommand.Import.class, CommandLine.HelpCommand.class})
final class HistoryCommand implements Callable<Integer> {
    /** The store's default path, under the working directory. */
    static final Path DEFAULT_STORE = HistoryStores.DEFAULT_STORE;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.BAD_INPUT;
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Add finished runs (folders holding run.json, results.json and trials.jsonl) to the store.",
                "A run already in the store is replaced, never duplicated. One writer at a time: a second one waits,"
                    + " and past --wait it queues the run in the store's inbox (history.duckdb.inbox/ beside it), which the"
                    + " next writer imports first, or 'sonde history import --inbox'."},
            footer = {"", "Exit codes: 0 every run imported or queued, 2 a folder that is not a finished run, a store"
                    + " this Sonde cannot use, or no history module in this build."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        HistoryCommand parent;

        @Parameters(paramLabel = "RUN_DIR", arity = "0..*", description = "Finished run folders (reports/runs/*).")
        List<Path> runDirs = new ArrayList<>();

        @Option(names = "--inbox", description = "Import the runs queued in the store's inbox first (alone: only them).")
        boolean inbox;

        @Option(names = "--store", paramLabel = "PATH", description = "The store file (default: ${DEFAULT-VALUE}).")
        Path store = DEFAULT_STORE;

        @Option(names = "--wait", paramLabel = "SECONDS",
                description = "How long to wait for another writer before queueing (default: ${DEFAULT-VALUE}).")
        int waitSeconds = 30;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (waitSeconds < 0) {
                err.println("sonde: --wait must be 0 or more seconds, not " + waitSeconds);
                return Main.BAD_INPUT;
            }
            HistoryStore history;
            switch (parent.main.historyStore()) {
                case HistoryStores.Missing missing -> {
                    err.println(missing.line("sonde history"));
                    return Main.BAD_INPUT;
                }
                case HistoryStores.Found found -> history = found.store();
            }
            if (runDirs.isEmpty() && !inbox) {
                err.println("sonde history import: give RUN_DIR… to import, or --inbox to import the queued runs");
                return Main.BAD_INPUT;
            }
            Duration wait = Duration.ofSeconds(waitSeconds);
            try {
                if (inbox) {
                    print(out, history.importInbox(store, wait));
                    printQueued(out, history, true);
                }
            } catch (HistoryException e) {
                err.println("sonde " + e.getMessage());
                return Main.BAD_INPUT;
            }
            int exit = Main.PASSED;
            for (Path runDir : runDirs) {
                Path spool = null;
                try {
                    Path folder = store.toAbsolutePath().normalize().getParent();
                    spool = Files.createTempFile(Files.createDirectories(folder), ".history-", ".jsonl");
                    RunSpool.write(runDir, spool, Main.keyMask(parent.main.env(), Path.of("")));
                } catch (HistoryException e) {
                    err.println("sonde " + e.getMessage()); // this folder only; the others still go in
                    exit = Main.BAD_INPUT;
                    deleteQuietly(spool);
                    continue;
                } catch (IOException e) {
                    err.println("sonde history: cannot write beside " + store + ": " + e.getMessage());
                    deleteQuietly(spool);
                    return Main.BAD_INPUT;
                }
                try {
                    print(out, history.add(store, spool, wait));
                    printQueued(out, history, false);
                } catch (HistoryException e) {
                    err.println("sonde " + e.getMessage()); // the store refuses every run alike: stop
                    return Main.BAD_INPUT;
                } finally {
                    deleteQuietly(spool);
                }
            }
            return exit;
        }

        private static void print(PrintWriter out, List<Added> added) {
            for (Added a : added) {
                out.println(a.line());
            }
        }

        /** The runs left in the inbox: always after {@code --inbox}, after a run only when some wait. */
        private void printQueued(PrintWriter out, HistoryStore history, boolean always) throws HistoryException {
            int left = history.queued(store);
            if (left > 0 || always) {
                out.println("history: " + left + (left == 1 ? " run" : " runs") + " still queued in the inbox"
                        + (left > 0 ? "; 'sonde history import --inbox' imports them" : ""));
            }
        }

        private static void deleteQuietly(Path spool) {
            if (spool == null) {
                return;
            }
            try {
                Files.deleteIfExists(spool); // already gone when imported or queued
            } catch (IOException ignored) {
                // a temporary file left in the store's folder, named .history-*.jsonl
            }
        }
    }
}
