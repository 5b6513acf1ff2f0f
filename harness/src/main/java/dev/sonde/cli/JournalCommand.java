package dev.sonde.cli;

import dev.sonde.journal.Journal;
import dev.sonde.journal.RunLock;
import dev.sonde.journal.JsonlRepair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sonde journal repair RUN_DIR}: keeps every intact record of a run's {@code trials.jsonl},
 * in order, and sets each damaged line aside in {@code trials.damaged.jsonl} beside it (its line
 * number, why, and its content), so that every reader works again and {@code sonde run --resume
 * RUN_DIR} sends the trials those lines held. One line says what it did. A clean journal is left
 * byte for byte as it was. Exit 0 repaired or nothing to repair, 2 RUN_DIR holds no journal, 3 a
 * file could not be written.
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = "Look after a run's journal (trials.jsonl).",
        subcommands = {JournalCommand.Repair.class, CommandLine.HelpCommand.class})
final class JournalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.BAD_INPUT;
    }

    @Command(name = "repair", mixinStandardHelpOptions = true,
            description = {"Keep every intact record of RUN_DIR/trials.jsonl, in order, and set each damaged line"
                    + " (not JSON, not a trial record, not UTF-8, longer than 64 MB, the same trial journaled twice:"
                    + " the first is kept) aside in RUN_DIR/trials.damaged.jsonl with its line number and why.",
                "Then every reader works again, and sonde run --resume RUN_DIR sends the trials whose lines were"
                    + " set aside. A journal with nothing damaged is left as it is.",
                "A run still writing to RUN_DIR holds its lock, and the repair is refused until it ends."},
            footer = {"", "Exit codes: 0 repaired or nothing to repair, 2 RUN_DIR holds no trials.jsonl or another sonde"
                    + " process is using it, 3 a file could not be written."})
    static final class Repair implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RUN_DIR", description = "A run's output folder (holds trials.jsonl).")
        Path runDir;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            Path journal = runDir.resolve("trials.jsonl");
            if (!Files.isRegularFile(journal)) {
                err.println("sonde: " + runDir + " holds no journal to repair (no trials.jsonl file there)");
                return Main.BAD_INPUT;
            }
            JsonlRepair.Outcome repaired;
            try (RunLock lock = RunLock.acquire(runDir, "sonde journal repair " + runDir)) {
                repaired = Journal.repair(journal);
            } catch (RunLock.Held e) {
                err.println("sonde: " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException e) {
                err.println("sonde: cannot repair " + journal + ": " + e.getMessage());
                return Main.CANNOT_PROCEED;
            }
            if (!repaired.rewritten()) {
                out.println(journal + ": " + records(repaired.kept()) + ", nothing to repair");
            } else if (repaired.setAside() == 0) {
                out.println(journal + ": kept " + records(repaired.kept())
                        + ", nothing damaged; ended the last record with its missing newline");
            } else {
                out.println(journal + ": kept " + records(repaired.kept()) + ", set " + repaired.setAside()
                        + (repaired.setAside() == 1 ? " damaged line" : " damaged lines") + " aside in "
                        + repaired.aside() + " (sonde run --resume " + runDir + " sends again any trial left without a"
                        + " record)");
            }
            return Main.PASSED;
        }

        private static String records(long n) {
            return n + (n == 1 ? " record" : " records");
        }
    }
}
