package dev.sonde.junit;

import dev.sonde.analysis.Failures;
import dev.sonde.analysis.RunSummary;
import dev.sonde.baseline.GateResult;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Clock;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.RunAborted;
import dev.sonde.run.StepResult;
import dev.sonde.run.TrialListener;
import dev.sonde.session.SuiteSession;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.lint.LintWarning;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;

/**
 * Runs one suite container: one {@link SuiteSession#run} of the trials still in its tree at execution
 * (all of them, or those a unique id or a post-discovery filter left: none runs nothing), then reports
 * each trial from the journal — failed with its reasons (aborted in a {@code compare:} suite, where a
 * failed check is what the comparison measures), skipped with why when it was not evaluated or not sent,
 * successful otherwise — and each baseline gate (skipped when only part of the plan ran), printing what
 * the Maven gate printed. When the run's verdict is a fail that no test shows, a {@code run verdict} test
 * fails with it, so the engine never passes a run that {@code sonde run} fails (a part's gates aside: the
 * engine skips them). A suite that cannot run fails its container with one line; an unexpected exception
 * fails it with that exception, and the next suites still run.
 */
final class SuiteRun {
    static final String PART_ONLY = "only part of the plan ran";
    static final String VERDICT = "verdict";

    /** How a suite is run: {@link SuiteSession#run(SuiteSession.Options, Consumer)}, or a stand-in in tests. */
    @FunctionalInterface
    interface Session {
        SuiteSession.Outcome run(SuiteSession.Options options, Consumer<LintWarning> lint)
                throws SuiteException, SuiteSession.SetupException, RunAborted, IOException, InterruptedException;
    }


    /**
     * Progress stays quiet in the test log, but a live run's banner (where requests go, which key pays,
     * what the plan may cost) prints before anything is sent, as it does for {@code sonde run -q}.
     */
    private static final TrialListener BANNER = new TrialListener() {
        @Override
        public void finished(TrialResult result, int done, int total) {}

        @Override
        public void announce(String line) {
            System.out.println("Sonde " + line);
        }
    };

    private final SuiteDescriptor suite;
    private final EngineExecutionListener listener;
    private final Session session;
    private boolean anyFailed;

    private SuiteRun(SuiteDescriptor suite, EngineExecutionListener listener, Session session) {
        this.suite = suite;
        this.listener = listener;
        this.session = session;
    }

    static void execute(SuiteDescriptor suite, EngineExecutionListener listener, Session session) {
        new SuiteRun(suite, listener, session).execute();
    }

    private void execute() {
        switch (suite.state()) {
            case SuiteDescriptor.Skipped skipped -> {
                // a skipped test, not a skipped container: Surefire reports only the former, with its reason
                listener.executionStarted(suite);
                listener.executionSkipped(register(suite, suite.getUniqueId().append(SuiteTree.SKIPPED, "suite"),
                        "sonde"), skipped.reason());
                listener.executionFinished(suite, TestExecutionResult.successful());
            }
            case SuiteDescriptor.Broken broken -> {
                listener.executionStarted(suite);
                listener.executionFinished(suite, failed(broken.message()));
            }
            case SuiteDescriptor.Ready ready -> {
                listener.executionStarted(suite);
                TestExecutionResult result;
                try {
                    result = run(ready);
                } catch (RuntimeException e) { // a bug, not the user's: its trace helps; the next suites still run
                    result = TestExecutionResult.failed(e);
                }
                listener.executionFinished(suite, result);
            }
        }
    }

