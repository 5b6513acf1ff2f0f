package dev.sonde.cli;

import dev.sonde.api.SecretMask;
import dev.sonde.history.Exported;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.HistoryStores;
import dev.sonde.history.RunQuery;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Fmt;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sonde export RUN_DIR… --format parquet} and {@code sonde export --store PATH [--suite S]
 * [--last N] [--since DATE] --format parquet}: the trials of finished runs, or of stored runs, as one
 * Parquet file (README "Parquet export"), through the optional history module. Run folders are
 * spooled to {@code java.io.tmpdir} (masked of the environment's keys, each folder under its run lock)
 * and the spools deleted after, whatever happens. One line on success: {@code export: N runs, M
 * trials → FILE (X MB)}; a refusal is one line and exit 2, and no file is written.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the trials of finished runs (RUN_DIR…) or of a history store's runs (--store) to one"
                + " Parquet file: one row per trial, the columns README's 'Parquet export' documents."},
        footer = {"", "Exit codes: 0 the file was written, 2 a folder that is not a finished run, a store this Sonde"
                + " cannot use, bad arguments, or no history module in this build."})
final class ExportCommand implements Callable<Integer> {
    /** The formats {@code --format} takes. */
    static final List<String> FORMATS = List.of("parquet");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..*", description = "Finished run folders (reports/runs/*).")
    List<Path> runDirs = new ArrayList<>();

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "parquet (the one format so far).")
    String format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "The file to write, replaced if present (default: reports/export-<UTC stamp>.parquet).")
    Path out;

    @Option(names = "--store", paramLabel = "PATH", description = "Export the runs of this history store instead of"
            + " RUN_DIR… (e.g. reports/history.duckdb).")
    Path store;

    @Option(names = "--suite", paramLabel = "SUITE", description = "With --store: that suite's runs only.")
    String suite;

    @Option(names = "--last", paramLabel = "N", description = "With --store: the newest N runs of those picked.")
    int last;

    @Option(names = "--since", paramLabel = "DATE",
            description = "With --store: runs started on or after DATE (2026-11-01, UTC midnight, or an ISO instant).")
    String since;

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "With --store: how long to wait while another program writes it (default: ${DEFAULT-VALUE}).")
    int waitSeconds = 30;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String refusal = refusal();
        if (refusal != null) {
            err.println("sonde export: " + refusal);
            return Main.BAD_INPUT;
        }
        HistoryStore history;
        switch (main.historyStore()) {
            case HistoryStores.Missing missing -> {
                err.println(missing.line("sonde export"));
                return Main.BAD_INPUT;
            }
            case HistoryStores.Found found -> history = found.store();
        }
        Path file = out != null ? out : Path.of("reports", "export-" + STAMP.format(Clock.system().now()) + ".parquet");
        try {
            Exported exported = store != null
                    ? history.exportParquet(store, new RunQuery(suite, null, null, sinceInstant(), last), file,
                            Duration.ofSeconds(waitSeconds))
                    : fromRunDirs(history, file);
            spec.commandLine().getOut().println("export: " + exported.runs() + (exported.runs() == 1 ? " run, " : " runs, ")
                    + exported.trials() + (exported.trials() == 1 ? " trial" : " trials") + " → " + exported.file() + " ("
                    + Fmt.fixed(exported.bytes() / 1e6, 2) + " MB)");
            return Main.PASSED;
        } catch (HistoryException e) {
            err.println("sonde " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    /** What is wrong with the arguments, in a phrase, or null. */
    private String refusal() {
        if (!FORMATS.contains(format)) {
            return "--format must be one of " + String.join(", ", FORMATS) + ", not '" + format + "'";
        }
        if ((store == null) == runDirs.isEmpty()) {
            return store == null ? "give RUN_DIR… to export, or --store PATH" : "give RUN_DIR… or --store PATH, not both";
        }
        if (store == null && (suite != null || last != 0 || since != null)) {
            return "--suite, --last and --since pick the runs of a --store";
        }
        if (last < 0) {
            return "--last must be 0 (all) or more, not " + last;
        }
        if (waitSeconds < 0) {
            return "--wait must be 0 or more seconds, not " + waitSeconds;
        }
        if (since != null && sinceInstant() == null) {
            return "--since must be a date (2026-11-01) or an ISO instant (2026-11-01T12:00:00Z), not '" + since + "'";
        }
        return null;
    }

    private Instant sinceInstant() {
        if (since == null) {
            return null;
        }
        try {
            return LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(since);
            } catch (DateTimeParseException notAnInstant) {
                return null;
            }
        }
    }

    /** Spools every folder (stopping at the first that is not a finished run), exports them, deletes the spools. */
    private Exported fromRunDirs(HistoryStore history, Path file) throws HistoryException {
        SecretMask mask = Main.keyMask(main.env(), Path.of(""));
        List<Path> spools = new ArrayList<>();
        try {
            for (Path runDir : runDirs) {
                Path spool;
                try {
                    spool = Files.createTempFile(".history-", ".jsonl");
                } catch (IOException e) {
                    throw new HistoryException("history: cannot write a spool in java.io.tmpdir ("
                            + System.getProperty("java.io.tmpdir") + "): " + e.getMessage());
                }
                spools.add(spool);
                HistoryCommand.spool(runDir, spool, mask, "export " + runDir);
            }
            return history.exportParquet(spools, file);
        } finally {
            for (Path spool : spools) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException ignored) {
                    // java.io.tmpdir's .history-*.jsonl older than an hour are swept by the next store open
                }
            }
        }
    }
}
