package dev.sonde.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.journal.TrialResult;
import dev.sonde.session.HistorySetting;
import dev.sonde.session.SuiteSession;
import dev.sonde.suite.SuiteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's front door as a user's code calls it (README "Library API"): a suite run on the
 * embedded emulator with its outcome read back, each setting reaching the session, and bad input
 * thrown as the command line would exit with it.
 */
class SondeTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final Path REGRESSION = PROJECT.resolve("suites/regression.yaml");

    @TempDir
    Path dir;

    /** The example of the README and the class Javadoc. */
    @Test
    void a_suite_runs_on_the_emulator_and_its_outcome_is_read_back() throws Exception {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());

        SuiteSession.Outcome outcome = Sonde.suite(REGRESSION)
                .endpoint("emulator")
                .concurrency(4)
                .workDir(dir) // the README's example runs in the current directory
                .listener((TrialResult trial, int done, int total) -> heard.add(trial.trialId()))
                .run();

        assertThat(outcome.passed()).isTrue();
        SuiteSession.Evaluated run = (SuiteSession.Evaluated) outcome;
        assertThat(run.analysis().summary().total().trials()).isEqualTo(28);
        assertThat(heard).hasSize(28);
        assertThat(run.outputs().html()).isRegularFile();
        assertThat(run.outputs().html().getParent().getParent()).isEqualTo(dir.resolve("reports/runs"));
        assertThat(run.outputs().html().getParent().getFileName().toString()).startsWith("regression-");
        assertThat(run.comparison().verdict().lines()).anyMatch(l -> l.startsWith("PASS new_failures"));
        assertThat(run.baselineWritten()).isNull();
    }

    @Test
    void every_setting_reaches_the_session_and_the_plan_is_listed_with_nothing_sent() throws Exception {
        Sonde.Run run = Sonde.suite(REGRESSION).endpoint("http://127.0.0.1:9").outDir(dir.resolve("o")).concurrency(3)
                .repeat(2).pricing(dir.resolve("p.yaml")).workDir(dir).env(Map.of("A", "b")).updateBaseline(true)
                .cache(true).batch(true).shard("2/3").only(Set.of("x")).allowEndpoints("gw.example")
                .allowKeyEnvs("GW_TOKEN");

        SuiteSession.Options o = run.options();
        assertThat(o.endpoint()).isEqualTo("http://127.0.0.1:9");
        assertThat(o.outDir()).isEqualTo(dir.resolve("o"));
        assertThat(o.concurrency()).isEqualTo(3);
        assertThat(o.repeat()).isEqualTo(2);
        assertThat(o.pricing()).isEqualTo(dir.resolve("p.yaml"));
        assertThat(o.workDir()).isEqualTo(dir.toAbsolutePath());
        assertThat(o.env()).isEqualTo(Map.of("A", "b"));
        assertThat(o.updateBaseline()).isTrue();
        assertThat(o.cache()).isTrue();
        assertThat(o.batch()).isTrue();
        assertThat(o.shard()).hasToString("2/3");
        assertThat(o.only()).containsExactly("x");
        assertThat(o.allowEndpoints()).containsExactly("gw.example");
        assertThat(o.allowKeyEnvs()).containsExactly("GW_TOKEN");
        assertThat(o.resume()).isNull();
        assertThat(o.record()).isNull();
        assertThat(o.history()).isEqualTo(HistorySetting.AS_SUITE);
        assertThat(run.history(Path.of("h/store.duckdb")).historyWait(Duration.ofSeconds(3)).options().history())
                .isEqualTo(new HistorySetting(HistorySetting.Choice.ON, Path.of("h/store.duckdb"), Duration.ofSeconds(3)));
        assertThat(run.history(false).options().history())
                .isEqualTo(new HistorySetting(HistorySetting.Choice.OFF, null, Duration.ofSeconds(3)));
        assertThat(run.history(true).options().history().choice()).isEqualTo(HistorySetting.Choice.ON);
        assertThat(run.history((Path) null).options().history().choice()).isEqualTo(HistorySetting.Choice.SUITE);

        SuiteSession.Planned plan = run.plan();
        assertThat(plan.trials()).hasSize(56);
        assertThat(plan.trials().stream().map(t -> t.model().id()).collect(Collectors.toSet())).hasSize(2);
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void bad_input_is_thrown_as_the_command_line_exits_with_it() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: bad\nmodels: [\n");

        assertThatThrownBy(() -> Sonde.suite(bad).outDir(dir.resolve("b")).run()).isInstanceOf(SuiteException.class)
                .hasMessageContaining("bad.yaml:");
        assertThatThrownBy(() -> Sonde.suite(REGRESSION).concurrency(0).outDir(dir.resolve("c")).run())
                .isInstanceOfSatisfying(SuiteSession.SetupException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessage("--concurrency must be at least 1");
        assertThatThrownBy(() -> Sonde.suite(REGRESSION).shard("4/3"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
