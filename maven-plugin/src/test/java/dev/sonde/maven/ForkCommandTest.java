package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForkCommandTest {
    private static final Path SUITE = Path.of("/p/suites/orders.yaml");
    private static final Path OUT = Path.of("/p/target/sonde/orders-20261205-211500");

    @Test
    void the_command_line_is_java_options_class_path_main_class_and_the_run() {
        ForkCommand command = new ForkCommand(Path.of("/jdk/bin/java"), List.of("-Xmx1g", " ", " -Dx=1 "),
                List.of(Path.of("/r/sonde-cli.jar"), Path.of("/r/picocli.jar")),
                ForkCommand.runArguments(SUITE, OUT, null, null, false));
        assertThat(command.argv()).containsExactly("/jdk/bin/java", "-Xmx1g", "-Dx=1", "-Dstdout.encoding=UTF-8",
                "-Dstderr.encoding=UTF-8", "-cp",
                "/r/sonde-cli.jar" + File.pathSeparator + "/r/picocli.jar", "dev.sonde.cli.Main",
                "run", SUITE.toString(), "--out", OUT.toString());
    }

    @Test
    void a_jvm_args_entry_holding_several_options_is_split_on_whitespace() {
        ForkCommand command = new ForkCommand(Path.of("/jdk/bin/java"), List.of("-Xmx512m -Dfoo=1", "\t-Da=b\n -ea"),
                List.of(Path.of("/r/sonde-cli.jar")), List.of("run"));
        assertThat(command.argv()).startsWith("/jdk/bin/java", "-Xmx512m", "-Dfoo=1", "-Da=b", "-ea",
                "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8", "-cp");
    }

    @Test
    void endpoint_concurrency_and_baseline_update_are_passed_only_when_set() {
        assertThat(ForkCommand.runArguments(SUITE, OUT, "live", 8, true)).containsExactly("run", SUITE.toString(),
                "--out", OUT.toString(), "--endpoint", "live", "--concurrency", "8", "--update-baseline");
        assertThat(ForkCommand.runArguments(SUITE, OUT, "  ", null, false)).doesNotContain("--endpoint", "--concurrency",
                "--update-baseline");
        assertThat(ForkCommand.runArguments(SUITE, OUT, " http://127.0.0.1:8089 ", 0, false))
                .containsSubsequence("--endpoint", "http://127.0.0.1:8089", "--concurrency", "0");
    }

    @Test
    void the_fork_never_relaunches_itself() {
        assertThat(ForkCommand.ENVIRONMENT).containsExactly(java.util.Map.entry("SONDE_RELAUNCH", "0"));
    }

    @Test
    void history_true_false_and_a_path_become_the_clis_history_flags_and_unset_adds_none() {
        assertThat(ForkCommand.runArguments(SUITE, OUT, null, null, false, "true")).endsWith("--history");
        assertThat(ForkCommand.runArguments(SUITE, OUT, null, null, false, "FALSE")).endsWith("--no-history");
        assertThat(ForkCommand.runArguments(SUITE, OUT, null, null, false, " target/h.duckdb "))
                .endsWith("--history=target/h.duckdb");
        assertThat(ForkCommand.runArguments(SUITE, OUT, null, null, false, " "))
                .noneMatch(a -> a.contains("history"));
        assertThat(ForkCommand.runArguments(SUITE, OUT, null, null, false, null))
                .containsExactly("run", SUITE.toString(), "--out", OUT.toString());
    }
}
