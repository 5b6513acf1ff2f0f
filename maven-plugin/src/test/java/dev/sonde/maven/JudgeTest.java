package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class JudgeTest {
    private static final SuiteRun PASSED = run("a", 0, List.of(), List.of());
    private static final SuiteRun FAILED = run("b", 1, List.of("FAILED  capital [haiku]: contains: 'Paris' not found",
            "FAIL new_failures: 1 (limit 0)"), List.of());

    @Test
    void passed_runs_pass() {
        assertThatCode(() -> Judge.verify(List.of(PASSED, PASSED))).doesNotThrowAnyException();
    }

    @Test
    void failed_checks_fail_the_build_naming_the_suite_each_reason_and_the_report() {
        assertThatThrownBy(() -> Judge.verify(List.of(PASSED, FAILED)))
                .isInstanceOf(MojoFailureException.class)
                .hasMessage("""
                        Sonde: 1 of 2 suites failed
                          suite b: FAIL  b: 0/1 passed
                            FAILED  capital [haiku]: contains: 'Paris' not found
                            FAIL new_failures: 1 (limit 0)
                            report: /p/target/sonde/b-1/report.html""");
    }

    @Test
    void a_long_list_of_failures_is_cut_and_points_to_the_report() {
        List<String> many = IntStream.range(0, Judge.MAX_FAILURE_LINES + 3).mapToObj(i -> "FAILED  c" + i + " [m]: x").toList();
        String message = Judge.failureMessage(List.of(run("c", 1, many, List.of())), 1);
        assertThat(message).contains("FAILED  c19 [m]: x").doesNotContain("c20 [m]").contains("… and 3 more in the report");
    }

    @Test
    void a_bad_suite_is_an_execution_error_with_the_clis_one_line_even_beside_failed_checks() {
        SuiteRun bad = run("c", 2, List.of(), List.of("sonde: emulator on http://127.0.0.1:1, seed 7",
                "/p/c.yaml:3:5: models[0]: unknown field 'modle'"));
        assertThatThrownBy(() -> Judge.verify(List.of(FAILED, bad)))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("Sonde: suite c (/p/c.yaml) was refused (exit 2, a bad suite or argument): /p/c.yaml:3:5:"
                        + " models[0]: unknown field 'modle'");
    }

    @Test
    void a_run_that_could_not_proceed_lists_why_and_its_partial_report() {
        SuiteRun stopped = run("d", 3, List.of(), List.of("sonde: run stopped: budget spent",
                "partial results: /p/target/sonde/d-1"));
        assertThatThrownBy(() -> Judge.verify(List.of(stopped)))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("""
                        Sonde: suite d (/p/d.yaml) could not proceed (exit 3)
                          sonde: run stopped: budget spent
                          partial results: /p/target/sonde/d-1
                          report: /p/target/sonde/d-1/report.html""");
        assertThat(Judge.errorMessage(run("e", 143, List.of(), List.of()))).startsWith("Sonde: suite e (/p/e.yaml) ended with exit code 143");
    }

    @Test
    void exit_1_with_no_headline_and_no_report_is_javas_own_failure_not_failed_checks() {
        SuiteRun crashed = new SuiteRun("f", Path.of("/p/f.yaml"), 1, Path.of("/p/target/sonde/f-1"), null, null, List.of(),
                List.of("Invalid maximum heap size: -Xmx1q", "Error: Could not create the Java Virtual Machine."), List.of());
        assertThatThrownBy(() -> Judge.verify(List.of(FAILED, crashed)))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("""
                        Sonde: suite f (/p/f.yaml) ended with exit code 1 before any verdict (Java could not run the CLI)
                          Invalid maximum heap size: -Xmx1q
                          Error: Could not create the Java Virtual Machine.""");
        SuiteRun reportOnly = new SuiteRun("g", Path.of("/p/g.yaml"), 1, Path.of("/p/target/sonde/g-1"),
                "/p/target/sonde/g-1/report.html", null, List.of(), List.of(), List.of());
        assertThat(reportOnly.outcome()).isEqualTo(RunExit.CHECK_FAILED);
    }

    private static SuiteRun run(String name, int exit, List<String> failures, List<String> problems) {
        return new SuiteRun(name, Path.of("/p/" + name + ".yaml"), exit, Path.of("/p/target/sonde/" + name + "-1"),
                "/p/target/sonde/" + name + "-1/report.html", exit == 1 ? "FAIL  " + name + ": 0/1 passed" : null,
                failures, problems, List.of());
    }
}
