package dev.sonde.cli;

import dev.sonde.analysis.RunVerdict;
import dev.sonde.migration.ModelComparison;
import dev.sonde.session.SuiteSession;

import dev.sonde.analysis.RunAnalysis;
import java.util.EnumSet;

import dev.sonde.baseline.Comparison;
import dev.sonde.journal.RunLock;
import dev.sonde.report.Reports;
import dev.sonde.run.BenchmarkFolder;
import dev.sonde.run.LoadMerge;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.Merge;
import dev.sonde.session.Benchmarks;
import dev.sonde.run.RunResult;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sonde merge RUN_DIR... --out DIR [--allow-partial]}: the shards of one suite
 * ({@code sonde run --shard k/n}) as one run — journal, summary, baseline comparison and every
 * report — without calling the API. The exit code is the merged run's verdict, as if it had run in
 * one piece; 2 when a folder is not a finished run, the folders are not exactly the n shards of one
 * plan (one line naming what is missing or wrong, {@link Merge}), or another sonde process is using
 * one of them or {@code --out} ({@link RunLock}). {@code --allow-partial} merges a set with missing
 * shards (or runs that recorded none): its verdict is PARTIAL and the exit code 1.
 *
 * <p>Benchmark runs ({@code load:}) of one suite and load, made at once on several load-generator
 * machines, merge instead into one benchmark ({@link LoadMerge}): every request in one journal, the
 * steps' percentiles over all of them, the machines' loads summed, and the clock offset assumed
 * between the machines printed and recorded. Exit 0, 1 when a merged step passed its
 * {@code max_error_rate}, 2 when the runs are not benchmarks of one suite, plan and load.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combine shard runs (sonde run --shard k/n) into one run with its reports and baseline verdict,",
                "or benchmark runs of one suite and load from several load-generator machines into one benchmark."},
        footer = {"", "Exit codes: 0 the merged run passed, 1 a check or gate failed, the merge is partial"
                + " (--allow-partial) or a merged benchmark step passed its max_error_rate, 2 the folders are not exactly"
                + " the n shards of one plan, not benchmarks of one suite and load, or not finished runs."})
