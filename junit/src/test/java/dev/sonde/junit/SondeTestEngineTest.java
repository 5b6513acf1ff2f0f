package dev.sonde.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathResource;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * The engine through the Platform's own test kit (only the API that Platform 1.14 and 6 share, so the
 * same sources run on both): opt-in discovery, one test per trial named as the run names it, failures
 * with their reasons, selection by unique id, and suites that cannot run.
 */
class SondeTestEngineTest {
    @TempDir
    Path base;

    @SondeSuite("tiny.yaml")
    static class TinyIT {}

    @SondeSuite("red.yaml")
    static class RedIT {}

    @SondeSuite("bad.yaml")
    static class BadIT {}

    @SondeSuite
    static class RequestedIT {}

    @SondeSuite("load.yaml")
    static class LoadIT {}

    static class PlainTest {}

    private EngineTestKit.Builder kit() {
        return EngineTestKit.engine("sonde").configurationParameter("sonde.baseDir", base.toString());
    }

    @Test
    void the_engine_on_the_classpath_runs_nothing_without_a_marker_class_or_a_selector_of_its_own() {
        TinySuites.passing(base, "tiny");

        for (EngineExecutionResults results : List.of(kit().execute(),
                kit().selectors(selectClass(PlainTest.class)).execute(),
                kit().selectors(selectClasspathRoots(Set.of(base)).toArray(new DiscoverySelector[0])).execute())) {
            assertThat(results.allEvents().count()).as("engine started and finished, nothing else").isEqualTo(2);
        }
    }

    @Test
    void a_marker_class_lists_one_test_per_trial_named_as_the_run_names_it_under_the_class() {
        TinySuites.passing(base, "tiny");

        EngineExecutionResults results = kit().selectors(selectClass(TinyIT.class)).execute();

        results.testEvents().assertStatistics(s -> s.started(4).succeeded(4).failed(0).skipped(0));
        assertThat(results.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactly("capital [sonnet]", "capital [haiku]", "greeting [sonnet]", "greeting [haiku]");
        TestDescriptor trial = results.testEvents().succeeded().list().get(0).getTestDescriptor();
        assertThat(trial.getSource()).contains(MethodSource.from(TinyIT.class.getName(), "capital [sonnet]"));
        assertThat(trial.getUniqueId().toString())
                .isEqualTo("[engine:sonde]/[suite:tiny.yaml]/[case:capital]/[trial:sonnet#0]");
        assertThat(trial.getParent().flatMap(TestDescriptor::getParent).flatMap(TestDescriptor::getSource))
                .contains(ClassSource.from(TinyIT.class));
    }

    @Test
    void a_repeated_plan_names_each_repeat_as_the_run_does() {
        TinySuites.passing(base, "tiny");

        EngineExecutionResults results = kit().configurationParameter("sonde.repeat", "2")
                .selectors(selectClass(TinyIT.class)).execute();

        assertThat(results.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()).limit(2))
                .containsExactly("capital [sonnet]", "capital [sonnet] #2");
        results.testEvents().assertStatistics(s -> s.succeeded(8));
    }

