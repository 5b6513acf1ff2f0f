package dev.sonde.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The engine binary as a user's console launcher meets it: {@code junit-platform-console-standalone}
 * (the Platform this module's tests run on: 1.14 here, 6 in junit-platform6/) forked with the engine and
 * sonde-core on {@code -cp}, selecting one case by unique id as an IDE re-run does.
 */
class ConsoleLauncherTest {
    private static final Pattern COUNT = Pattern.compile("\\[\\s*(\\d+) tests (successful|failed|skipped)\\s*]");

    @TempDir
    Path base;

    @Test
    void a_case_selected_by_unique_id_runs_its_trials_on_every_model_and_the_gates_are_skipped() throws Exception {
        TinySuites.passing(base, "tiny");
        EngineTestKit.engine("sonde").configurationParameter("sonde.baseDir", base.toString())
                .configurationParameter("sonde.updateBaseline", "true").configurationParameter("sonde.outDir", "accepted")
                .selectors(selectFile(base.resolve("tiny.yaml").toFile())).execute()
                .testEvents().assertStatistics(s -> s.succeeded(4));

        String out = console("--select-unique-id=[engine:sonde]/[suite:tiny.yaml]/[case:capital]",
                "--config=sonde.baseDir=" + base, "--config=sonde.outDir=console");

        assertThat(count(out, "successful")).as(out).isEqualTo(2);
        assertThat(count(out, "failed")).as(out).isZero();
        assertThat(count(out, "skipped")).as(out).isPositive();
        assertThat(out).contains("capital [sonnet]", "capital [haiku]", "baseline new_failures",
                SuiteRun.PART_ONLY, "Sonde report: " + base.resolve("console"),
                "Sonde baseline (" + SuiteRun.PART_ONLY + ", not gated): ").doesNotContain("greeting [");
    }

    /** Runs the console launcher's {@code execute} with the engine's classpath; its output, after it exits 0. */
    private static String console(String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("sonde.consoleJar");
        String classpath = System.getProperty("sonde.engineClasspath");
        assertThat(jar).as("sonde.consoleJar (set by the module's surefire configuration)").isNotBlank();
        assertThat(Path.of(jar)).exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar, "execute",
                "--disable-banner", "--disable-ansi-colors", "--details=tree", "-cp", classpath));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    private static int count(String output, String kind) {
        Matcher m = COUNT.matcher(output);
        while (m.find()) {
            if (m.group(2).equals(kind)) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no '" + kind + "' count in the console's summary:\n" + output);
    }
}
