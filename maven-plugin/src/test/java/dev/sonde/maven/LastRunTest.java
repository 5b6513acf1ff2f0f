package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Properties;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastRunTest {
    private static final long BUILD = 1_780_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void every_suite_reads_back_as_it_was_written_in_run_order() throws Exception {
        SuiteRun passed = new SuiteRun("a", Path.of("/p/a.yaml"), 0, Path.of("/p/target/sonde/a-1"),
                "/p/target/sonde/a-1/report.html", "PASS  a: 1/1 passed", List.of(), List.of(), List.of("/p/b/a.json"));
        SuiteRun failed = new SuiteRun("b", Path.of("/p/b é.yaml"), 1, Path.of("/p/target/sonde/b-1"), null, null,
                List.of("FAILED  c [m]: contains: 'x' not found", " leading space\\back\tslash\nnewline = colon: #hash"),
                List.of("sonde: émulateur"), List.of());
        Path file = dir.resolve("sonde/last-run-default.properties");
        LastRun.write(file, BUILD, List.of(passed, failed));
        assertThat(LastRun.read(file)).containsExactly(passed, failed);
        assertThat(LastRun.readBuild(file.getParent(), BUILD)).containsExactly(passed, failed);
        assertThat(Files.readString(file)).contains("suite.2.failure.1=FAILED  c [m]: contains: 'x' not found\n");
        assertThat(file.resolveSibling("last-run-default.properties.tmp")).doesNotExist();
    }

    @Test
    void each_execution_has_its_own_file_and_the_build_reads_them_all_in_the_order_written() throws Exception {
        SuiteRun smoke = run("broken", 1);
        SuiteRun regression = run("fine", 0);
        LastRun.write(dir.resolve(LastRun.fileName("smoke")), BUILD, List.of(smoke));
        Files.setLastModifiedTime(dir.resolve("last-run-smoke.properties"), FileTime.fromMillis(BUILD + 1000));
        LastRun.write(dir.resolve(LastRun.fileName("regression")), BUILD, List.of(regression));
        Files.setLastModifiedTime(dir.resolve("last-run-regression.properties"), FileTime.fromMillis(BUILD + 2000));
        assertThat(LastRun.readBuild(dir, BUILD)).containsExactly(smoke, regression);
        assertThat(LastRun.fileName("it/run 1")).isEqualTo("last-run-it_run_1.properties");
    }

    @Test
    void an_earlier_builds_file_is_never_judged() throws Exception {
        LastRun.write(dir.resolve(LastRun.fileName("default")), BUILD - 60_000, List.of(run("old", 1)));
        LastRun.write(dir.resolve(LastRun.fileName("other")), BUILD, List.of(run("new", 0)));
        assertThat(LastRun.readBuild(dir, BUILD)).extracting(SuiteRun::name).containsExactly("new");
        assertThatThrownBy(() -> LastRun.readBuild(dir, BUILD + 1))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Sonde: nothing to verify: sonde:run did not run in this build (no"
                        + " last-run-*.properties of this build in " + dir);
    }

    @Test
    void escaped_values_load_unchanged_through_properties() throws Exception {
        String hard = "  two leading spaces, a \\ backslash,\r\n\t\f and trailing  ";
        Properties p = new Properties();
        p.load(new java.io.StringReader("k=" + LastRun.escape(hard) + "\n"));
        assertThat(p.getProperty("k")).isEqualTo(hard);
    }

    @Test
    void no_report_directory_asks_whether_sonde_run_ran() {
        Path missing = dir.resolve("target/sonde");
        assertThatThrownBy(() -> LastRun.readBuild(missing, BUILD))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("sonde:run did not run in this build").hasMessageContaining(missing.toString());
    }

    private static SuiteRun run(String name, int exit) {
        return new SuiteRun(name, Path.of("/p/" + name + ".yaml"), exit, Path.of("/p/target/sonde/" + name + "-1"),
                "/p/target/sonde/" + name + "-1/report.html", (exit == 0 ? "PASS  " : "FAIL  ") + name + ": 1 trial",
                List.of(), List.of(), List.of());
    }

    @Test
    void a_damaged_file_names_the_missing_key() throws Exception {
        Path file = Files.writeString(dir.resolve("last-run-default.properties"),
                "build.start=" + BUILD + "\nsuites=1\nsuite.1.name=a\nsuite.1.file=/a.yaml\n");
        assertThatThrownBy(() -> LastRun.readBuild(dir, BUILD))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("Sonde: " + file + " is damaged (no suite.1.exit): run sonde:run again");
    }
}
