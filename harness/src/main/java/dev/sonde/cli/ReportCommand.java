package dev.sonde.cli;

import dev.sonde.session.RequestBodies;
import dev.sonde.journal.RunLock;
import dev.sonde.report.Reports;
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
 * without calling any API — after an upgrade of Sonde, or to get a format a run did not write.
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
}
