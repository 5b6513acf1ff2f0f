package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.testing.StubServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as users start it: a plain {@code java -jar sonde.jar} on Java 22+ becomes, in the
 * same process, a JVM with the serial collector, the quick compiler and the start-up cache; a JVM given options by the
 * user stays as it is; signals reach the run, and nothing is left running behind it.
 */
class LaunchIT {
    private static final Path JAR = Path.of(System.getProperty("sonde.jar", "target/sonde.jar")).toAbsolutePath();
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    @TempDir
    Path dir;

    @BeforeEach
    void needsJava22() {
        Assumptions.assumeTrue(Runtime.version().feature() >= 22, "the relaunch needs Java 22+");
        Assumptions.assumeTrue(System.getProperty("sonde.suite", "").isBlank(), "a -Psuite= build runs its suite only");
        assertThat(JAR).as("mvn package builds it before the integration tests").isRegularFile();
    }

    @Test
    void a_plain_java_jar_makes_its_start_up_cache_once_and_runs_with_it() throws Exception {
        Path jar = Files.copy(JAR, dir.resolve("sonde.jar"));
        Result first = sonde(Map.of(), List.of(), jar, "--version");
        assertThat(first.err).contains("preparing a start-up cache");
        assertThat(first.out).contains("serial collector, quick compiler, start-up cache");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".aot") || n.endsWith(".jsa")))
                    .singleElement().asString().startsWith("sonde-java-" + System.getProperty("java.version") + "-");
        }
        Result second = sonde(Map.of(), List.of(), jar, "--version");
        assertThat(second.err).doesNotContain("preparing");
        assertThat(second.out).contains("serial collector, quick compiler, start-up cache");
    }

    @Test
    void options_the_user_gives_the_jvm_are_kept() throws Exception {
        assertThat(sonde(Map.of("SONDE_NO_CACHE", "1"), List.of(), JAR, "--version").out).contains("serial collector, quick compiler")
                .doesNotContain("start-up cache");
        assertThat(sonde(Map.of("SONDE_NO_CACHE", "1", "SONDE_RELAUNCH", "0"), List.of(), JAR, "--version").out)
                .as("as started: no quick-compiler flag").doesNotContain("quick compiler");
        assertThat(sonde(Map.of("SONDE_NO_CACHE", "1"), List.of("-Xss2m"), JAR, "--version").out)
                .contains("the JVM's default collector");
        assertThat(sonde(Map.of("SONDE_NO_CACHE", "1", "JDK_JAVA_OPTIONS", "-Xss2m"), List.of(), JAR, "--version").out)
                .contains("the JVM's default collector");
        assertThat(sonde(Map.of("SONDE_RELAUNCH", "0"), List.of(), JAR, "--version").out).contains("the JVM's default collector");
    }

    @Test
    void the_relaunched_run_keeps_its_process_so_a_signal_stops_it_and_it_resumes() throws Exception {
        StringBuilder yaml = new StringBuilder("name: relaunch\nmodels: [{id: s, model: claude-sonnet-4-6}]\ncases:\n");
        for (int i = 0; i < 30; i++) {
            yaml.append("  - {id: c").append(i).append(", prompt: \"question ").append(i)
                    .append("\", assert: [{type: contains, value: Paris}]}\n");
        }
        yaml.append("run: {concurrency: 2}\n");
        Path suite = Files.writeString(dir.resolve("suite.yaml"), yaml);
        Path out = dir.resolve("run");
        try (StubServer server = StubServer.start(StubServer.messagesStream(150))) {
            ProcessBuilder pb = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "run", suite.toString(), "--endpoint",
                    server.baseUri().toString(), "--out", out.toString(), "-q")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile());
            pb.environment().put("ANTHROPIC_API_KEY", "sk-relaunch-test");
            pb.environment().put("SONDE_NO_CACHE", "1");
            Process run = pb.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (lines(out.resolve("trials.jsonl")) < 4 && run.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(run.isAlive()).as("still running: %s", Files.readString(dir.resolve("run.log"))).isTrue();
            String cmdline = Files.readString(Path.of("/proc", Long.toString(run.pid()), "cmdline")).replace('\0', ' ');
            assertThat(cmdline).as("the started process itself now runs the tuned JVM")
                    .contains("-XX:+UseSerialGC").contains("dev.sonde.cli.Main run " + suite);

            run.destroy(); // SIGTERM to the process the user started
            assertThat(run.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(out.toString())))
                    .as("nothing keeps running after the process the user stopped").isEmpty();

            StringWriter err = new StringWriter();
            int exit = Main.execute(Map.of("ANTHROPIC_API_KEY", "sk-relaunch-test"), new PrintWriter(new StringWriter()),
                    new PrintWriter(err), "run", suite.toString(), "--endpoint", server.baseUri().toString(), "--resume", out.toString(), "-q");
            assertThat(exit).as(err.toString()).isZero();
            assertThat(lines(out.resolve("trials.jsonl"))).isEqualTo(30);
        }
    }

    private record Result(int exit, String out, String err) {}

    private Result sonde(Map<String, String> env, List<String> jvmOptions, Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SONDE_") || k.endsWith("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }
}
