package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real fork: {@code dev.sonde.cli.Main run} on this test JVM's JDK (21+, the build's toolchain)
 * and class path (sonde-cli is a dependency of the plugin), on the suite's embedded emulator.
 */
class CliForkTest {
    @TempDir
    Path project;

    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<String> err = Collections.synchronizedList(new ArrayList<>());
    private final CliFork.Sink sink = new CliFork.Sink() {
        @Override
        public void out(String line) {
            out.add(line);
        }

        @Override
        public void err(String line) {
            err.add(line);
        }
    };

    @BeforeEach
    void rules() throws Exception {
        Files.writeString(project.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "capital of France"}
                    reply: {text: "The capital of France is Paris."}
                """);
    }

    @Test
    void a_passing_suite_exits_0_and_prints_its_report_line() throws Exception {
        SuiteRun r = fork(suite("capital", "{type: contains, value: Paris}"));
        assertThat(r.exit()).as("stderr: %s", err).isZero();
        assertThat(r.summary()).startsWith("PASS  capital: 1/1 passed");
        Path report = r.runFolder().resolve("report.html");
        assertThat(r.report()).isEqualTo(report.toString());
        assertThat(report).isRegularFile();
        assertThat(out).contains("report: " + report);
        assertThat(r.failures()).isEmpty();
        assertThat(err).noneMatch(l -> l.startsWith("WARNING:")); // no relaunch, so no native-access warning
    }

    @Test
    void a_failing_check_exits_1_with_the_trial_and_its_reason() throws Exception {
        SuiteRun r = fork(suite("berlin", "{type: contains, value: Berlin}"));
        assertThat(r.exit()).as("stderr: %s", err).isEqualTo(1);
        assertThat(r.outcome()).isEqualTo(RunExit.CHECK_FAILED);
        assertThat(r.summary()).startsWith("FAIL  berlin: 0/1 passed, 1 failed");
        assertThat(r.failures()).singleElement().asString().startsWith("FAILED  capital [haiku]: ").contains("Berlin");
        assertThat(Path.of(r.report())).isRegularFile();
    }

    @Test
    void a_bad_suite_exits_2_with_the_clis_one_line_and_sends_nothing() throws Exception {
        Path bad = Files.writeString(project.resolve("bad.yaml"), """
                name: bad
                models:
                  - {id: haiku, modle: claude-haiku-4-5}
                cases:
                  - {id: c, prompt: "hi"}
                """);
        SuiteRun r = fork(bad);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.problems()).singleElement().asString().startsWith(bad.toString() + ":3:").contains("modle");
        assertThat(r.report()).isNull();
        assertThat(Judge.errorMessage(r)).doesNotContain("\n").doesNotContain("Exception");
    }

    private Path suite(String name, String assertion) throws Exception {
        return Files.writeString(project.resolve(name + ".yaml"), """
                name: %s
                models:
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 64}}
                cases:
                  - id: capital
                    prompt: "What is the capital of France?"
                    assert: [%s]
                emulator: {seed: 7, rules: [rules.yaml]}
                """.formatted(name, assertion));
    }

    private SuiteRun fork(Path file) throws Exception {
        String name = file.getFileName().toString().replace(".yaml", "");
        SuiteFile suite = new SuiteFile(name, file);
        Path folder = project.resolve("target/sonde/" + name + "-1");
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        ForkCommand command = new ForkCommand(Path.of(System.getProperty("java.home"), "bin", "java"), List.of(),
                classPath, ForkCommand.runArguments(file, folder, null, null, false));
        return CliFork.run(suite, folder, command, project, sink);
    }
}
