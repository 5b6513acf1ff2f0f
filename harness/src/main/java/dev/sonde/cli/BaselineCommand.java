package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.baseline.BaselineFile;
import dev.sonde.baseline.Baselines;
import dev.sonde.baseline.BenchmarkBaseline;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.journal.Journal;
import dev.sonde.journal.JournalDamage;
import dev.sonde.journal.RunInfo;
import dev.sonde.run.RunResult;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code sonde baseline accept RUN_DIR… [--append] [--out FILE]}: makes finished runs the baseline
 * their suite compares against — one run, or several (a baseline that knows its own run-to-run
 * spread); {@code --append} adds them to the runs the file already holds. The file defaults to the
 * suite's {@code baseline.file} (the suite is found through the first run's {@code results.json}),
 * else {@code reports/baselines/<suite>.json} beside the suite's folder. Exit 0 when written, 2
 * when a RUN_DIR is not a finished run, the suite is invalid or the runs cannot be one baseline
 * (another suite or plan, a shard, a run twice), 3 when the file cannot be written. Runs whose
 * trials did not all pass are accepted with a warning: their failures become the baseline's. A
 * benchmark run ({@code results.json} of {@code kind: benchmark}) makes a benchmark baseline
 * ({@link BenchmarkBaseline}: per step its latency samples and goodput counts, and the load it
 * ran); one baseline holds runs of one kind and, for benchmarks, of one load.
 */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Manage committed baselines (reports/baselines/<suite>.json).",
        subcommands = {BaselineCommand.Accept.class, CommandLine.HelpCommand.class})