    @Test
    void a_failing_assertion_fails_its_trial_with_the_check_reason() {
        TinySuites.failing(base, "red");

        EngineExecutionResults results = kit().selectors(selectClass(RedIT.class)).execute();

        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(2));
        results.testEvents().failed().assertThatEvents().haveExactly(1, event(test("trial:sonnet#0"),
                finishedWithFailure(message(m -> m.startsWith("capital/sonnet/0: contains: ") && m.contains("Berlin")))));
    }

    @Test
    void selecting_one_case_by_unique_id_runs_its_trials_on_every_model_and_skips_every_gate() throws Exception {
        TinySuites.passing(base, "tiny");
        // each run in a folder of its own: two runs of a suite in one second would share the default one
        EngineExecutionResults accepted = kit().configurationParameter("sonde.updateBaseline", "true")
                .configurationParameter("sonde.outDir", "accepted")
                .selectors(selectFile(base.resolve("tiny.yaml").toFile())).execute();
        accepted.testEvents().assertStatistics(s -> s.succeeded(4).failed(0));
        assertThat(base.resolve("tiny-baseline.json")).exists();

        EngineExecutionResults whole = kit().configurationParameter("sonde.outDir", "whole")
                .selectors(selectClass(TinyIT.class)).execute();
        whole.testEvents().assertStatistics(s -> s.failed(0));
        List<String> judged = whole.testEvents().stream()
                .filter(e -> e.getType() == EventType.FINISHED || e.getType() == EventType.SKIPPED)
                .map(e -> e.getTestDescriptor().getDisplayName()).filter(n -> n.startsWith("baseline ")).toList();
        assertThat(judged).as("gates judged on the whole plan").contains("baseline new_failures", "baseline pass_rate");
        long gates = judged.size();

        EngineExecutionResults part = kit().configurationParameter("sonde.outDir", "part")
                .selectors(selectUniqueId("[engine:sonde]/[suite:tiny.yaml]/[case:greeting]")).execute();

        assertThat(part.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactly("greeting [sonnet]", "greeting [haiku]");
        part.testEvents().assertStatistics(s -> s.succeeded(2).failed(0).skipped(gates));
        part.testEvents().skipped().assertThatEvents()
                .allMatch(e -> e.getTestDescriptor().getDisplayName().startsWith("baseline "))
                .are(event(skippedWithReason(SuiteRun.PART_ONLY)));
        assertThat(part.testEvents().started().stream()).allMatch(e -> e.getTestDescriptor().getSource()
                .equals(Optional.of(MethodSource.from("tiny", e.getTestDescriptor().getDisplayName()))));
        try (Stream<Path> runs = Files.list(base.resolve("part"))) {
            assertThat(runs.map(p -> p.getFileName().toString())).singleElement().matches(n -> n.matches("tiny-\\d{8}-\\d{6}-part"));
        }
    }

    @Test
    void selecting_one_trial_runs_only_it() {
        TinySuites.passing(base, "tiny");

        EngineExecutionResults results = kit()
                .selectors(selectUniqueId("[engine:sonde]/[suite:tiny.yaml]/[case:capital]/[trial:haiku#0]")).execute();

        assertThat(results.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactly("capital [haiku]");
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void a_bad_suite_fails_its_container_with_file_line_and_column() {
        TinySuites.file(base, "bad.yaml", """
                name: bad
                models:
                  - {id: sonnet, model: claude-sonnet-4-6}
                cases:
                  - id: one
                    prompt: "hi"
                    asert: [{type: contains, value: x}]
                """);

        EngineExecutionResults results = kit().selectors(selectClass(BadIT.class)).execute();

        results.testEvents().assertStatistics(s -> s.started(0));
        Event failed = results.containerEvents().failed().list().get(0);
        assertThat(failed.getTestDescriptor().getUniqueId().toString()).isEqualTo("[engine:sonde]/[suite:bad.yaml]");
        assertThat(results.containerEvents().failed().list()).hasSize(1);
        String message = failed.getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertThat(message).containsPattern("bad\\.yaml:7:\\d+").contains("asert");
    }

    @Test
    void a_stale_unique_id_fails_its_suite_saying_which_test_is_gone() {
        TinySuites.passing(base, "tiny");

        EngineExecutionResults results = kit()
                .selectors(selectUniqueId("[engine:sonde]/[suite:tiny.yaml]/[case:renamed]")).execute();

        results.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                message(m -> m.startsWith("no test [engine:sonde]/[suite:tiny.yaml]/[case:renamed] in the plan of ")))));
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @Test
    void a_marker_without_a_value_is_skipped_when_no_suite_is_requested() {
        EngineExecutionResults results = kit().selectors(selectClass(RequestedIT.class)).execute();

        results.testEvents().assertStatistics(s -> s.started(0).skipped(1));
        results.testEvents().assertThatEvents().haveExactly(1,
                event(skippedWithReason("no suite requested (-Psuite=NAME or -Dsuite=PATH)")));
    }

    @Test
    void a_marker_without_a_value_runs_the_requested_suite_and_an_unknown_name_fails_with_the_list() {
        TinySuites.passing(base.resolve("suites"), "tiny");
        TinySuites.passing(base.resolve("suites"), "other");

        EngineExecutionResults known = kit().configurationParameter("sonde.suite", "tiny")
                .configurationParameter("sonde.requestedProfiles", "profiles=[suite=tiny]")
                .selectors(selectClass(RequestedIT.class)).execute();
        EngineExecutionResults unknown = kit().configurationParameter("sonde.suite", "nope")
                .configurationParameter("sonde.requestedProfiles", "profiles=[suite=nope]")
                .selectors(selectClass(RequestedIT.class)).execute();

        known.testEvents().assertStatistics(s -> s.succeeded(4));
        unknown.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(
                "no suite named 'nope' (-Psuite=nope: " + base.resolve("suites/nope.yaml") + " does not exist); "
                        + "suites: fast, other, rules, tiny. Run one with -Psuite=NAME, or any file with "
                        + "-Dsuite=path/to/suite.yaml"))));
    }

    @Test
    void the_suites_parameter_runs_every_suite_of_a_directory_under_its_file() {
        TinySuites.passing(base.resolve("gate"), "one");
        TinySuites.passing(base.resolve("gate"), "two");

        EngineExecutionResults results = kit().configurationParameter("sonde.junit.suites", "gate/one.yaml")
                .execute();

        results.testEvents().assertStatistics(s -> s.succeeded(4));
        assertThat(results.containerEvents().started().stream().map(e -> e.getTestDescriptor().getUniqueId().toString()))
                .contains("[engine:sonde]/[suite:gate%2Fone.yaml]");
    }
    @Test
    void a_benchmark_reports_a_test_per_load_step_and_cannot_be_selected_in_part() {
        TinySuites.file(base, "load.yaml", """
                name: load
                emulator: {config: fast.yaml}
                models:
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 20}}
                cases:
                  - id: short
                    prompt: "Say something short."
                load:
                  mode: closed
                  concurrency: [1, 2]
                  duration_s: 1
                  warmup_s: 0
                  max_requests: 4
                """);

        EngineExecutionResults whole = kit().selectors(selectClass(LoadIT.class)).execute();
        EngineExecutionResults part = kit()
                .selectors(selectUniqueId("[engine:sonde]/[suite:load.yaml]/[case:short]")).execute();

        assertThat(whole.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactly("load step 0", "load step 1");
        part.testEvents().assertStatistics(s -> s.started(0));
        part.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(
                "a benchmark (load:) runs its load whole: select its suite ([engine:sonde]/[suite:load.yaml]), "
                        + "not part of it"))));
    }
    @Test
    void a_package_scan_lists_the_marker_classes_only_and_a_missing_file_fails_its_suite() {
        EngineExecutionResults results = kit().selectors(selectPackage(SondeTestEngineTest.class.getPackageName()))
                .execute();

        assertThat(results.containerEvents().started().stream().map(e -> e.getTestDescriptor().getUniqueId().toString()))
                .containsExactlyInAnyOrder("[engine:sonde]", "[engine:sonde]/[suite:tiny.yaml]",
                        "[engine:sonde]/[suite:red.yaml]", "[engine:sonde]/[suite:bad.yaml]",
                        "[engine:sonde]/[suite:load.yaml]", "[engine:sonde]/[class:" + RequestedIT.class.getName() + "]");
        results.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                message(base.resolve("tiny.yaml") + ":1:1: no such suite file"))));
        results.testEvents().assertStatistics(s -> s.started(0).skipped(1));
    }

    @Test
    void requested_suite_profiles_are_read_from_the_list_maven_passes() {
        assertThat(RequestedSuite.suiteProfiles("profiles=[suite=nope, other]")).containsExactly("nope");
        assertThat(RequestedSuite.suiteProfiles("profiles=[]")).isEmpty();
    }
    @Test
    void a_classpath_resource_that_is_not_there_fails_its_suite_saying_so() {
        EngineExecutionResults results = kit().selectors(selectClasspathResource("dev/sonde/junit/missing.yaml"))
                .execute();

        results.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                message("no classpath resource dev/sonde/junit/missing.yaml"))));
    }
}
