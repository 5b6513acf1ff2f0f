package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Clock;
import dev.sonde.run.TrialListener;
import dev.sonde.suite.Trial;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of the trials an IDE or the JUnit engine selects ({@link SuiteSession.Options#only}): exactly
 * those are sent, the part is judged against the baseline on its own pairs (the rest of the plan is
 * absent, not missing), and what needs the whole plan is refused before anything is sent.
 */
class SelectedTrialsTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final Path REGRESSION = PROJECT.resolve("suites/regression.yaml");
    private static final TrialListener QUIET = new TrialListener() {
        @Override
        public void finished(TrialResult result, int done, int total) {}
    };

    @TempDir
    Path out;

    private SuiteSession.Options options(boolean updateBaseline) {
        return new SuiteSession.Options(REGRESSION, null, out.resolve("run"), null, null, PROJECT, Map.of(), QUIET,
                Clock.system(), null, updateBaseline, null, false, false, List.of(), List.of(), null, null);
    }

    @Test
    void the_plan_lists_every_trial_and_a_selected_case_runs_on_every_model_and_nothing_else() throws Exception {
        SuiteSession.Planned planned = SuiteSession.plan(REGRESSION, null);
        assertThat(planned.benchmark()).isFalse();
        assertThat(planned.trials()).hasSize(28);
        String firstCase = planned.trials().get(0).caseId();
        Set<String> ids = planned.trials().stream().filter(t -> t.caseId().equals(firstCase)).map(Trial::id)
                .collect(Collectors.toSet());
        assertThat(ids).hasSize(2);

        SuiteSession.Evaluated run = (SuiteSession.Evaluated) SuiteSession.run(options(false).only(ids));

        List<TrialResult> ran;
        try (Stream<TrialResult> s = run.result().trials()) {
            ran = s.toList();
        }
        assertThat(ran).extracting(TrialResult::trialId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(run.result().info().runId()).endsWith("-part");
        assertThat(run.passed()).as(String.join("\n", run.comparison().verdict().lines())).isTrue();
        assertThat(String.join("\n", run.comparison().verdict().lines())).doesNotContain("missing");
    }

    @Test
    void a_selected_trial_of_a_cache_variant_brings_its_whole_sequence_and_nothing_else() throws Exception {
        Path suite = PROJECT.resolve("suites/cache-placement.yaml");
        List<Trial> plan = SuiteSession.plan(suite, null).trials();
        Trial picked = plan.stream().filter(t -> t.sequence() != null && !t.warmup() && t.repeat() == 2)
                .findFirst().orElseThrow();
        Set<String> sequence = plan.stream().filter(t -> picked.sequence().equals(t.sequence())).map(Trial::id)
                .collect(Collectors.toSet());
        assertThat(sequence).hasSizeGreaterThan(2).hasSizeLessThan(plan.size());

        SuiteSession.Evaluated run = (SuiteSession.Evaluated) SuiteSession.run(new SuiteSession.Options(suite, null,
                out.resolve("cache"), null, null, PROJECT, Map.of(), QUIET, Clock.system()).only(Set.of(picked.id())));

        try (Stream<TrialResult> s = run.result().trials()) {
            assertThat(s.map(TrialResult::trialId)).containsExactlyInAnyOrderElementsOf(sequence);
        }
    }

    @Test
    void an_id_not_in_the_plan_and_a_selection_that_needs_the_whole_plan_are_refused_before_anything_is_sent() throws Exception {
        String one = SuiteSession.plan(REGRESSION, null).trials().get(0).id();

        assertThatThrownBy(() -> SuiteSession.run(options(false).only(Set.of(one, "nope/sonnet/1"))))
                .isInstanceOfSatisfying(SuiteSession.SetupException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageStartingWith("no trial nope/sonnet/1 in the plan of ");
        assertThatThrownBy(() -> SuiteSession.run(options(true).only(Set.of(one))))
                .hasMessage("--update-baseline needs the whole plan: run it without selecting trials");
        assertThat(out.resolve("run")).doesNotExist();
    }
}