final class BaselineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.BAD_INPUT;
    }

    @Command(name = "accept", mixinStandardHelpOptions = true,
            description = "Write the runs in RUN_DIR… as their suite's baseline (several runs: the comparison"
                    + " also resamples them, so the baseline's own run-to-run spread widens the latency interval)."
                    + " A benchmark run (load:) makes a benchmark baseline: per step its latency samples and goodput"
                    + " counts, and the load it ran.",
            footer = {"", "Exit codes: 0 written, 2 a RUN_DIR is not a finished run or its journal is damaged, or the"
                    + " runs cannot be one baseline (another suite, plan or load, or runs of both kinds), 3 the file could not be"
                    + " written."})
    static final class Accept implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RUN_DIR", arity = "1..*",
                description = "Run output folders (each holds results.json and trials.jsonl), oldest first.")
        List<Path> runDirs;

        @Option(names = "--append", description = "Add the runs to those the baseline file already holds (at most "
                + BaselineFile.MAX_RUNS + " in all).")
        boolean append;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Baseline file to write (default: the suite's baseline.file, "
                        + "else reports/baselines/<suite>.json).")
        Path out;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            List<RunResult> runs = new ArrayList<>();
            List<Baselines.BenchmarkRun> benchmarks = new ArrayList<>();
            try {
                for (Path dir : runDirs) {
                    if (isBenchmark(dir)) {
                        benchmarks.add(loadBenchmark(dir));
                    } else {
                        runs.add(load(dir));
                    }
                }
            } catch (IOException e) {
                err.println("sonde: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            if (!benchmarks.isEmpty() && !runs.isEmpty()) {
                err.println("sonde: " + runs.get(0).outDir() + " is an evaluation and " + benchmarks.get(0).journal()
                        .getParent() + " a benchmark: one baseline holds runs of one kind");
                return Main.BAD_INPUT;
            }
            if (!benchmarks.isEmpty()) {
                return acceptBenchmarks(benchmarks, out, append, stdout, err);
            }
            Path file;
            try {
                file = out != null ? out : defaultFile(runs.get(0).info());
            } catch (SuiteException e) {
                err.println(e.getMessage());
                return Main.BAD_INPUT;
            }
            try {
                BaselineFile b = Baselines.accept(runs, file, append);
                stdout.println("baseline: " + file.toAbsolutePath().normalize() + " (" + b.trials().size() + " trials, "
                        + b.models().size() + " models, " + fromRuns(b.runs(), runs.get(0).info().runId()) + ")");
                int first = b.runCount() - runs.size(); // the runs accepted now are the file's last ones
                long notPassed = b.trials().values().stream()
                        .filter(t -> t.runIndex() >= first && !t.pass() && !t.notEvaluated()).count();
                if (notPassed > 0) {
                    err.println("sonde: warning: " + notPassed + " accepted trial(s) did not pass; the baseline records"
                            + " them as failing");
                }
                long accepted = b.trials().values().stream().filter(t -> t.runIndex() >= first && t.error() == null)
                        .count();
                long timed = b.trials().values().stream().filter(t -> t.runIndex() >= first && t.ttftMs() != null)
                        .count();
                if (accepted > 0 && timed == 0) {
                    err.println("sonde: warning: the accepted trials carry no timings (sent through Message Batches or"
                            + " replayed from the response cache): later runs' latency gates will SKIP for want of"
                            + " baseline samples; accept a timed run for them");
                }
                for (int k = 0; k < runs.size(); k++) {
                    int index = first + k;
                    long finished = b.trials().values().stream().filter(t -> t.runIndex() == index).count();
                    RunInfo info = runs.get(k).info();
                    if (info.trialsPlanned() > finished) {
                        err.println("sonde: warning: " + (runs.size() == 1 ? "the run" : "run " + info.runId())
                                + " planned " + info.trialsPlanned() + " trials but " + finished
                                + " finished; missing cases will show as added in later runs");
                    }
                }
                return Main.PASSED;
            } catch (Baselines.Refused e) {
                err.println("sonde: " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (JournalDamage e) {
                err.println("sonde: " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException e) {
                err.println("sonde: cannot write baseline " + file + ": " + e.getMessage());
                return Main.CANNOT_PROCEED;
            }
        }
    }

    /** {@code from run ID} for a baseline of one run (a version 1 file lists none), {@code N runs: A, B, …} for more. */
    private static String fromRuns(List<BaselineFile.Source> held, String acceptedNow) {
        return held == null || held.size() == 1 ? "from run " + acceptedNow
                : held.size() + " runs: " + String.join(", ", held.stream().map(BaselineFile.Source::runId).toList());
    }

    /**
     * Writes benchmark runs as their suite's benchmark baseline: per step its latency samples and
     * goodput counts, and the load they ran ({@code --append}: after the runs the file holds).
     */
    static Integer acceptBenchmarks(List<Baselines.BenchmarkRun> runs, Path out, boolean append, PrintWriter stdout,
            PrintWriter err) {
        Path file;
        try {
            file = out != null ? out : defaultFile(runs.get(0).info());
        } catch (SuiteException e) {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        try {
            BenchmarkBaseline b = Baselines.acceptBenchmarks(runs, file, append);
            long steps = b.steps().values().stream().filter(s -> s.run() == 0).count();
            stdout.println("baseline: " + file.toAbsolutePath().normalize() + " (benchmark, " + steps + " step"
                    + (steps == 1 ? "" : "s") + ", " + fromRuns(b.runs(), runs.get(0).info().runId()) + ")");
            return Main.PASSED;
        } catch (Baselines.Refused | JournalDamage e) {
            err.println("sonde: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("sonde: cannot write baseline " + file + ": " + e.getMessage());
            return Main.CANNOT_PROCEED;
        }
    }

    /** Whether the finished run in {@code runDir} is a benchmark ({@code results.json} of {@code kind: benchmark}). */
    static boolean isBenchmark(Path runDir) throws IOException {
        Path results = runDir.resolve("results.json");
        if (!Files.isRegularFile(results)) {
            return false; // load() says what is missing
        }
        return "benchmark".equals(results(results).path("kind").asText());
    }

    /** {@code results.json}, read within a bound. */
    private static JsonNode results(Path results) throws IOException {
        try {
            return Journal.JSON.readTree(BoundedFiles.read(results, MAX_RESULTS_BYTES));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(results + " is not valid JSON: the run did not finish writing it?");
        }
    }

    /** The largest {@code results.json} read to accept a run. */
    private static final long MAX_RESULTS_BYTES = 1L << 30;

    /**
     * A finished benchmark from its folder: what it recorded at its start ({@code run.json}), the
     * load it ran ({@code results.json}'s {@code load}) and its journal.
     */
    static Baselines.BenchmarkRun loadBenchmark(Path runDir) throws IOException {
        Path journal = runDir.resolve("trials.jsonl");
        if (!Files.isRegularFile(journal)) {
            throw new IOException(runDir + " is not a finished run: it needs results.json and trials.jsonl");
        }
        // one reading of a benchmark's folder, bounded and checked, as sonde report and sonde merge read it
        dev.sonde.run.BenchmarkFolder run = dev.sonde.run.BenchmarkFolder.read(runDir).orElseThrow(
                () -> new IOException(runDir.resolve("results.json") + ": not a benchmark's results"));
        if (run.stopped() != null) {
            throw new IOException(runDir + " was stopped (" + run.stopped() + "): its steps are partial, so it cannot"
                    + " be a baseline; run it again");
        }
        if (run.merge() != null) {
            throw new IOException(runDir + " was merged from " + run.merge().machines().size() + " load generators:"
                    + " its load is theirs summed, which no single run can match; accept a machine's own run");
        }
        return new Baselines.BenchmarkRun(run.info(), run.load(), journal);
    }

    /** A finished run from its folder: metadata from {@code results.json}, trials from the journal. */
    static RunResult load(Path runDir) throws IOException {
        Path results = runDir.resolve("results.json");
        Path journal = runDir.resolve("trials.jsonl");
        if (!Files.isRegularFile(journal) || !Files.isRegularFile(results)) {
            throw new IOException(runDir + " is not a finished run: it needs results.json and trials.jsonl");
        }
        JsonNode doc = Journal.JSON.readTree(results.toFile());
        RunInfo info = Journal.JSON.treeToValue(doc.path("run"), RunInfo.class);
        if (info == null || info.suite() == null) {
            throw new IOException(results + " has no run metadata (\"run.suite\")");
        }
        return new RunResult(info, journal, runDir);
    }

    /** The suite's {@code baseline.file}, else {@code ../reports/baselines/<suite>.json} from the suite's folder. */
    static Path defaultFile(RunInfo info) throws SuiteException {
        Path suiteFile = info.suiteFile() == null ? null : Path.of(info.suiteFile());
        if (suiteFile != null && Files.isRegularFile(suiteFile)) {
            Suite suite = SuiteLoader.load(suiteFile);
            if (suite.baseline() != null) {
                return suite.baseline().file();
            }
            Path dir = suiteFile.toAbsolutePath().getParent();
            return dir.resolve("../reports/baselines/" + suite.name() + ".json").normalize();
        }
        return Path.of("reports/baselines").resolve(info.suite() + ".json");
    }
}
