package dev.sonde.session;

import dev.sonde.check.CheckSet;
import dev.sonde.check.CompareChecks;
import dev.sonde.check.Graders;
import dev.sonde.emulator.CacheMinimums;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.PriceKey;
import dev.sonde.metrics.PricingTable;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.CaseSpec;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.SuiteSource;
import dev.sonde.suite.lint.CacheLint;
import dev.sonde.suite.lint.LintWarning;
import dev.sonde.suite.lint.MinimumTokens;
import dev.sonde.suite.lint.ModelLint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A suite checked where it will run, without sending anything ({@code sonde lint}, and {@code sonde
 * run} before anything is sent): every assertion built as the run would build it (an unknown type or
 * a bad parameter is the run's {@link SuiteException}), every {@code cache_control} placement that
 * will not do what it means, judged against the minimum cacheable prefix of each model's endpoint
 * (the emulator's config, or the API's built-in minimums), and every model id the pricing table does
 * not price, with the closest known id ({@link ModelLint}: the ids are handed to the suite room from
 * here, from the pricing table and the emulator's model list).
 */
public final class Lint {
    private Lint() {}

    /**
     * What a lint checked and found.
     *
     * @param warnings every warning, in file order
     * @param breakpoints the {@code cache_control} breakpoints checked, each once where it is written
     * @param cases the suite's cases (a dataset's rows each one)
     * @param models the suite's models
     */
    public record Report(Path file, List<LintWarning> warnings, int breakpoints, int cases, int models) {
        public Report {
            warnings = List.copyOf(warnings);
        }

        /** {@code suites/x.yaml: 7 breakpoints in 3 cases × 2 models: no problems} (or {@code : 2 warnings}). */
        public String summary() {
            return file + ": " + count(breakpoints, "breakpoint") + " in " + count(cases, "case") + " × "
                    + count(models, "model") + ": " + (warnings.isEmpty() ? "no problems" : count(warnings.size(), "warning"));
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }

    /**
     * Loads {@code suiteFile} and lints it.
     *
     * @param endpoint {@code --endpoint}, or null for the suite's (per model: its base URL, else the
     *     suite's endpoint, else the emulator)
     * @param pricing {@code --pricing}: a file extending the built-in table and the suite's, or null
     */
    public static Report report(Path suiteFile, String endpoint, Path pricing)
            throws SuiteException, SuiteSession.SetupException {
        SuiteLoader.Loaded loaded = SuiteLoader.read(suiteFile);
        return report(loaded.suite(), loaded.source(), endpoint, SuiteSession.pricing(loaded.suite(), pricing));
    }

    /** The lint of a suite already loaded with its source ({@link SuiteLoader#read}), priced by {@code pricing}. */
    public static Report report(Suite suite, SuiteSource source, String endpoint, PricingTable pricing)
            throws SuiteException, SuiteSession.SetupException {
        if (suite.load() == null) {
            assertions(suite, pricing);
        }
        CacheMinimums live = CacheMinimums.builtIn();
        CacheMinimums emulator;
        try {
            emulator = suite.emulator().config() == null ? live
                    : CacheMinimums.of(EmulatorConfig.load(suite.emulator().config()));
        } catch (RuntimeException e) {
            throw new SuiteSession.SetupException(SuiteSession.SetupException.BAD_INPUT, e.getMessage());
        }
        MinimumTokens minimums = m -> (onEmulator(m, suite, endpoint) ? emulator : live)
                .minTokens(PriceKey.parse(m.priceKey()).map(PriceKey::anthropicId).orElse(m.model()));
        CacheLint.Result cache = CacheLint.inspect(suite, source, minimums);
        List<LintWarning> warnings = new ArrayList<>(ModelLint.check(suite, source, known(pricing)));
        warnings.addAll(cache.warnings());
        warnings.sort(Comparator.comparing((LintWarning w) -> w.location().file().toString())
                .thenComparingInt(w -> w.location().line()).thenComparingInt(w -> w.location().column()));
        return new Report(suite.file(), warnings, cache.breakpoints(), suite.cases().size(), suite.models().size());
    }

    /** The model ids the suite room may suggest from: the pricing table's, then the emulator's. */
    static ModelLint.KnownModels known(PricingTable pricing) {
        Set<String> ids = new LinkedHashSet<>(pricing.modelIds());
        ids.addAll(Emulator.modelIds());
        return new ModelLint.KnownModels(m -> pricing.priceOf(m).isPresent(), List.copyOf(ids));
    }

    /**
     * Builds every case's checks as the run will before its first request, graders resolved as the
     * run resolves them (none is asked anything): a lint that passes is a run that starts.
     */
    private static void assertions(Suite suite, PricingTable pricing) throws SuiteException {
        Graders graders = new SessionGraders(suite, Map.of(), pricing, Clock.system());
        List<AssertSpec> previous = null; // cases in a row sharing one list (defaults, a dataset's) build it once
        for (CaseSpec c : suite.casesForChecks()) {
            CompareChecks.refuse(suite, c);
            if (c.asserts() != previous) {
                CheckSet.create(c.asserts(), c.threshold(), graders);
                previous = c.asserts();
            }
        }
    }

    private static boolean onEmulator(ModelSpec m, Suite suite, String endpoint) {
        String e = endpoint != null ? endpoint : m.baseUrl() != null ? m.baseUrl() : suite.endpoint();
        return e == null || e.equals("emulator");
    }
}