    private TestExecutionResult run(SuiteDescriptor.Ready ready) {
        Settings settings = suite.settings();
        Set<String> selected = selectedTrials();
        boolean part = !ready.planned().benchmark() && selected.size() < ready.planned().trials().size();
        if (!ready.planned().benchmark() && selected.isEmpty()) {
            System.out.println("Sonde " + suite.getDisplayName() + ": no trial of the plan is selected; nothing sent");
            return TestExecutionResult.successful();
        }
        if (part && settings.updateBaseline()) {
            return failed(Settings.UPDATE_BASELINE + " writes the whole plan's run as the baseline: select the suite "
                    + suite.getUniqueId() + ", not part of it");
        }
        Path outDir = settings.outDir() == null ? null
                : settings.outDir().resolve(SuiteSession.runId(ready.planned().suite().name(), Clock.system().now(), null, part));
        SuiteSession.Options options = options(settings, ready.file(), outDir, part ? selected : null);
        SuiteSession.Outcome ended;
        try {
            // cache_control mistakes and unpriced models, as `sonde run` prints them: warned, the run goes on
            ended = session.run(options, w -> System.out.println("Sonde lint: " + w));
        } catch (SuiteException e) {
            return failed(e.getMessage());
        } catch (SuiteSession.SetupException e) {
            return failed("sonde: " + e.getMessage());
        } catch (RunAborted e) {
            return failed("sonde: run stopped: " + e.getMessage() + " (partial results: " + e.partial().outDir() + ")");
        } catch (IOException e) {
            return failed("sonde: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("sonde: interrupted");
        }
        try {
            switch (ended) {
                case SuiteSession.Benchmarked benchmark -> benchmark(benchmark);
                case SuiteSession.Evaluated evaluated -> evaluated(evaluated, part);
            }
        } catch (IOException e) {
            return failed("sonde: cannot read the run's journal: " + e.getMessage());
        }
        return TestExecutionResult.successful();
    }

    /** The session's options for a suite file run with {@code settings}: {@code only} null for the whole plan. */
    static SuiteSession.Options options(Settings settings, Path file, Path outDir, Set<String> only) {
        return new SuiteSession.Options(file, settings.endpoint(), outDir, settings.concurrency(), null,
                settings.baseDir(), System.getenv(), BANNER, Clock.system(), null, settings.updateBaseline(), null, false,
                false, List.of(), List.of(), settings.repeat(), null, only, settings.history());
    }

    /**
     * The trial ids still under the suite: what discovery kept (a unique id's part) less what a
     * post-discovery filter removed since (Failsafe's {@code -Dit.test=Class#case*}, tags, Gradle's
     * {@code --tests}).
     */
    private Set<String> selectedTrials() {
        Set<String> ids = new LinkedHashSet<>();
        for (TestDescriptor child : suite.getChildren()) {
            for (TestDescriptor test : child.getChildren()) {
                if (test instanceof TrialDescriptor trial) {
                    ids.add(trial.trialId());
                }
            }
        }
        return ids;
    }

    private void evaluated(SuiteSession.Evaluated outcome, boolean part) throws IOException {
        System.out.println("Sonde " + (outcome.passed() ? "PASS" : "FAIL") + ": "
                + outcome.analysis().summary().total().passed() + "/" + outcome.analysis().summary().total().trials()
                + " trials passed");
        System.out.println("Sonde report: " + (outcome.outputs().html() != null
                ? outcome.outputs().html().toAbsolutePath() : outcome.result().outDir() + " (report.html failed)"));
        outcome.outputs().failures().forEach(f -> System.out.println("Sonde could not write " + f.describe()));
        if (outcome.history() != null) { // recorded or not, the trials' and gates' verdicts stand
            outcome.history().lines().forEach(l -> System.out.println("Sonde " + l));
        }
        // a part's comparison covers its own pairs only: shown for information, its gates are skipped
        String baseline = part ? "Sonde baseline (" + PART_ONLY + ", not gated): " : "Sonde baseline: ";
        outcome.comparison().verdict().lines().forEach(l -> System.out.println(baseline + l));
        Map<String, TrialResult> byId = new HashMap<>();
        try (Stream<TrialResult> s = outcome.result().trials()) {
            s.forEach(t -> byId.put(t.trialId(), t));
        }
        for (TestDescriptor child : List.copyOf(suite.getChildren())) {
            if (child.getUniqueId().getLastSegment().getType().equals(SuiteTree.GATES)) {
                gates(child, outcome.comparison().verdict().gates(), part);
                continue;
            }
            listener.executionStarted(child);
            for (TestDescriptor trial : List.copyOf(child.getChildren())) {
                trial((TrialDescriptor) trial, byId.get(((TrialDescriptor) trial).trialId()), outcome.models() != null);
            }
            listener.executionFinished(child, TestExecutionResult.successful());
        }
        // gates of a part are not the engine's to judge (skipped above), so a part follows its trials' verdict
        boolean passed = part ? outcome.verdict().ok() : outcome.passed();
        if (!passed && !anyFailed) {
            VerdictDescriptor test = register(suite, suite.getUniqueId().append(VERDICT, "run"), "run verdict");
            listener.executionStarted(test);
            listener.executionFinished(test, failed(verdictLine(outcome)));
        }
    }

    /** Why {@code sonde run} would exit 1 on this run when no trial or gate test failed: its counts, one line. */
    static String verdictLine(SuiteSession.Evaluated outcome) {
        RunSummary.Stats t = outcome.analysis().summary().total();
        long skipped = outcome.result().skippedTrials();
        return "the run's verdict is " + outcome.verdict().word() + " (sonde run exits 1): " + t.passed() + "/"
                + t.evaluated() + " evaluated trials passed, " + t.failed() + " failed, " + t.errored() + " errored"
                + (t.notEvaluated() > 0 ? ", " + t.notEvaluated() + " not evaluated (no check applied)" : "")
                + (skipped > 0 ? ", " + skipped + " never sent" : "")
                + (t.evaluated() == 0 ? "; a run needs at least one evaluated trial" : "");
    }

    /**
     * A trial's test: skipped when it was not evaluated or never sent; in a {@code compare:} suite a trial
     * whose checks failed on a good exchange is aborted with its reasons (the comparison measures them,
     * and {@code sonde run} passes it), an errored one failed.
     */
    private void trial(TrialDescriptor test, TrialResult t, boolean compares) {
        if (t != null && (t.notEvaluated() || t.skipped() != null)) {
            listener.executionSkipped(test, Failures.why(t));
            return;
        }
        listener.executionStarted(test);
        if (t == null) {
            anyFailed = true;
            listener.executionFinished(test, failed(test.trialId() + ": not in the run's journal"));
        } else if (t.pass()) {
            listener.executionFinished(test, TestExecutionResult.successful());
        } else if (compares && t.error() == null) {
            listener.executionFinished(test, TestExecutionResult.aborted(new SondeFailure(explain(t)
                    + " (compare: what the model comparison measures, not a failure of the run)")));
        } else {
            anyFailed = true;
            listener.executionFinished(test, failed(explain(t)));
        }
    }

    /** {@code trial-id: type: reason; …}, or the exchange's error: the Maven gate's failure message. */
    static String explain(TrialResult t) {
        return t.trialId() + ": " + Failures.why(t);
    }

    /**
     * Each gate as a test registered now: its decision when the whole plan ran (a gate that could not
     * judge is skipped with its line); every one skipped when only part of it did.
     */
    private void gates(TestDescriptor container, List<GateResult> gates, boolean part) {
        if (gates.isEmpty() && part) {
            listener.executionSkipped(container, PART_ONLY);
            return;
        }
        listener.executionStarted(container);
        Set<String> named = new HashSet<>();
        for (GateResult g : gates) {
            String name = g.name();
            for (int n = 2; !named.add(name); n++) {
                name = g.name() + " #" + n;
            }
            VerdictDescriptor test = register(container, container.getUniqueId().append(SuiteTree.GATE, name),
                    "baseline " + name);
            if (part) {
                listener.executionSkipped(test, PART_ONLY);
            } else if (g.outcome() == GateResult.Decision.SKIP) {
                listener.executionSkipped(test, g.line());
            } else {
                listener.executionStarted(test);
                anyFailed |= g.failed();
                listener.executionFinished(test, g.failed() ? failed(g.line()) : TestExecutionResult.successful());
            }
        }
        listener.executionFinished(container, TestExecutionResult.successful());
    }

    /** A test per load step: failed when no request succeeded or the step broke its {@code max_error_rate}. */
    private void benchmark(SuiteSession.Benchmarked benchmark) {
        benchmark.load().steps().forEach(step -> System.out.println("Sonde " + LoadRunner.describe(step)));
        if (benchmark.baseline() != null) {
            benchmark.baseline().verdict().lines().forEach(l -> System.out.println("Sonde baseline: " + l));
        }
        for (StepResult step : benchmark.load().steps()) {
            VerdictDescriptor test = register(suite, suite.getUniqueId().append(SuiteTree.STEP,
                    Integer.toString(step.step())), "load step " + step.step());
            listener.executionStarted(test);
            String failure = step.succeeded() == 0 ? "step " + step.step() + " had no successful request: "
                    + step.errorsByClass() : step.failed() != null ? "step " + step.step() + ": " + step.failed() : null;
            listener.executionFinished(test, failure == null ? TestExecutionResult.successful() : failed(failure));
        }
        for (TestDescriptor child : List.copyOf(suite.getChildren())) {
            if (child.getUniqueId().getLastSegment().getType().equals(SuiteTree.GATES)) {
                gates(child, benchmark.baseline() == null ? List.of() : benchmark.baseline().verdict().gates(), false);
            }
        }
    }

    private VerdictDescriptor register(TestDescriptor parent, UniqueId id, String displayName) {
        TestSource source = suite.testSource(displayName);
        VerdictDescriptor test = new VerdictDescriptor(id, displayName, source);
        parent.addChild(test);
        listener.dynamicTestRegistered(test);
        return test;
    }

    private static TestExecutionResult failed(String message) {
        return TestExecutionResult.failed(new SondeFailure(message));
    }
}
