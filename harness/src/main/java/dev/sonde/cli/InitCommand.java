package dev.sonde.cli;

import dev.sonde.journal.JournalDamage;
import dev.sonde.metrics.Clock;
import dev.sonde.run.RunAborted;
import dev.sonde.run.RunStop;
import dev.sonde.session.SuiteSession;
import dev.sonde.suite.SuiteException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sonde init NAME}: scaffolds a first suite in a Sonde checkout — {@code suites/NAME.yaml}
 * (commented, with the schema modeline editors read), {@code fixtures/emulator/NAME.yaml} (a rule
 * for every case, so it passes offline with no filler) and {@code reports/baselines/NAME.json},
 * written by running the new suite once on the embedded emulator through the same path as
 * {@code sonde run --update-baseline} (in this process) — then prints the next three commands.
 *
 * <p>Nothing is overwritten: if any of the three files exists, nothing is written (exit 2, one line
 * naming it). However the first run ends short of writing the baseline — its checks fail (exit 1),
 * it is refused before it starts (exit 2, as {@code sonde run}: e.g. its run folder cannot be made),
 * it stops or meets an I/O error (exit 3), or a bug throws — the files init wrote are removed (the
 * suite, the rules and the baseline if the run wrote it; a {@code finally}, so a bug cannot skip it).
 * The run's folder under {@code reports/runs/} is kept: its report says why it did not pass. The folder is
 * the checkout's root (the working directory, or {@code --dir}), recognised by the suite schema the
 * modeline points at.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Scaffold a suite, its emulator rules and its baseline, and print the next commands.",
        footer = {"", "Writes suites/NAME.yaml, fixtures/emulator/NAME.yaml and reports/baselines/NAME.json (from",
            "one offline run) under the checkout's root; never overwrites a file.",
            "Exit codes: 0 scaffolded and its first run passed; 1 the first run did not pass; 2 a bad name, not a",
            "Sonde checkout, a file already there, or the first run refused as sonde run refuses (e.g. its run",
            "folder cannot be made); 3 the first run stopped or met an I/O error. Whenever the first run does not",
            "pass, the files init wrote are removed (the run's folder under reports/runs/ is kept)."})
