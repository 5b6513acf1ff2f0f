package dev.sonde.cli;

import dev.sonde.api.SecretMask;
import dev.sonde.history.Added;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.HistoryStores;
import dev.sonde.history.Pruned;
import dev.sonde.history.RunQuery;
import dev.sonde.history.RunSpool;
import dev.sonde.history.Trend;
import dev.sonde.journal.RunLock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sonde history import RUN_DIR…}, {@code trend} and {@code runs}. Import adds finished runs
 * to the run history store (a DuckDB file, {@code reports/history.duckdb} by default) from the
 * optional {@code sonde-history.jar}. One line per run: imported, replaced (a run of the same id was
 * there) or queued (another writer held the store past the wait; the next writer imports it).
 * Without the history module: one line saying where Sonde looked, exit 2. Trend and runs read the
 * store read-only and print a table for CI logs or one JSON document ({@link HistoryConsole}).
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "The run history store: every finished run in one DuckDB file (needs sonde-history.jar).",
        subcommands = {HistoryCommand.Import.class, HistoryCommand.TrendCommand.class, HistoryCommand.RunsCommand.class,
            HistoryCommand.Prune.class, CommandLine.HelpCommand.class})
final class HistoryCommand implements Callable<Integer> {
    /** The store's default path, under the working directory. */
    /** The end of a refusal's line naming spools it left in place: the import's own temporary copies. */
    private static final Pattern KEPT =
            Pattern.compile("; (the spool .* is left as it was|\\d+ spools are left as they were, the first .*)$");
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
            footer = {"", "Exit codes: 0 every run imported or queued, 2 a folder that is not a finished run, a run"
                    + " the store refused (kept in the inbox as <run_id>.jsonl.damaged; the others still go in), a"
                    + " store this Sonde cannot use (a line names the folders not imported), or no history module in"
                    + " this build. A folder named twice is imported once."})
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
            // every folder spooled first, then added in one call: one lock and one connection for all
            int exit = Main.PASSED;
            List<Path> spools = new ArrayList<>();
            Map<Path, Path> folderOf = new LinkedHashMap<>(); // spool → the RUN_DIR it holds
            Map<Path, String> runIdOf = new LinkedHashMap<>(); // RUN_DIR → its run id, once spooled
            Set<String> stored = new HashSet<>(); // run ids imported or queued by this call
            List<Path> folders = distinct(runDirs);
            try {
                SecretMask mask = Main.keyMask(parent.main.env(), Path.of(""));
                Path folder = Files.createDirectories(store.toAbsolutePath().normalize().getParent());
                // the folders are read on every core (a folder is ~10 ms of parsing), their lines kept in order
                List<Future<RunSpool.Spooled>> read = new ArrayList<>();
                int threads = Math.max(1, Math.min(folders.size(), Runtime.getRuntime().availableProcessors()));
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try {
                    for (Path runDir : folders) { // distinct: no two threads take one folder's run lock
                        Path spool = Files.createTempFile(folder, ".history-", ".jsonl");
                        spools.add(spool);
                        folderOf.put(spool, runDir);
                        read.add(pool.submit(() -> spool(runDir, spool, mask, "import " + runDir)));
                    }
                } finally {
                    pool.shutdown();
                }
                List<Path> ready = new ArrayList<>();
                for (Future<RunSpool.Spooled> f : read) {
                    try {
                        RunSpool.Spooled spooled = f.get();
                        ready.add(spooled.file());
                        runIdOf.put(folderOf.get(spooled.file()), spooled.runId());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof HistoryException h)) {
                            throw new IllegalStateException(e.getCause());
                        }
                        err.println("sonde " + h.getMessage()); // this folder only; the others still go in
                        exit = Main.BAD_INPUT;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        err.println("sonde history: interrupted");
                        return Main.BAD_INPUT;
                    }
                }
                if (!ready.isEmpty()) { // every spool made, imported or not, is deleted below
                    history.add(store, ready, wait, added -> {
                        if (added instanceof Added.Imported || added instanceof Added.Queued) {
                            stored.add(added.runId());
                        }
                        out.println(added.line());
                    });
                    printQueued(out, history, false);
                }
            } catch (IOException e) {
                err.println("sonde history: cannot write beside " + store + ": " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (HistoryException e) {
                // the store refuses every run alike: stop; the spools it left are only copies of the folders
                err.println("sonde " + KEPT.matcher(e.getMessage()).replaceFirst(""));
                notImported(err, runIdOf, stored);
                return Main.BAD_INPUT;
            } finally {
                spools.forEach(Import::deleteQuietly);
            }
            return notImported(err, runIdOf, stored) ? Main.BAD_INPUT : exit;
        }

        /** {@code dirs} without a folder named twice (by its real path), the first naming kept, in order. */
        static List<Path> distinct(List<Path> dirs) {
            Map<Path, Path> byRealPath = new LinkedHashMap<>();
            for (Path dir : dirs) {
                Path real;
                try {
                    real = dir.toRealPath();
                } catch (IOException e) {
                    real = dir.toAbsolutePath().normalize(); // not there: spooling it says so in its own line
                }
                byRealPath.putIfAbsent(real, dir);
            }
            return List.copyOf(byRealPath.values());
        }

        /** One line naming the spooled folders the store neither imported nor queued; true when any. */
        private static boolean notImported(PrintWriter err, Map<Path, String> runIdOf, Set<String> stored) {
            List<String> left = runIdOf.entrySet().stream().filter(e -> !stored.contains(e.getValue()))
                    .map(e -> e.getKey().toString()).toList();
            if (left.isEmpty()) {
                return false;
            }
            err.println("sonde history: not imported: " + String.join(", ", left));
            return true;
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

    /** The store of this build, or null once the line saying why there is none is printed. */
    private HistoryStore storeOrSay(PrintWriter err) {
        return switch (main.historyStore()) {
            case HistoryStores.Missing missing -> {
                err.println(missing.line("sonde history"));
                yield null;
            }
            case HistoryStores.Found found -> found.store();
        };
    }

    /** The suites the store holds runs of, sorted. */
    private static List<String> suites(HistoryStore history, Path file, Duration wait) throws HistoryException {
        return history.runs(file, RunQuery.ALL, wait).stream().map(r -> r.run().suite()).distinct().sorted().toList();
    }

    /** One line for a store file that is not there; reads never create one. */
    private static String noStore(Path file) {
        return "sonde history: no store at " + file + " (add runs with 'sonde history import RUN_DIR…', or name the"
                + " store with --store)";
    }

    @Command(name = "trend", mixinStandardHelpOptions = true,
            description = {"One suite's figures over its last runs, oldest first: a table for CI logs, or --json.",
                "The first line says how many runs are shown of how many the store holds and since when, so a CI"
                    + " cache that lost runs is seen: 'history: 30 of 41 runs of regression since 2026-11-02'.",
                "Columns: run started (UTC), commit (7 characters, + with local changes), verdict (with ', gates fail'"
                    + " when the baseline failed, ', shard K/N' or ', part' with --shards, ', merge missing shards', and"
                    + " ', stopped: WHY' when the run stopped early), pass rate,"
                    + " TTFT p95, E2E p95, cost/trial, cache hit: the figures results.json reported."},
            footer = {"", "--json prints one document: {suite, model, store, runs_shown, runs_in_store,"
                    + " first_in_store, shards_left_out, points: [{run_id, started_at, git_commit, dirty, verdict, baseline_verdict,"
                    + " stopped_by, trials, passed, failed, errored, pass_rate, ttft_p95_ms, e2e_p95_ms,"
                    + " cost_per_trial_usd, cache_hit_ratio, cost_usd, run_dir, gates: [{name, subject, outcome,"
                    + " value, limit_value, observed, threshold, reason}], shard_k, shard_n, merged_partial, part}]};"
                    + " numbers are numbers, a figure the run"
                    + " did not have is null, times are ISO-8601 UTC.",
                "", "Exit codes: 0 the trend printed, 2 no store file, no runs of the suite (the line names the"
                    + " suites it has), several suites and no --suite, or no history module in this build;"
                    + " 3 another program held the store past --wait."})
    static final class TrendCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        HistoryCommand parent;

        @Option(names = "--suite", paramLabel = "NAME",
                description = "The suite (default: the store's only suite).")
        String suite;

        @Option(names = "--model", paramLabel = "LABEL", description = "One model's figures (its id in the suite).")
        String model;

        @Mixin
        ReadOptions read;

        @Option(names = "--shards", description = "Show runs of one shard of a split plan and runs of a selected part"
                + " (--only, a test engine's filter) too (left out by default: their figures cover part of the suite).")
        boolean shards;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (read.refused("sonde history trend", err)) {
                return Main.BAD_INPUT;
            }
            HistoryStore history = parent.storeOrSay(err);
            if (history == null) {
                return Main.BAD_INPUT;
            }
            Path file = read.store.toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                err.println(noStore(file));
                return Main.BAD_INPUT;
            }
            Duration wait = Duration.ofSeconds(read.waitSeconds);
            try {
                String name = suite;
                if (name == null) {
                    List<String> suites = suites(history, file, wait);
                    if (suites.size() != 1) {
                        err.println(suites.isEmpty() ? "sonde history: " + file + " holds no runs"
                                : "sonde history trend: " + file + " holds runs of " + suites.size() + " suites ("
                                        + String.join(", ", suites) + "); pick one with --suite");
                        return Main.BAD_INPUT;
                    }
                    name = suites.get(0);
                }
                Trend trend = history.trend(file, name, model, read.last, shards, wait);
                if (trend.points().isEmpty()) {
                    List<String> suites = suites(history, file, wait);
                    err.println("sonde history: no runs of " + name + (model == null ? "" : " with model " + model)
                            + " in " + file + (suites.isEmpty() ? "; it holds no runs"
                                    : "; it holds runs of " + String.join(", ", suites)));
                    return Main.BAD_INPUT;
                }
                if (read.json) {
                    out.println(HistoryConsole.trendJson(trend, file));
                } else {
                    HistoryConsole.trendLines(trend).forEach(out::println);
                }
                return Main.PASSED;
            } catch (HistoryException e) {
                err.println("sonde " + e.getMessage());
                return e.busy() ? Main.CANNOT_PROCEED : Main.BAD_INPUT;
            } catch (IOException e) {
                err.println("sonde history trend: cannot write the JSON document: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true,
            description = {"The runs the store holds, oldest first: a table for CI logs, or --json.",
                "Columns: run id, started (UTC), commit (7 characters, + with local changes), verdict (as in"
                    + " 'sonde history trend', with ', part' for a run of a selection), trials stored."},
            footer = {"", "--json prints one document: {store, runs_matching, runs_shown, runs: [{run_id, suite,"
                    + " suite_file, started_at, finished_at, wall_ms, endpoint, live, git_commit, dirty, sonde_version,"
                    + " java_version, pricing_version, plan_hash, timing_origin, shard_k, shard_n, merged_partial,"
                    + " repeat, trials_planned, verdict, baseline_verdict, stopped_by, run_dir, part, trials}]}.",
                "", "Exit codes: 0 the list printed (also when no run matches), 2 no store file, a bad filter, or no"
                    + " history module in this build."})
    static final class RunsCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        HistoryCommand parent;

        @Option(names = "--suite", paramLabel = "NAME", description = "Runs of this suite only.")
        String suite;

        @Option(names = "--verdict", paramLabel = "VERDICT", description = "pass, compared, fail or partial.")
        String verdict;

        @Option(names = "--commit", paramLabel = "PREFIX", description = "Runs of commits starting with these hex digits (4 or more).")
        String commit;

        @Option(names = "--since", paramLabel = "DATE",
                description = "Runs started on or after this UTC day (2026-11-02) or instant (2026-11-02T08:00:00Z).")
        String since;

        @Mixin
        ReadOptions read;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (read.refused("sonde history runs", err)) {
                return Main.BAD_INPUT;
            }
            Instant from;
            try {
                from = since == null ? null : since.contains("T") ? Instant.parse(since)
                        : LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                err.println("sonde history runs: --since takes a UTC day (2026-11-02) or an instant"
                        + " (2026-11-02T08:00:00Z), not '" + since + "'");
                return Main.BAD_INPUT;
            }
            HistoryStore history = parent.storeOrSay(err);
            if (history == null) {
                return Main.BAD_INPUT;
            }
            Path file = read.store.toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                err.println(noStore(file));
                return Main.BAD_INPUT;
            }
            try {
                List<HistoryStore.StoredRun> matching = history.runs(file,
                        new RunQuery(suite, verdict, commit, from, 0), Duration.ofSeconds(read.waitSeconds));
                List<HistoryStore.StoredRun> shown = read.last == 0 || matching.size() <= read.last ? matching
                        : matching.subList(matching.size() - read.last, matching.size());
                boolean filtered = suite != null || verdict != null || commit != null || from != null;
                if (read.json) {
                    out.println(HistoryConsole.runsJson(shown, matching.size(), file));
                } else if (matching.isEmpty()) {
                    out.println("history: no run in " + file + (filtered ? " matches" : ""));
                } else {
                    HistoryConsole.runsLines(shown, matching.size(), matching.get(0).run().startedAt(), filtered,
                            file).forEach(out::println);
                }
                return Main.PASSED;
            } catch (HistoryException e) {
                err.println("sonde " + e.getMessage());
                return e.busy() ? Main.CANNOT_PROCEED : Main.BAD_INPUT;
            } catch (IOException e) {
                err.println("sonde history runs: cannot write the JSON document: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
    }

    /** The options every read of the store takes: how many runs, which store, how long to wait, JSON or a table. */
    static final class ReadOptions {
        @Option(names = "--last", paramLabel = "N", description = "The newest N runs, 0 for all (default: ${DEFAULT-VALUE}).")
        int last = 30;

        @Option(names = "--store", paramLabel = "PATH", description = "The store file (default: ${DEFAULT-VALUE}).")
        Path store = DEFAULT_STORE;

        @Option(names = "--wait", paramLabel = "SECONDS",
                description = "How long to wait while another program writes the store (default: ${DEFAULT-VALUE}).")
        int waitSeconds = 30;

        @Option(names = "--json", description = "One JSON document instead of the table.")
        boolean json;

        /** Says in one line on {@code err} what is wrong with a negative count or wait; false when nothing is. */
        boolean refused(String command, PrintWriter err) {
            if (last >= 0 && waitSeconds >= 0) {
                return false;
            }
            err.println(command + ": " + (last < 0 ? "--last must be 0 (all) or more, not " + last
                    : "--wait must be 0 or more seconds, not " + waitSeconds));
            return true;
        }
    }

    /**
     * Spools the finished run in {@code runDir} holding its run lock ({@code journal/RunLock}), so a
     * folder that a {@code --resume} or a report is writing is never read half-written; a folder this
     * process cannot write is read without it (no command of this user can be writing it either).
     *
     * @param what how a refusal names the command, e.g. {@code import DIR}
     * @throws HistoryException not a finished run, or another sonde process holds it (one line)
     */
    static RunSpool.Spooled spool(Path runDir, Path spool, SecretMask mask, String what) throws HistoryException {
        if (!Files.isRegularFile(runDir.resolve("results.json")) || !Files.isWritable(runDir)) {
            return RunSpool.write(runDir, spool, mask); // not a finished run: its own line
        }
        try (RunLock lock = RunLock.acquire(runDir, what)) {
            return RunSpool.write(runDir, spool, mask);
        } catch (RunLock.Held | IOException e) {
            throw new HistoryException("history: " + e.getMessage());
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = {"Delete the stored outputs of every run but the newest N of each suite. Trials, checks,"
                    + " figures and output hashes stay, so diffs still tell changed outputs apart; a pruned run says"
                    + " so. A writer: waits for another writer up to --wait, then changes nothing."},
            footer = {"", "Exit codes: 0 pruned (or nothing to prune), 2 bad arguments, no store, a store this Sonde"
                    + " cannot use, or no history module in this build, 3 the store stayed busy past --wait."})
    static final class Prune implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        HistoryCommand parent;

        @Option(names = "--keep-outputs", required = true, paramLabel = "N",
                description = "Keep the outputs of the newest N runs of each suite (0: of none).")
        int keep;

        @Option(names = "--store", paramLabel = "PATH", description = "The store file (default: ${DEFAULT-VALUE}).")
        Path store = DEFAULT_STORE;

        @Option(names = "--wait", paramLabel = "SECONDS",
                description = "How long to wait for another writer (default: ${DEFAULT-VALUE}).")
        int waitSeconds = 30;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (keep < 0 || waitSeconds < 0) {
                err.println("sonde history prune: " + (keep < 0 ? "--keep-outputs must be 0 or more, not " + keep
                        : "--wait must be 0 or more seconds, not " + waitSeconds));
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
            try {
                Pruned pruned = history.prune(store, keep, Duration.ofSeconds(waitSeconds));
                if (pruned.busy()) {
                    err.println("sonde history: " + store + " was held by another writer for " + waitSeconds
                            + " s; nothing pruned, try again when it ends");
                    return Main.CANNOT_PROCEED;
                }
                spec.commandLine().getOut().println("history: deleted " + pruned.outputsDeleted() + " outputs of "
                        + pruned.runsPruned() + (pruned.runsPruned() == 1 ? " run" : " runs") + "; the outputs of "
                        + pruned.runsKept() + (pruned.runsKept() == 1 ? " run are" : " runs are")
                        + " kept (the newest " + keep + " of each suite)");
                return Main.PASSED;
            } catch (HistoryException e) {
                err.println("sonde " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
    }
}
