package dev.sonde.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.sonde.session.SuiteSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventType;

/**
 * What the engine runs and how its verdict follows the run's: suites without a marker class under a
 * class name (Surefire drops tests without one), post-discovery filters cutting the plan before it is
 * sent, the run's verdict when no test shows it, compare suites, a session that throws, the plan cache
 * and the engine's own parameter names.
 */
class FiltersAndVerdictsTest {
    @TempDir
    Path base;

    private EngineTestKit.Builder kit() {
        return EngineTestKit.engine("sonde").configurationParameter("sonde.baseDir", base.toString());
    }

    @Test
    void a_suite_without_a_marker_reports_under_a_class_named_after_its_path_and_a_missing_one_fails() {
        TinySuites.passing(base.resolve("gate"), "one");

        EngineExecutionResults results = kit().configurationParameter("sonde.junit.suites", "gate/one.yaml, gate/gone.yaml")
                .execute();

        results.testEvents().assertStatistics(s -> s.succeeded(4));
        assertThat(results.testEvents().succeeded().list().get(0).getTestDescriptor().getSource())
                .contains(MethodSource.from("gate.one", "capital [sonnet]"));
        assertThat(results.containerEvents().started().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().equals("[engine:sonde]/[suite:gate%2Fgone.yaml]"))
                .map(e -> e.getTestDescriptor().getSource())).containsExactly(java.util.Optional.of(ClassSource.from("gate.gone")));
        results.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                message(base.resolve("gate/gone.yaml") + ":1:1: no such suite file"))));
        assertThat(SuiteDescriptor.className("/tmp/x/2nd run.yml")).isEqualTo("tmp.x._2nd_run");
    }

    @Test
    void the_maven_plugins_property_sonde_suites_does_not_start_the_engine() {
        TinySuites.passing(base, "tiny");

        EngineExecutionResults results = kit().configurationParameter("sonde.suites", "tiny.yaml").execute();

        assertThat(results.allEvents().count()).as("engine started and finished, nothing else").isEqualTo(2);
    }

    @Test
    void a_post_discovery_filter_sends_only_the_trials_it_leaves_and_the_gates_are_skipped() throws IOException {
        TinySuites.failing(base, "tiny");
        List<String> finished = new ArrayList<>();

        launch(d -> FilterResult.includedIf(!d.isTest() || d.getDisplayName().startsWith("greeting")), "part", finished);

        assertThat(finished).contains("greeting [sonnet] SUCCESSFUL", "greeting [haiku] SUCCESSFUL")
                .noneMatch(e -> e.startsWith("capital"));
        assertThat(finished).filteredOn(e -> e.startsWith("baseline ")).isNotEmpty()
                .allMatch(e -> e.endsWith("SKIPPED " + SuiteRun.PART_ONLY));
        assertThat(journaled("part")).hasSize(2).allMatch(line -> line.contains("\"greeting/"));
    }

    @Test
    void a_post_discovery_filter_that_leaves_no_trial_sends_nothing() throws IOException {
        TinySuites.passing(base, "tiny");
        List<String> finished = new ArrayList<>();

        launch(d -> FilterResult.includedIf(!d.isTest() || d.getDisplayName().startsWith("nomatch")), "none", finished);

        assertThat(finished).noneMatch(e -> e.contains("[") || e.startsWith("baseline "));
        assertThat(base.resolve("none")).doesNotExist();
    }

    @Test
    void a_run_that_fails_with_no_failed_test_fails_a_run_verdict_test() {
        TinySuites.file(base, "untimed.yaml", """
                name: untimed
                endpoint: emulator
                emulator: {config: fast.yaml, rules: [rules.yaml]}
                run: {mode: batch}
                models:
                  - {id: haiku, model: claude-haiku-4-5}
                cases:
                  - id: greeting
                    prompt: "Say hello"
                    assert: [{type: latency, max_ms: 30000}]
                """);

        EngineExecutionResults results = kit().selectors(selectFile(base.resolve("untimed.yaml").toFile())).execute();

        results.testEvents().assertStatistics(s -> s.skipped(1).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("verdict:run"), finishedWithFailure(
                message(m -> m.startsWith("the run's verdict is FAIL (sonde run exits 1): 0/0 evaluated trials passed")
                        && m.contains("1 not evaluated")))));
    }

    @Test
    void in_a_compare_suite_a_failed_check_is_aborted_with_its_reason_and_the_run_passes() {
        TinySuites.file(base, "compare.yaml", """
                name: compare
                endpoint: emulator
                emulator: {config: fast.yaml, rules: [rules.yaml]}
                models:
                  - {id: sonnet, model: claude-sonnet-4-6}
                  - {id: haiku, model: claude-haiku-4-5}
                compare: {baseline: sonnet, candidates: [haiku]}
                cases:
                  - id: capital
                    prompt: "What is the capital of France?"
                    assert: [{type: contains, value: Berlin}]
                  - id: greeting
                    prompt: "Say hello"
                    assert: [{type: contains, value: hello}]
                """);

        EngineExecutionResults results = kit().selectors(selectFile(base.resolve("compare.yaml").toFile())).execute();

        results.testEvents().assertStatistics(s -> s.succeeded(2).aborted(2).failed(0));
        assertThat(results.testEvents().aborted().stream().map(e -> e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow().getMessage()))
                .allMatch(m -> m.startsWith("capital/") && m.contains("Berlin"));
        results.containerEvents().assertStatistics(s -> s.failed(0));
    }

    @Test
    void a_session_that_throws_fails_its_suite_and_the_next_suite_still_runs() {
        TinySuites.passing(base, "one");
        TinySuites.passing(base, "two");
        SuiteRun.Session throwsOnOne = (options, lint) -> {
            if (options.suiteFile().endsWith("one.yaml")) {
                throw new IllegalStateException("boom");
            }
            return SuiteSession.run(options, lint);
        };

        EngineExecutionResults results = EngineTestKit.engine(new SondeTestEngine(throwsOnOne))
                .configurationParameter("sonde.baseDir", base.toString())
                .configurationParameter("sonde.junit.suites", "one.yaml,two.yaml").execute();

        results.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message("boom"))));
        assertThat(results.containerEvents().finished().count()).isEqualTo(results.containerEvents().started().count());
        results.testEvents().assertStatistics(s -> s.succeeded(4));
    }

    @Test
    void discoveries_of_an_unchanged_suite_share_one_plan_and_an_edit_makes_a_new_one() throws Exception {
        Path file = TinySuites.passing(base, "tiny");

        SuiteSession.Planned first = PlanCache.plan(file, null);
        assertThat(PlanCache.plan(file, null)).isSameAs(first);
        assertThat(PlanCache.plan(file, 2)).isNotSameAs(first);
        Files.writeString(file, Files.readString(file).replace("Say hello", "Say hello please"));

        assertThat(PlanCache.plan(file, null)).isNotSameAs(first);
    }

    @Test
    void the_engines_own_parameters_are_named_in_its_messages() {
        TinySuites.passing(base, "tiny");

        EngineExecutionResults zero = kit().configurationParameter("sonde.concurrency", "0")
                .selectors(selectFile(base.resolve("tiny.yaml").toFile())).execute();
        EngineExecutionResults part = kit().configurationParameter("sonde.updateBaseline", "true")
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId(
                        "[engine:sonde]/[suite:tiny.yaml]/[case:capital]")).execute();

        zero.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                message("sonde.concurrency must be a whole number >= 1, not '0'"))));
        part.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(
                "sonde.updateBaseline writes the whole plan's run as the baseline: select the suite "
                        + "[engine:sonde]/[suite:tiny.yaml], not part of it"))));
    }

    /** Runs {@code tiny.yaml} through the Launcher with a post-discovery filter; each test's name and how it ended. */
    private void launch(PostDiscoveryFilter filter, String outDir, List<String> finished) {
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    finished.add(id.getDisplayName() + " " + result.getStatus());
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                finished.add(id.getDisplayName() + " SKIPPED " + reason);
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectFile(base.resolve("tiny.yaml").toFile()))
                .filters(EngineFilter.includeEngines("sonde"), filter)
                .configurationParameters(Map.of("sonde.baseDir", base.toString(), "sonde.outDir", outDir))
                .build(), listener);
    }

    /** The journal lines of the one run under {@code outDir}. */
    private List<String> journaled(String outDir) throws IOException {
        try (Stream<Path> runs = Files.list(base.resolve(outDir))) {
            Path run = runs.findFirst().orElseThrow();
            return Files.readAllLines(run.resolve("trials.jsonl")).stream().filter(l -> !l.isBlank()).toList();
        }
    }
}