final class InitCommand implements Callable<Integer> {
    /** A suite name that is also a safe file stem and a Maven profile id. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /** Where the suite schema sits in a checkout: what the scaffolded modeline names. */
    static final String SCHEMA = "core/src/main/resources/dev/sonde/suite.schema.json";

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Parameters(paramLabel = "NAME", description = "The suite's name: letters, digits, '-' and '_' (at most 64).")
    String name;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "The Sonde checkout's root to write in (default: the working directory).")
    Path dir;

    /** The files one init writes, relative to the checkout's root. */
    record Scaffold(Path suite, Path rules, Path baseline) {
        static Scaffold of(String name) {
            return new Scaffold(Path.of("suites", name + ".yaml"), Path.of("fixtures", "emulator", name + ".yaml"),
                    Path.of("reports", "baselines", name + ".json"));
        }

        List<Path> all() {
            return List.of(suite, rules, baseline);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!NAME.matcher(name).matches()) {
            err.println("sonde init: '" + printable(name) + "': a suite name is 1 to 64 letters, digits, '-' or '_', "
                    + "starting with a letter or a digit");
            return Main.BAD_INPUT;
        }
        Path root = (dir == null ? Path.of("") : dir).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve(SCHEMA))) {
            err.println("sonde init: " + root + " is not the root of a Sonde checkout (no " + SCHEMA
                    + "); run it there, or give --dir");
            return Main.BAD_INPUT;
        }
        Scaffold files = Scaffold.of(name);
        for (Path f : files.all()) {
            if (Files.exists(root.resolve(f), LinkOption.NOFOLLOW_LINKS)) {
                err.println("sonde init: " + root.resolve(f) + " already exists: nothing was written (choose another "
                        + "name, or remove it)");
                return Main.BAD_INPUT;
            }
        }
        List<Path> written = new ArrayList<>();
        try {
            written.add(create(root.resolve(files.rules()), template("rules.yaml")));
            written.add(create(root.resolve(files.suite()), template("suite.yaml")));
        } catch (FileAlreadyExistsException e) { // made by someone else since the check above
            removeQuietly(written);
            err.println("sonde init: " + e.getFile() + " already exists: nothing was written (choose another name, "
                    + "or remove it)");
            return Main.BAD_INPUT;
        } catch (IOException e) {
            removeQuietly(written);
            err.println("sonde init: cannot write in " + root + ": " + e.getMessage());
            return Main.CANNOT_PROCEED;
        }
        out.println("created " + files.suite() + " and " + files.rules());
        boolean kept = false;
        try {
            Integer failed = firstRun(root, files, out, err);
            if (failed != null) {
                return failed;
            }
            kept = true;
        } finally {
            if (!kept) { // whatever ended the first run: a failed check, a refusal, a stop, an I/O error or a bug
                written.add(root.resolve(files.baseline())); // absent before init (checked above): only the run wrote it
                List<Path> left = removeQuietly(written);
                err.println("sonde init: removed what it wrote (" + files.suite() + ", " + files.rules() + ", any "
                        + files.baseline() + "); the first run's folder, if it got one, is kept"
                        + (left.isEmpty() ? "" : "; could not remove " + left + ": remove them yourself"));
            }
        }
        out.println("baseline written: " + files.baseline());
        nextCommands(root, files).forEach(out::println);
        return Main.PASSED;
    }

    /**
     * Runs the new suite once on the embedded emulator as {@code sonde run --update-baseline} does,
     * printing its summary; null when it passed and wrote the baseline, else the exit code.
     */
    private Integer firstRun(Path root, Scaffold files, PrintWriter out, PrintWriter err) throws InterruptedException {
        SuiteSession.Options options = new SuiteSession.Options(root.resolve(files.suite()), "emulator", null, null, null,
                root, parent.env(), new ConsoleProgress(err, true, false, Clock.system()), Clock.system(), null, true,
                null, false, false, List.of(), List.of());
        try {
            SuiteSession.Outcome ended = SuiteSession.run(options, null, new RunStop());
            SuiteSession.Evaluated run = (SuiteSession.Evaluated) ended;
            RunCommand.printSummary(out, run.result(), run.analysis(), run.passed() ? run.verdict().word() : "FAIL");
            out.println("report: " + run.result().outDir().resolve("report.html"));
            if (!run.passed() || run.baselineWritten() == null) {
                err.println("sonde init: the first offline run of " + files.suite() + " did not pass, so no baseline "
                        + "was kept (please report it)");
                return Main.CHECK_FAILED;
            }
            return null;
        } catch (SuiteException e) {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (SuiteSession.SetupException e) {
            err.println("sonde: " + e.getMessage());
            return e.exitCode();
        } catch (RunAborted e) {
            err.println("sonde: run stopped: " + e.getMessage());
            return Main.CANNOT_PROCEED;
        } catch (JournalDamage e) {
            err.println("sonde: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("sonde: " + e.getMessage());
            return Main.CANNOT_PROCEED;
        }
    }

    /** The three commands to go on with, run from the checkout's root (said first when it is not here). */
    static List<String> nextCommands(Path root, Scaffold files) {
        List<String> lines = new ArrayList<>();
        boolean here = root.equals(Path.of("").toAbsolutePath().normalize());
        lines.add(here ? "next:" : "next, from " + root + ":");
        String suite = unix(files.suite());
        // each command on a line of its own, so it copies whole; what it does on the line above
        lines.add("  # offline: every case answered by its rule");
        lines.add("  ./sonde run " + suite);
        lines.add("  # the CI gate against the baseline");
        lines.add("  mvn verify -Psuite=" + nameOf(files));
        lines.add("  # live (ANTHROPIC_API_KEY): record real answers as rules");
        lines.add("  ./sonde run " + suite + " --endpoint https://api.anthropic.com --record " + unix(files.rules()));
        return lines;
    }

    private static String nameOf(Scaffold files) {
        String file = files.suite().getFileName().toString();
        return file.substring(0, file.length() - ".yaml".length());
    }

    private static String unix(Path relative) {
        return relative.toString().replace('\\', '/');
    }

    private String template(String resource) {
        try (InputStream in = InitCommand.class.getResourceAsStream("/dev/sonde/cli/init/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/sonde/cli/init/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{name}}", name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a new file (its folders made), refusing one that exists. */
    private static Path create(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return file;
    }

    /** Removes each file that exists; returns those it could not remove (the message names them). */
    private static List<Path> removeQuietly(List<Path> files) {
        List<Path> left = new ArrayList<>();
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                left.add(f);
            }
        }
        return left;
    }

    /** The name as typed, for the message: control characters shown as '?', at most 80 characters. */
    private static String printable(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
