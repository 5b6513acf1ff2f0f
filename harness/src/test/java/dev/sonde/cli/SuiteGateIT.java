package dev.sonde.cli;

import dev.sonde.session.SuiteSession;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sonde.analysis.Failures;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Clock;
import dev.sonde.run.RunAborted;
import dev.sonde.run.TrialListener;
import dev.sonde.suite.SuiteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Maven gate: {@code mvn verify -Psuite=NAME} runs {@code suites/NAME.yaml} (or
 * {@code -Dsuite=PATH} any suite file) against the embedded emulator, or the suite's endpoint, and
 * reports one test per trial (case × model × repeat) so CI lists them. A failing trial fails the
 * build; a trial that was not evaluated (none of its checks applied) is reported as skipped, with
 * why; the HTML report's path is printed either way. Skipped when no suite is requested, so the
 * plain test build is unaffected. An unknown {@code -Psuite=NAME} (Maven 3 only warns about it)
 * fails here with the list of suites.
 */
class SuiteGateIT {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();

    /**
     * Progress stays quiet in the build log, but a live run's banner (where requests go, which key
     * pays, what the plan may cost) prints before anything is sent, as it does for {@code sonde run -q}.
     */
    private static final TrialListener BANNER = new TrialListener() {
        @Override
        public void finished(TrialResult result, int done, int total) {}

        @Override
        public void announce(String line) {
            System.out.println("Sonde " + line);
        }
    };

    @TestFactory
    @DisplayName("sonde")
    Stream<DynamicTest> suite() throws Exception {
        String suite = System.getProperty("sonde.suite", "").strip();
        List<String> requested = requestedSuiteProfiles(System.getProperty("sonde.requestedProfiles", ""));
        if (suite.isEmpty() && !requested.isEmpty()) {
            fail("no suite named '" + requested.get(0) + "' (-Psuite=" + requested.get(0) + "); suites: " + knownSuites()
                    + ". Run one with -Psuite=NAME, or any file with -Dsuite=path/to/suite.yaml");
        }
        Assumptions.assumeFalse(suite.isEmpty(), "no suite requested (-Psuite=NAME or -Dsuite=PATH)");
        Path file = resolve(suite);
        if (!Files.isRegularFile(file)) {
            fail((requested.contains(suite) ? "no suite named '" + suite + "' (-Psuite=" + suite + ": " + file
                    + " does not exist)" : "no suite file " + file) + "; suites: " + knownSuites()
                    + ". Run one with -Psuite=NAME, or any file with -Dsuite=path/to/suite.yaml");
        }
        SuiteSession.Outcome ended;
        try {
            // cache_control mistakes, as `sonde run` prints them: warned, the gate goes on
            ended = SuiteSession.run(new SuiteSession.Options(file, null, null, null, null, PROJECT, System.getenv(),
                    BANNER, Clock.system()), w -> System.out.println("Sonde lint: " + w));
        } catch (SuiteException e) {
            fail(e.getMessage());
            return Stream.empty();
        } catch (SuiteSession.SetupException e) {
            fail("sonde: " + e.getMessage());
            return Stream.empty();
        } catch (RunAborted e) {
            fail("sonde: run stopped: " + e.getMessage() + " (partial results: " + e.partial().outDir() + ")");
            return Stream.empty();
        }
        if (ended instanceof SuiteSession.Benchmarked benchmark) {
            benchmark.load().steps().forEach(step -> System.out.println("Sonde " + dev.sonde.run.LoadRunner.describe(step)));
            return benchmark.load().steps().stream().map(step -> DynamicTest.dynamicTest("load step " + step.step(), () -> {
                if (step.succeeded() == 0) {
                    fail("step " + step.step() + " had no successful request: " + step.errorsByClass());
                }
            }));
        }
        SuiteSession.Evaluated outcome = (SuiteSession.Evaluated) ended;
        System.out.println("Sonde " + (outcome.passed() ? "PASS" : "FAIL") + ": "
                + outcome.analysis().summary().total().passed() + "/" + outcome.analysis().summary().total().trials()
                + " trials passed");
        System.out.println("Sonde report: " + (outcome.outputs().html() != null
                ? outcome.outputs().html().toAbsolutePath() : outcome.result().outDir() + " (report.html failed)"));
        outcome.outputs().failures().forEach(f -> System.out.println("Sonde could not write " + f.describe()));
        outcome.comparison().verdict().lines().forEach(l -> System.out.println("Sonde baseline: " + l));
        List<TrialResult> trials;
        try (Stream<TrialResult> s = outcome.result().trials()) {
            trials = s.toList();
        }
        Stream<DynamicTest> perTrial = trials.stream().map(t -> DynamicTest.dynamicTest(t.displayName(), () -> {
            Assumptions.assumeFalse(t.notEvaluated(), () -> Failures.why(t));
            if (!t.pass()) {
                fail(explain(t));
            }
        }));
        Stream<DynamicTest> gates = outcome.comparison().verdict().gates().stream()
                .map(g -> DynamicTest.dynamicTest("baseline " + g.name(), () -> {
                    if (g.failed()) {
                        fail(g.line());
                    }
                }));
        return Stream.concat(perTrial, gates);
    }

    static String explain(TrialResult t) {
        if (t.error() != null) {
            return t.trialId() + ": " + t.error().describe();
        }
        return t.trialId() + ": " + t.checks().stream().filter(c -> !c.pass() && c.applicable())
                .map(c -> c.type() + ": " + c.reason()).collect(Collectors.joining("; "));
    }

    /** {@code profiles=[suite=nope, other]} → {@code [nope]}. */
    static List<String> requestedSuiteProfiles(String property) {
        String list = property.replaceFirst("^profiles=\\[", "").replaceFirst("]$", "");
        return Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(p -> p.startsWith("suite="))
                .map(p -> p.substring("suite=".length()))
                .toList();
    }

    private static Path resolve(String suite) {
        if (suite.endsWith(".yaml") || suite.endsWith(".yml") || suite.contains("/")) {
            Path p = Path.of(suite);
            return p.isAbsolute() ? p : PROJECT.resolve(p).normalize();
        }
        return PROJECT.resolve("suites").resolve(suite + ".yaml");
    }

    private static String knownSuites() throws IOException {
        Path dir = PROJECT.resolve("suites");
        if (!Files.isDirectory(dir)) {
            return "(none: no suites/ folder)";
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted()
                    .collect(Collectors.joining(", "));
        }
    }
}
