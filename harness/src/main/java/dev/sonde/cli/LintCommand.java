package dev.sonde.cli;

import dev.sonde.emulator.CacheMinimums;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.SuiteSource;
import dev.sonde.suite.lint.CacheLint;
import dev.sonde.suite.lint.LintWarning;
import dev.sonde.suite.lint.MinimumTokens;
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
            List<LintWarning> warnings = warnings(suite, endpoint);
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

    /**
     * @param endpoint {@code --endpoint}, or null for the suite's (per model: its base URL, else the
     *     suite's endpoint, else the emulator)
     */
    static List<LintWarning> warnings(Path suiteFile, String endpoint)
            throws SuiteException, SuiteSession.SetupException {
        SuiteLoader.Loaded loaded = SuiteLoader.read(suiteFile);
        return warnings(loaded.suite(), loaded.source(), endpoint);
    }

    /** The warnings of a suite already loaded with its source ({@link SuiteLoader#read}). */
    static List<LintWarning> warnings(Suite suite, SuiteSource source, String endpoint)
            throws SuiteSession.SetupException {
        CacheMinimums live = CacheMinimums.builtIn();
        CacheMinimums emulator;
        try {
            emulator = suite.emulator().config() == null ? live
                    : CacheMinimums.of(EmulatorConfig.load(suite.emulator().config()));
        } catch (RuntimeException e) {
            throw new SuiteSession.SetupException(Main.BAD_INPUT, e.getMessage());
        }
        MinimumTokens minimums = m -> (onEmulator(m, suite, endpoint) ? emulator : live).minTokens(m.model());
        return CacheLint.check(suite, source, minimums);
    }

    private static boolean onEmulator(ModelSpec m, Suite suite, String endpoint) {
        String e = endpoint != null ? endpoint : m.baseUrl() != null ? m.baseUrl() : suite.endpoint();
        return e == null || e.equals("emulator");
    }
}
