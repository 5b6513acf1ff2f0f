package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CLI's lines, as RunCommand and ConsoleProgress print them, read into a SuiteRun. */
class TranscriptTest {
    private static final SuiteFile SUITE = new SuiteFile("orders", Path.of("/p/orders.yaml"));
    private static final Path FOLDER = Path.of("/p/target/sonde/orders-1");

    @Test
    void a_failing_run_keeps_its_headline_failed_trials_failed_gates_and_report() {
        Transcript t = new Transcript();
        t.err("sonde: emulator on http://127.0.0.1:40000, seed 7");
        t.err("FAILED  capital [haiku]: contains: 'Paris' not found");
        t.err("ERRORED capital [sonnet]: overloaded (529)");
        t.err("progress: 2/2 100%  1.0/s  $0.0001");
        t.out("FAIL  orders: 0/2 passed, 1 failed, 1 errored  (emulator, 0.5 s)");
        t.out("  haiku              0/1   pass  ttft p50 314 ms p95 314 ms  e2e p50 350 ms  $0.000052");
        t.out("  PASS ttft_p95 [haiku]: +1.0 % (limit +20 %)");
        t.out("  FAIL new_failures: 1 (limit 0); capital [haiku] — contains: 'Paris' not found");
        t.out("report: /p/target/sonde/orders-1/report.html");
        SuiteRun r = t.result(SUITE, FOLDER, 1);
        assertThat(r.outcome()).isEqualTo(RunExit.CHECK_FAILED);
        assertThat(r.summary()).isEqualTo("FAIL  orders: 0/2 passed, 1 failed, 1 errored  (emulator, 0.5 s)");
        assertThat(r.failures()).containsExactly("FAILED  capital [haiku]: contains: 'Paris' not found",
                "ERRORED capital [sonnet]: overloaded (529)",
                "FAIL new_failures: 1 (limit 0); capital [haiku] — contains: 'Paris' not found");
        assertThat(r.problems()).containsExactly("sonde: emulator on http://127.0.0.1:40000, seed 7");
        assertThat(r.report()).isEqualTo("/p/target/sonde/orders-1/report.html");
        assertThat(r.runFolder()).isEqualTo(FOLDER);
        assertThat(r.baselines()).isEmpty();
    }

    @Test
    void a_bad_suite_keeps_the_clis_one_line() {
        Transcript t = new Transcript();
        t.err("/p/orders.yaml:3:5: models[0].model: unknown field 'modle' (did you mean 'model'?)");
        SuiteRun r = t.result(SUITE, FOLDER, 2);
        assertThat(r.outcome()).isEqualTo(RunExit.BAD_INPUT);
        assertThat(r.problems()).containsExactly("/p/orders.yaml:3:5: models[0].model: unknown field 'modle' (did you mean 'model'?)");
        assertThat(r.report()).isNull();
        assertThat(r.summary()).isNull();
    }

    @Test
    void written_baselines_are_listed_and_only_the_last_problems_are_kept() {
        Transcript t = new Transcript();
        for (int i = 0; i < Transcript.MAX_PROBLEMS + 5; i++) {
            t.err("sonde: note " + i);
        }
        t.out("baseline written: /p/reports/baselines/orders.json");
        SuiteRun r = t.result(SUITE, FOLDER, 0);
        assertThat(r.baselines()).containsExactly("/p/reports/baselines/orders.json");
        assertThat(r.problems()).hasSize(Transcript.MAX_PROBLEMS).startsWith("sonde: note 5").endsWith("sonde: note 24");
    }

    @Test
    void only_failures_stop_reasons_and_foreign_lines_are_warnings() {
        assertThat(Transcript.isWarning("sonde: emulator on http://127.0.0.1:40000, seed 7")).isFalse();
        assertThat(Transcript.isWarning("progress: 2/2 100%  1.0/s  $0.0001")).isFalse();
        assertThat(Transcript.isWarning("FAILED  capital [haiku]: contains: 'Paris' not found")).isTrue();
        assertThat(Transcript.isWarning("ERRORED capital [sonnet]: overloaded (529)")).isTrue();
        assertThat(Transcript.isWarning("sonde: run stopped: budget spent")).isTrue();
        assertThat(Transcript.isWarning("sonde: interrupted (SIGTERM): 0 of 1 trials done, reports in /p/o")).isTrue();
        assertThat(Transcript.isWarning("sonde: warning: cache_control on a block under 1024 tokens")).isTrue();
        assertThat(Transcript.isWarning("sonde: could not write report.html: disk full")).isTrue();
        assertThat(Transcript.isWarning("partial results: /p/target/sonde/d-1")).isTrue();
        assertThat(Transcript.isWarning("Error: Could not create the Java Virtual Machine.")).isTrue();
    }
}
