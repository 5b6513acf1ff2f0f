package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastRunTest {
    @TempDir
    Path dir;

    @Test
    void every_suite_reads_back_as_it_was_written_in_run_order() throws Exception {
        SuiteRun passed = new SuiteRun("a", Path.of("/p/a.yaml"), 0, Path.of("/p/target/sonde/a-1"),
                "/p/target/sonde/a-1/report.html", "PASS  a: 1/1 passed", List.of(), List.of(), List.of("/p/b/a.json"));
        SuiteRun failed = new SuiteRun("b", Path.of("/p/b é.yaml"), 1, Path.of("/p/target/sonde/b-1"), null, null,
                List.of("FAILED  c [m]: contains: 'x' not found", " leading space\\back\tslash\nnewline = colon: #hash"),
                List.of("sonde: émulateur"), List.of());
        Path file = dir.resolve("sonde/last-run.properties");
        LastRun.write(file, List.of(passed, failed));
        assertThat(LastRun.read(file)).containsExactly(passed, failed);
        assertThat(Files.readString(file)).contains("suite.2.failure.1=FAILED  c [m]: contains: 'x' not found\n");
        assertThat(file.resolveSibling("last-run.properties.tmp")).doesNotExist();
    }

    @Test
    void escaped_values_load_unchanged_through_properties() throws Exception {
        String hard = "  two leading spaces, a \\ backslash,\r\n\t\f and trailing  ";
        Properties p = new Properties();
        p.load(new java.io.StringReader("k=" + LastRun.escape(hard) + "\n"));
        assertThat(p.getProperty("k")).isEqualTo(hard);
    }

    @Test
    void no_file_asks_whether_sonde_run_ran() {
        Path missing = dir.resolve("target/sonde/last-run.properties");
        assertThatThrownBy(() -> LastRun.read(missing))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Sonde: nothing to verify: " + missing + " does not exist (did sonde:run run?");
    }

    @Test
    void a_damaged_file_names_the_missing_key() throws Exception {
        Path file = Files.writeString(dir.resolve("last-run.properties"), "suites=1\nsuite.1.name=a\nsuite.1.file=/a.yaml\n");
        assertThatThrownBy(() -> LastRun.read(file))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("Sonde: " + file + " is damaged (no suite.1.exit): run sonde:run again");
    }
}
