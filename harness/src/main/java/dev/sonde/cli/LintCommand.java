package dev.sonde.cli;

import dev.sonde.session.Lint;
import dev.sonde.session.SuiteSession;
import dev.sonde.suite.SuiteException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sonde lint SUITE}: checks a suite without sending anything ({@link Lint}) and prints, on
 * stdout, one {@code file:line:col: warning: … Fix: …} line per warning (a {@code cache_control}
 * placement that will not do what it means, a model id the pricing table does not know), then what
 * it checked: {@code suites/x.yaml: 7 breakpoints in 3 cases × 2 models: no problems} (or {@code :
 * 2 warnings}). {@code sonde run} prints the same warnings on stderr before it runs, and runs anyway.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Check a suite without sending anything: its assertions, its prompt-caching breakpoints "
                + "(cache_control) and its model ids.",
        footer = {"", "Exit codes: 0 no warnings, 1 warnings printed, 2 bad suite or arguments."})
final class LintCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SUITE", description = "The suite file (YAML).")
    Path suite;

    @Option(names = "--endpoint", paramLabel = "emulator|live|URL",
            description = "Where the suite would run (as for sonde run): on the emulator, the suite's emulator config "
                    + "may change the minimum cacheable prefix per model.")
    String endpoint;

    @Option(names = "--pricing", paramLabel = "FILE",
            description = "A pricing file extending the built-in table and the suite's (as for sonde run): a model it "
                    + "prices is not warned about.")
    Path pricing;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Lint.Report report = Lint.report(suite, endpoint, pricing);
            report.warnings().forEach(out::println);
            out.println(report.summary());
            return report.warnings().isEmpty() ? Main.PASSED : Main.CHECK_FAILED;
        } catch (SuiteException e) {
            err.println(e.getMessage());
        } catch (SuiteSession.SetupException e) {
            err.println("sonde: " + e.getMessage());
        }
        return Main.BAD_INPUT;
    }
}
