package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.testing.HeldRequests;
import dev.sonde.testing.StubServer;
import dev.sonde.testing.Suites;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as users start it: a plain {@code java -jar sonde.jar} on Java 22+ becomes, in the
 * same process, a JVM with the serial collector, the quick compiler and the start-up cache; a JVM given options by the
 * user stays as it is; signals reach the run, which stops with its reports, one line and 128 + the signal's number
 * (a second Ctrl-C at once), leaves nothing running behind it, and resumes to its end.
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
        Files.writeString(dir.resolve("sonde-java-25.0.1-0badcafe.aot"), "an earlier JDK update's cache, replaced by the new one");
        Files.writeString(dir.resolve("other-java-25.0.1-0badcafe.aot"), "another jar's cache, kept");
        Result first = sonde(Map.of(), List.of(), jar, "--version");
        assertThat(first.err).contains("preparing a start-up cache");
        assertThat(first.out).contains("serial collector, quick compiler, start-up cache");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sonde-") && (n.endsWith(".aot") || n.endsWith(".jsa"))))
                    .singleElement().asString().startsWith("sonde-java-" + System.getProperty("java.version") + "-");
        }
        assertThat(dir.resolve("other-java-25.0.1-0badcafe.aot")).exists();
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
    @Tag("hostile")
    void sigterm_stops_the_relaunched_run_in_its_own_process_with_its_reports_and_it_resumes() throws Exception {
        Path suite = Suites.numbered(dir, "relaunch", 30, 2);
        Path out = dir.resolve("run");
        HeldRequests held = new HeldRequests(4, 2, StubServer.messagesStream(0));
        try (StubServer server = StubServer.start(held); HeldRequests opened = held) {
            Process run = start(suite, server, out);
            assertThat(held.awaitHeld(60)).as("sending: %s", log()).isTrue();
            assertThat(run.isAlive()).as("still running: %s", log()).isTrue();
            String cmdline = Files.readString(Path.of("/proc", Long.toString(run.pid()), "cmdline")).replace('\0', ' ');
            assertThat(cmdline).as("the started process itself now runs the tuned JVM")
                    .contains("-XX:+UseSerialGC").contains("dev.sonde.cli.Main run " + suite);

            run.destroy(); // SIGTERM to the process the user started
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("the held requests were cancelled").isTrue();
            assertThat(run.exitValue()).isEqualTo(143);
            String shown = out.toAbsolutePath().toString();
            assertThat(stopLines()).as("one line on stderr after the banner").containsExactly(
                    "sonde: interrupted (SIGTERM): 4 of 30 trials done, reports in " + shown + "; resume with --resume " + shown);
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(out.toString())))
                    .as("nothing keeps running after the process the user stopped").isEmpty();
            for (String report : List.of("report.html", "results.json", "junit.xml", "summary.md", "results.csv")) {
                assertThat(out.resolve(report)).as(report).isRegularFile();
            }
            assertThat(journal(out)).hasSize(30).filteredOn(t -> t.skipped() != null).hasSize(26)
                    .allMatch(t -> t.skipped().equals("interrupted (SIGTERM)"));

            held.open();
            resumesToTheEnd(suite, server, out, 30);
        }
    }

    @Test
    @Tag("hostile")
    void ctrl_c_stops_the_run_with_130_and_a_second_one_ends_it_at_once_with_its_journal_whole() throws Exception {
        Assumptions.assumeFalse(ignored("SigIgn", 2), "SIGINT is ignored here (a background job): so it is for the run");
        Path suite = Suites.numbered(dir, "relaunch", 30, 2);
        for (int signals : new int[] {1, 2}) {
            Path out = dir.resolve("run-" + signals);
            HeldRequests held = new HeldRequests(4, 2, StubServer.messagesStream(0));
            try (StubServer server = StubServer.start(held); HeldRequests opened = held) {
                Process run = start(suite, server, out);
                assertThat(held.awaitHeld(60)).as("sending: %s", log()).isTrue();
                for (int i = 0; i < signals; i++) {
                    assertThat(new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor()).isZero();
                }
                assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(run.exitValue()).as(log()).isEqualTo(130);
                if (signals == 1) {
                    assertThat(stopLines()).singleElement().asString()
                            .startsWith("sonde: interrupted (SIGINT): 4 of 30 trials done, reports in ");
                    assertThat(out.resolve("report.html")).isRegularFile();
                }
                // whole lines only, whichever signal ended it: every line reads back
                assertThat(journal(out)).hasSizeGreaterThanOrEqualTo(4)
                        .filteredOn(t -> t.skipped() == null).hasSize(4);
                held.open();
                resumesToTheEnd(suite, server, out, 30);
            }
        }
    }

    /** Starts {@code java -jar sonde.jar run SUITE --out OUT -q} against {@code server}; stdout and stderr go to run.out, run.err. */
    private Process start(Path suite, StubServer server, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "run", suite.toString(), "--endpoint",
                server.baseUri().toString(), "--out", out.toString(), "-q")
                .redirectOutput(dir.resolve("run.out").toFile()).redirectError(dir.resolve("run.err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SONDE_") || k.endsWith("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().put("ANTHROPIC_API_KEY", "sk-relaunch-test");
        pb.environment().put("SONDE_NO_CACHE", "1");
        return pb.start();
    }

    /** run.err less the live-run banner, which prints before the first request even with {@code -q}. */
    private List<String> stopLines() throws IOException {
        List<String> lines = Files.readString(dir.resolve("run.err")).lines().toList();
        assertThat(lines).as("the banner comes first").filteredOn(l -> l.startsWith("sonde: LIVE")).hasSize(2);
        assertThat(lines.subList(0, 2)).allMatch(l -> l.startsWith("sonde: LIVE"));
        return lines.subList(2, lines.size());
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("run.err"));
    }

    /** {@code --resume} in this JVM: exit 0, and every trial has exactly one result. */
    private static void resumesToTheEnd(Path suite, StubServer server, Path out, int trials) throws Exception {
        StringWriter err = new StringWriter();
        int exit = Main.execute(Map.of("ANTHROPIC_API_KEY", "sk-relaunch-test"), new PrintWriter(new StringWriter()),
                new PrintWriter(err), "run", suite.toString(), "--endpoint", server.baseUri().toString(), "--resume",
                out.toString(), "-q");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).doesNotContain("could not write");
        assertThat(journal(out).stream().filter(t -> t.skipped() == null).map(t -> t.trialId()))
                .hasSize(trials).doesNotHaveDuplicates();
    }

    /** Whether this process has {@code signal} in the mask of /proc/self/status's {@code field} (SigIgn). */
    private static boolean ignored(String field, int signal) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isRegularFile(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith(field + ":")).findFirst()
                .map(l -> (Long.parseUnsignedLong(l.substring(field.length() + 1).strip(), 16) >> (signal - 1) & 1) == 1)
                .orElse(false);
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

    private static List<TrialResult> journal(Path out) throws Exception {
        try (Stream<TrialResult> s = Journal.read(out.resolve("trials.jsonl"))) {
            return s.toList();
        }
    }
}
