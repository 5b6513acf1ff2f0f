package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.lib.Sonde;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.testing.Suites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's {@code history:} key, and a run that asks for history in a build without the store:
 * refused before anything is sent. (Runs that record themselves are tested where the store is: the
 * CLI's {@code HistoryRunTest}.)
 */
class HistorySessionTest {
    @TempDir
    Path dir;

    private Path suite(String name, String extra) throws Exception {
        Path suites = Files.createDirectories(dir.resolve("suites"));
        Suites.fastEmulator(suites);
        Path file = suites.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\nemulator: {config: fast.yaml}\n"
                + "models: [{id: a, model: claude-haiku-4-5}]\n"
                + "cases: [{id: one, prompt: \"Tell me about harbours\", assert: [{type: contains, value: \" \"}]}]\n"
                + extra);
        return file;
    }

    @Test
    void history_true_is_the_default_store_and_a_path_is_relative_to_the_suite_and_false_is_none() throws Exception {
        Suite on = SuiteLoader.read(suite("always", "history: true\n")).suite();
        Suite path = SuiteLoader.read(suite("path", "history: ../stores/h.duckdb\n")).suite();
        Suite off = SuiteLoader.read(suite("never", "history: false\n")).suite();
        Suite none = SuiteLoader.read(suite("none", "")).suite();

        assertThat(on.history()).isNotNull().extracting(h -> h.store()).isNull();
        assertThat(path.history().store()).isEqualTo(dir.resolve("stores/h.duckdb").toAbsolutePath().normalize());
        assertThat(off.history()).isNull();
        assertThat(none.history()).isNull();
    }

    @Test
    void a_bad_history_value_names_file_line_column_and_field() throws Exception {
        Path bad = suite("bad", "history: 3\n");
        Path empty = suite("empty", "history: \"\"\n");
        Path bench = suite("bench", "history: true\nload: {mode: closed, concurrency: [1], duration_s: 1}\n");

        assertThatThrownBy(() -> SuiteLoader.read(bad)).isInstanceOf(SuiteException.class)
                .hasMessageStartingWith(bad + ":5:10").hasMessageContaining("history");
        assertThatThrownBy(() -> SuiteLoader.read(empty)).isInstanceOf(SuiteException.class)
                .hasMessageStartingWith(empty + ":5:10").hasMessageContaining("history");
        assertThatThrownBy(() -> SuiteLoader.read(bench)).isInstanceOf(SuiteException.class)
                .hasMessageStartingWith(bench + ":5:10").hasMessageContaining("history")
                .hasMessageContaining("a benchmark (load:) is not recorded");
    }

    @Test
    void history_without_the_store_is_one_line_exit_2_and_nothing_is_sent() throws Exception {
        Path file = suite("wanted", "history: true\n");
        Path out = dir.resolve("out");

        for (Sonde.Run run : new Sonde.Run[] {Sonde.suite(file), Sonde.suite(suite("flag", "")).history(true)}) {
            assertThatThrownBy(() -> run.outDir(out).workDir(dir).env(Map.of()).run())
                    .isInstanceOfSatisfying(SuiteSession.SetupException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(2);
                        assertThat(e.getMessage()).startsWith("--history: this build has no history store (")
                                .doesNotContain("\n");
                    });
        }
        assertThat(out).as("no folder made, nothing sent").doesNotExist();
    }

    @Test
    void no_history_turns_the_suites_history_off() throws Exception {
        Path file = suite("off-by-flag", "history: true\n");
        Path out = dir.resolve("ran");

        SuiteSession.Outcome ended = Sonde.suite(file).history(false).outDir(out).workDir(dir).env(Map.of()).run();

        assertThat(((SuiteSession.Evaluated) ended).history()).isNull();
        assertThat(out.resolve("results.json")).exists();
        assertThat(out.resolve(SessionHistory.TRIAL_PART)).doesNotExist();
        assertThat(dir.resolve("reports/history.duckdb")).doesNotExist();
    }

    @Test
    void history_for_a_benchmark_or_into_a_folder_is_refused_before_the_store_is_looked_for() throws Exception {
        Path bench = suite("bench-flag", "load: {mode: closed, concurrency: [1], duration_s: 1}\n");
        Path folder = Files.createDirectories(dir.resolve("a-folder"));

        assertThatThrownBy(() -> Sonde.suite(bench).history(true).outDir(dir.resolve("b")).workDir(dir).env(Map.of())
                .run()).isInstanceOf(SuiteSession.SetupException.class).hasMessage("--history: a benchmark (load:) is "
                        + "not recorded in the run history store, which holds evaluations");
        assertThatThrownBy(() -> Sonde.suite(suite("into-folder", "")).history(folder).outDir(dir.resolve("f"))
                .workDir(dir).env(Map.of()).run()).isInstanceOf(SuiteSession.SetupException.class)
                .hasMessage("history: " + folder + " is a folder: name the store file (e.g. "
                        + folder.resolve("history.duckdb") + ")");
        assertThat(dir.resolve("b")).doesNotExist();
        assertThat(dir.resolve("f")).doesNotExist();
    }
}