final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*",
            description = "The shard runs' output folders, or the load generators' benchmark folders.")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the merged run goes.")
    Path out;

    @Option(names = "--allow-partial",
            description = "Merge even when shards are missing (or recorded no shard); the verdict is PARTIAL, exit 1.")
    boolean allowPartial;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        List<RunLock> locks = new ArrayList<>();
        try {
            lockFolders(locks);
            if (anyBenchmark()) {
                return mergeBenchmarks(stdout, err);
            }
            RunResult merged = Merge.merge(runs, out, allowPartial);
            Comparison comparison = null;
            ModelComparison models = null;
            Reports.Outputs outputs;
            RunAnalysis analysis;
            Path suiteFile = merged.info().suiteFile() == null ? null : Path.of(merged.info().suiteFile());
            if (suiteFile != null && Files.isRegularFile(suiteFile)) {
                // the merged journal is read once, as a run's is: comparison, model comparison and outputs
                Suite suite = SuiteLoader.load(suiteFile);
                SuiteSession.Evaluated judged;
                try {
                    judged = SuiteSession.finish(suite, merged, false, SuiteSession.pricing(suite, null));
                } catch (SuiteSession.SetupException e) {
                    err.println("sonde: merge: " + e.getMessage());
                    return Main.BAD_INPUT;
                }
                comparison = judged.comparison();
                models = judged.models();
                outputs = judged.outputs();
                analysis = judged.analysis();
            } else {
                Reports.Written written = Reports.writeWith(merged, null, null, EnumSet.allOf(Reports.Format.class));
                outputs = written.outputs();
                analysis = written.analysis();
            }
            RunVerdict verdict = RunVerdict.of(analysis.summary(), merged, models != null);
            boolean passed = verdict.ok() && (comparison == null || comparison.verdict().passed());
            RunCommand.printSummary(stdout, merged, analysis,
                    verdict == RunVerdict.PARTIAL || passed ? verdict.word() : "FAIL");
            if (verdict == RunVerdict.PARTIAL) {
                stdout.println("  partial merge, not the whole suite: " + merged.info().merged().lacking());
            }
            if (models != null) {
                models.candidates().forEach(c -> stdout.println(RunCommand.recommendation(c, merged.info())));
            }
            if (comparison != null) {
                comparison.verdict().lines().forEach(l -> stdout.println("  " + l));
            } else {
                stdout.println("  suite file not found: no baseline comparison");
            }
            stdout.println("merged " + runs.size() + " runs into " + out.toAbsolutePath()
                    + (outputs.html() != null ? "; report: " + outputs.html().toAbsolutePath() : ""));
            outputs.failures().forEach(f -> err.println("sonde: could not write " + f.describe()));
            return passed ? Main.PASSED : Main.CHECK_FAILED;
        } catch (SuiteException e) {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException | RunLock.Held e) {
            err.println("sonde: merge: " + e.getMessage());
            return Main.BAD_INPUT;
        } finally {
            for (RunLock lock : locks) {
                try {
                    lock.close();
                } catch (IOException e) {
                    err.println("sonde: merge: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Load generators' runs of one benchmark ({@link LoadMerge}): the merged benchmark's table, the
     * clock offsets assumed between the machines, where its outputs are. 0 when every merged step
     * held its error bound, 1 when one did not, 2 when the runs cannot be merged.
     */
    private Integer mergeBenchmarks(PrintWriter stdout, PrintWriter err) throws IOException {
        if (allowPartial) {
            err.println("sonde: merge: --allow-partial is for the shards of an evaluation; benchmark runs merge whole");
            return Main.BAD_INPUT;
        }
        BenchmarkFolder folder = LoadMerge.merge(runs, out);
        SuiteSession.Benchmarked merged = Benchmarks.rerender(folder);
        LoadRunner.LoadResult load = merged.load();
        BenchmarkConsole.lines(load, merged.info(), merged.slo(), out).forEach(stdout::println);
        offsets(folder.merge()).forEach(stdout::println);
        stdout.println("merged " + runs.size() + " benchmark runs into " + out.toAbsolutePath()
                + "; results: " + load.file().toAbsolutePath() + "; report: "
                + load.file().resolveSibling(Reports.Format.HTML.file()).toAbsolutePath());
        return merged.passed() ? Main.PASSED : Main.CHECK_FAILED;
    }

    /** Whether a folder given is a benchmark's: then every one must be, and they merge as load generators. */
    private boolean anyBenchmark() throws IOException {
        for (Path run : runs) {
            if (BenchmarkFolder.read(run).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** One line per machine: the clock offset the merge assumed for it, and how it varied over the steps. */
    private static List<String> offsets(LoadMerge.Record record) {
        List<String> lines = new ArrayList<>();
        lines.add("  clock offsets assumed (each machine's step k started with the first machine's step k):");
        for (LoadMerge.Machine m : record.machines()) {
            lines.add(String.format(java.util.Locale.ROOT, "  machine %d %s: %s, %d requests%s", m.machine(), m.dir(),
                    m.machine() == 1 ? "the reference clock"
                            : m.clockOffsetMs() == null ? "no step in common with machine 1"
                            : String.format(java.util.Locale.ROOT, "%+.1f ms", m.clockOffsetMs()),
                    m.requests(), m.machine() == 1 || m.clockOffsetMs() == null ? ""
                            : String.format(java.util.Locale.ROOT, " (steps differ by up to %.1f ms)", m.spreadMs())));
        }
        return lines;
    }

    /**
     * Locks the folder merged into and every shard folder ({@link RunLock}), each once: a shard still
     * being run or resumed has not journaled all its trials, and a second merge into the same folder
     * would interleave two journals.
     */
    private void lockFolders(List<RunLock> locks) throws IOException, RunLock.Held {
        Files.createDirectories(out);
        Set<Path> folders = new LinkedHashSet<>();
        folders.add(out.toAbsolutePath().normalize());
        runs.stream().filter(Files::isDirectory).forEach(dir -> folders.add(dir.toAbsolutePath().normalize()));
        for (Path dir : folders) {
            locks.add(RunLock.acquire(dir, dir.equals(out.toAbsolutePath().normalize()) ? "--out " + out : dir.toString()));
        }
    }
}
