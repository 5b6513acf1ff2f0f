package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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

    private final Instant started = Instant.now().minusSeconds(1);
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
        CapitalSuites.rules(project);
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

    @Test
    void java_exiting_1_before_any_verdict_is_an_error_with_the_jvms_reason_not_a_check_failure() throws Exception {
        SuiteRun r = fork(suite("capital", "{type: contains, value: Paris}"), List.of("-Xmx1q"), Map.of());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.outcome()).isEqualTo(RunExit.CRASHED);
        assertThat(r.outcome().isError()).isTrue();
        assertThat(Judge.errorMessage(r)).startsWith("Sonde: suite capital (" + project.resolve("capital.yaml")
                + ") ended with exit code 1 before any verdict").contains("Invalid maximum heap size: -Xmx1q");
    }

    @Test
    void lines_arrive_in_utf_8_whatever_the_forks_locale() throws Exception {
        SuiteRun r = fork(suite("zurich", "{type: contains, value: Zürich}"), List.of(), Map.of("LC_ALL", "C", "LANG", "C"));
        assertThat(r.exit()).as("stderr: %s", err).isEqualTo(1);
        assertThat(r.failures()).singleElement().asString().startsWith("FAILED  capital [haiku]: ").contains("Zürich");
        assertThat(err).anyMatch(l -> l.contains("Zürich"));
    }

    @Test
    void an_interrupted_caller_stops_the_fork_which_writes_its_partial_reports() throws Exception {
        Path slow = slowSuite();
        Path folder = project.resolve("target/sonde/slow-1");
        var failure = new AtomicReference<Throwable>();
        Thread caller = new Thread(() -> {
            try {
                CliFork.run(new SuiteFile("slow", slow), folder, command(slow, folder, List.of()), project, sink);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        caller.start();
        ProcessHandle cli = awaitFork(ProcessHandle.current());
        caller.interrupt();
        caller.join(Duration.ofSeconds(CliFork.STOP_SECONDS + 10).toMillis());
        assertThat(caller.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
        assertThat(cli.isAlive()).isFalse();
        assertThat(folder.resolve("report.html")).isRegularFile();
    }

    @Test
    void a_fork_outlives_no_sigterm_to_the_jvm_that_started_it() throws Exception {
        Path slow = slowSuite();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process owner = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ForkOwner.class.getName(), slow.toString(), project.resolve("target/sonde/slow-1").toString())
                .redirectErrorStream(true).redirectOutput(project.resolve("owner.log").toFile()).start();
        try {
            ProcessHandle cli = awaitFork(owner.toHandle());
            owner.destroy(); // SIGTERM, as `kill -TERM <mvn pid>`
            assertThat(owner.waitFor(CliFork.STOP_SECONDS + 10, TimeUnit.SECONDS)).as("owner ended").isTrue();
            assertThat(cli.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("fork ended").isFalse();
        } finally {
            owner.descendants().forEach(ProcessHandle::destroyForcibly);
            owner.destroyForcibly();
        }
    }

    /**
     * The forked CLI under {@code parent}, once it has started; fails after 30 s. Found as a
     * {@code java} process rather than by its main class: Linux gives a command line of at most
     * 4 KiB, and the class path comes first.
     */
    private ProcessHandle awaitFork(ProcessHandle parent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var cli = parent.descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("java"))
                    .filter(p -> p.info().startInstant().orElse(Instant.MIN).isAfter(started)).findFirst();
            if (cli.isPresent()) {
                Thread.sleep(1500); // past JVM start-up, so the CLI's signal handlers are installed
                return cli.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no java under " + parent.pid() + "; stderr: " + err);
    }

    /** One case whose answer the emulator delays a minute. */
    private Path slowSuite() throws Exception {
        Files.writeString(project.resolve("slow-emulator.yaml"), """
                latency:
                  - {model: "claude-haiku-*", ttft_base_ms: 60000}
                """);
        return CapitalSuites.write(project.resolve("slow.yaml"), "slow", "{type: contains, value: Paris}", "rules.yaml",
                ", config: slow-emulator.yaml");
    }

    private Path suite(String name, String assertion) throws Exception {
        return CapitalSuites.write(project.resolve(name + ".yaml"), name, assertion, "rules.yaml", "");
    }

    private SuiteRun fork(Path file) throws Exception {
        return fork(file, List.of(), Map.of());
    }

    private SuiteRun fork(Path file, List<String> jvmArgs, Map<String, String> environment) throws Exception {
        String name = file.getFileName().toString().replace(".yaml", "");
        Path folder = project.resolve("target/sonde/" + name + "-1");
        return CliFork.run(new SuiteFile(name, file), folder, command(file, folder, jvmArgs), project, environment, sink);
    }

    private static ForkCommand command(Path file, Path folder, List<String> jvmArgs) {
        return new ForkCommand(Path.of(System.getProperty("java.home"), "bin", "java"), jvmArgs, testClassPath(),
                ForkCommand.runArguments(file, folder, null, null, false));
    }

    /** This JVM's class path: sonde-cli and its dependencies are among it. */
    static List<Path> testClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of).toList();
    }
}
