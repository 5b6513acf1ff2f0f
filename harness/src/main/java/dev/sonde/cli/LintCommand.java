package dev.sonde.cli;

import dev.sonde.session.Lint;
import dev.sonde.session.SuiteSession;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.lint.CacheLint;
import dev.sonde.suite.lint.LintWarning;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sonde lint SUITE}: prints every {@code cache_control} placement that will not do what it
 * means ({@link CacheLint}), one {@code file:line:col: warning: … Fix: …} line each, on stdout.
 * {@code sonde run} prints the same lines on stderr before it runs, and runs anyway.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Check a suite's prompt-caching breakpoints (cache_control) without sending anything.",
        footer = {"", "Exit codes: 0 no warnings, 1 warnings printed, 2 bad suite or arguments."})
final class LintCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SUITE", description = "The suite file (YAML).")
    Path suite;

    @Option(names = "--endpoint", paramLabel = "emulator|URL",
            description = "Where the suite would run (as for sonde run): on the emulator, the suite's emulator config "
                    + "may change the minimum cacheable prefix per model.")
    String endpoint;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<LintWarning> warnings = Lint.warnings(suite, endpoint);
            warnings.forEach(out::println);
            if (!warnings.isEmpty()) {
                err.println(warnings.size() + (warnings.size() == 1 ? " warning" : " warnings"));
            }
            return warnings.isEmpty() ? Main.PASSED : Main.CHECK_FAILED;
        } catch (SuiteException e) {
            err.println(e.getMessage());
        } catch (SuiteSession.SetupException e) {
            err.println("sonde: " + e.getMessage());
        }
        return Main.BAD_INPUT;
    }
}
