package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.baseline.BaselineFile;
import dev.sonde.baseline.Baselines;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code sonde baseline accept RUN_DIR [--out FILE]}: makes a finished run the baseline its suite
 * compares against. The file defaults to the suite's {@code baseline.file} (the suite is found
 * through the run's {@code results.json}), else {@code reports/baselines/<suite>.json} beside the
 * suite's folder. Exit 0 when written, 2 when RUN_DIR is not a finished run or the suite is
 * invalid, 3 when the file cannot be written. Runs whose trials did not all pass are accepted
 * with a warning: their failures become the baseline's.
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
            description = "Write the run in RUN_DIR as its suite's baseline.",
            footer = {"", "Exit codes: 0 written, 2 RUN_DIR is not a finished run or its journal is damaged, 3 the file"
                    + " could not be written."})
    static final class Accept implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RUN_DIR", description = "A run's output folder (holds results.json and trials.jsonl).")
        Path runDir;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Baseline file to write (default: the suite's baseline.file, "
                        + "else reports/baselines/<suite>.json).")
        Path out;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            RunResult run;
            try {
                run = load(runDir);
            } catch (IOException e) {
                err.println("sonde: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            Path file;
            try {
                file = out != null ? out : defaultFile(run.info());
            } catch (SuiteException e) {
                err.println(e.getMessage());
                return Main.BAD_INPUT;
            }
            try {
                BaselineFile b = Baselines.write(run, file);
                long notPassed = b.trials().values().stream().filter(t -> !t.pass() && !t.notEvaluated()).count();
                stdout.println("baseline: " + file.toAbsolutePath().normalize() + " (" + b.trials().size() + " trials, "
                        + b.models().size() + " models, from run " + run.info().runId() + ")");
                if (notPassed > 0) {
                    err.println("sonde: warning: " + notPassed + " accepted trial(s) did not pass; the baseline records"
                            + " them as failing");
                }
                if (run.info().trialsPlanned() > b.trials().size()) {
                    err.println("sonde: warning: the run planned " + run.info().trialsPlanned() + " trials but "
                            + b.trials().size() + " finished; missing cases will show as added in later runs");
                }
                return Main.PASSED;
            } catch (JournalDamage e) {
                err.println("sonde: " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException e) {
                err.println("sonde: cannot write baseline " + file + ": " + e.getMessage());
                return Main.CANNOT_PROCEED;
            }
        }
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
