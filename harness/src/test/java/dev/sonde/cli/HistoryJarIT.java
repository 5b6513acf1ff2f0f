package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.Journal;
import dev.sonde.lib.Sonde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jars as users run them: {@code sonde.jar} (which holds no store) finds
 * {@code sonde-history.jar} in a checkout's {@code history/target/} and beside itself, loads it in
 * a child class loader, and imports a run with no JDK native-access warning.
 */
class HistoryJarIT {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final Path JAR = Path.of(System.getProperty("sonde.jar", "target/sonde.jar")).toAbsolutePath();
    private static final Path HISTORY_JAR = PROJECT.resolve("history/target/sonde-history.jar");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @TempDir
    static Path runs;
    static Path run;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    @BeforeAll
    static void oneRun() throws Exception {
        Assumptions.assumeTrue(System.getProperty("sonde.suite", "").isBlank(), "a -Psuite= build runs its suite only");
        assertThat(JAR).as("mvn package builds it before the integration tests").isRegularFile();
        assertThat(HISTORY_JAR).as("the history module is packaged before harness").isRegularFile();
        run = runs.resolve("r");
        Sonde.suite(PROJECT.resolve("suites/regression.yaml")).endpoint("emulator").concurrency(4).outDir(run)
                .workDir(PROJECT).run();
    }

    private Result sonde(Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("SONDE_HISTORY_JAR");
        pb.environment().put("SONDE_NO_CACHE", "1");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private static String runId() throws Exception {
        return Journal.JSON.readTree(run.resolve("results.json").toFile()).path("run").path("run_id").asText();
    }

    @Test
    void the_checkouts_sonde_jar_finds_history_target_and_imports_quietly() throws Exception {
        Result r = sonde(JAR, "history", "import", run.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("history: imported " + runId() + " (28 trials)");
        assertThat(r.err()).isEmpty();
        assertThat(dir.resolve("reports/history.duckdb")).isRegularFile();
        assertThat(dir.resolve("reports/history.duckdb.lock")).isRegularFile();
    }

    @Test
    void a_sonde_jar_with_sonde_history_jar_beside_it_uses_it_and_alone_says_so() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("dist/lib"));
        Path jar = Files.copy(JAR, lib.resolve("sonde.jar"));

        Result alone = sonde(jar, "history", "import", run.toString());
        assertThat(alone.exit()).isEqualTo(2);
        assertThat(alone.err().lines()).singleElement().asString()
                .startsWith("sonde history: this build has no history store (" + lib.resolve("sonde-history.jar")
                        + " not found;");

        Files.copy(HISTORY_JAR, lib.resolve("sonde-history.jar"));
        Result beside = sonde(jar, "history", "import", run.toString(), "--store", "h.duckdb");
        assertThat(beside.exit()).as(beside.err()).isZero();
        assertThat(beside.out().lines()).containsExactly("history: imported " + runId() + " (28 trials)");
        assertThat(beside.err()).isEmpty();
    }
}
