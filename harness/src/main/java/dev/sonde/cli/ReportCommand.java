package dev.sonde.cli;

import dev.sonde.session.RequestBodies;
import dev.sonde.journal.CompareRecord;
import dev.sonde.journal.RunLock;
import dev.sonde.journal.JournalDamage;
import dev.sonde.report.IntervalLogs;
import dev.sonde.report.Reports;
import dev.sonde.run.BenchmarkFolder;
import dev.sonde.session.Benchmarks;
import java.util.Optional;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sonde report RUN_DIR [--format html|json|junit|md|csv|all]}: writes a finished run's
 * reports again from its files ({@code results.json}, {@code trials.jsonl}) into the same folder,
 * without calling any API — after an upgrade of Sonde, or to get a format a run did not write. A
 * benchmark's folder ({@code kind: benchmark}) gets its {@code results.json}, {@code report.html} and
 * {@code latency.hlog} again from its journal ({@link Benchmarks#rerender}).
 * Formats may be combined ({@code --format html,csv}). Exit 0 when every asked format was
 * written, 2 when RUN_DIR is not a finished run, another sonde process is using it (a run or
 * {@code --resume} in progress: {@link RunLock}) or the format is unknown, 3 when a file could not
 * be written.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Re-render a finished run's reports from its files (no API call).",
        footer = {"", "Exit codes: 0 written, 2 RUN_DIR is not a finished run or bad format, 3 a file could not be"
                + " written."})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run's output folder (holds results.json and trials.jsonl).")
    Path runDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "all",
            description = "html, json, junit, md, csv or all (default), comma-separated.")
    String format;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Set<Reports.Format> formats;
        try {
            formats = Reports.Format.parse(format);
        } catch (IllegalArgumentException e) {
            err.println("sonde: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        Reports.Outputs outputs;
        // the folder's lock, as a run holds it: a run still going would overwrite these reports at its end
        try (RunLock lock = Files.isDirectory(runDir) ? RunLock.acquire(runDir, runDir.toString()) : null) {
            Optional<BenchmarkFolder> benchmark = BenchmarkFolder.read(runDir);
            if (benchmark.isPresent()) {
                return benchmark(benchmark.get(), out, err);
            }
            CompareRecord.read(runDir); // a damaged compare.jsonl is one line here, not one per report format
            outputs = Reports.rerender(runDir, formats, RequestBodies::of);
        } catch (IOException | RunLock.Held e) {
            err.println("sonde: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        for (Reports.Format f : formats) {
            Path written = switch (f) {
                case HTML -> outputs.html();
                case JSON -> outputs.json();
                case JUNIT -> outputs.junit();
                case MD -> outputs.markdown();
                case CSV -> outputs.csv();
            };
            if (written != null) {
                out.println(f.name().toLowerCase(java.util.Locale.ROOT) + ": " + written.toAbsolutePath().normalize());
            }
        }
        outputs.failures().forEach(f -> err.println("sonde: could not write " + f.describe()));
        return outputs.complete() ? Main.PASSED : Main.CANNOT_PROCEED;
    }

    /**
     * A benchmark's folder: its {@code results.json}, {@code report.html} and {@code latency.hlog}
     * written again from its journal, together ({@code --format} chooses among an evaluation's
     * formats only). 0 when written, 2 for another {@code --format} than {@code all}, 3 when a file
     * could not be written.
     */
    private Integer benchmark(BenchmarkFolder run, PrintWriter out, PrintWriter err) {
        if (!"all".equalsIgnoreCase(format.strip())) {
            err.println("sonde: " + runDir + " is a benchmark: its results.json, report.html and "
                    + IntervalLogs.FILE + " are written together; leave out --format");
            return Main.BAD_INPUT;
        }
        try {
            Path results = Benchmarks.rerender(run).load().file();
            out.println("json: " + results.toAbsolutePath().normalize());
            out.println("html: " + results.resolveSibling(Reports.Format.HTML.file()).toAbsolutePath().normalize());
            out.println("hlog: " + results.resolveSibling(IntervalLogs.FILE).toAbsolutePath().normalize());
            return Main.PASSED;
        } catch (JournalDamage damage) {
            err.println("sonde: " + damage.getMessage());
            return Main.BAD_INPUT;
        } catch (Benchmarks.Unreadable e) { // the journal, not the disk
            err.println("sonde: " + runDir + ": " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("sonde: could not write the benchmark's reports: " + e.getMessage());
            return Main.CANNOT_PROCEED;
        }
    }
}
