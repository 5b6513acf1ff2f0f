package dev.sonde.session;

import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.SuiteSource;
import dev.sonde.suite.lint.CacheLint;
import dev.sonde.emulator.CacheMinimums;
import dev.sonde.suite.lint.LintWarning;
import dev.sonde.suite.lint.MinimumTokens;
import java.nio.file.Path;
import java.util.List;

/**
 * The cache lint of a suite where it will run ({@code sonde lint}, and {@code sonde run} before
 * anything is sent): every {@code cache_control} placement that will not do what it means, judged
 * against the minimum cacheable prefix of each model's endpoint (the emulator's config, or the
 * API's built-in minimums).
 */
public final class Lint {
    private Lint() {}

    /**
     * @param endpoint {@code --endpoint}, or null for the suite's (per model: its base URL, else the
     *     suite's endpoint, else the emulator)
     */
    public static List<LintWarning> warnings(Path suiteFile, String endpoint)
            throws SuiteException, SuiteSession.SetupException {
        SuiteLoader.Loaded loaded = SuiteLoader.read(suiteFile);
        return warnings(loaded.suite(), loaded.source(), endpoint);
    }

    /** The warnings of a suite already loaded with its source ({@link SuiteLoader#read}). */
    public static List<LintWarning> warnings(Suite suite, SuiteSource source, String endpoint)
            throws SuiteSession.SetupException {
        CacheMinimums live = CacheMinimums.builtIn();
        CacheMinimums emulator;
        try {
            emulator = suite.emulator().config() == null ? live
                    : CacheMinimums.of(EmulatorConfig.load(suite.emulator().config()));
        } catch (RuntimeException e) {
            throw new SuiteSession.SetupException(SuiteSession.SetupException.BAD_INPUT, e.getMessage());
        }
        MinimumTokens minimums = m -> (onEmulator(m, suite, endpoint) ? emulator : live).minTokens(m.model());
        return CacheLint.check(suite, source, minimums);
    }

    private static boolean onEmulator(ModelSpec m, Suite suite, String endpoint) {
        String e = endpoint != null ? endpoint : m.baseUrl() != null ? m.baseUrl() : suite.endpoint();
        return e == null || e.equals("emulator");
    }
}
