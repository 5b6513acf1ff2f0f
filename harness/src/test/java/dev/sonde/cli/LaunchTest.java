package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a plain {@code java -jar} replaces its JVM, with what, and that {@code ./sonde} agrees. */
class LaunchTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    @TempDir
    Path dir;

    @Test
    void only_a_jvm_started_with_no_option_and_no_mark_is_replaced() {
        assertThat(Launch.plain(Map.of("PATH", "/usr/bin"), List.of())).isTrue();
        assertThat(Launch.plain(Map.of(), List.of("-Xmx2g"))).as("the user chose the JVM's options").isFalse();
        assertThat(Launch.plain(Map.of("JAVA_TOOL_OPTIONS", "-Xss2m"), List.of())).isFalse();
        assertThat(Launch.plain(Map.of("JDK_JAVA_OPTIONS", "-XX:+UseZGC"), List.of())).isFalse();
        assertThat(Launch.plain(Map.of("_JAVA_OPTIONS", "-Xmx1g"), List.of())).isFalse();
        assertThat(Launch.plain(Map.of("JAVA_TOOL_OPTIONS", "  "), List.of())).as("blank is no option").isTrue();
        assertThat(Launch.plain(Map.of("SONDE_LAUNCHED", "1"), List.of())).as("already relaunched").isFalse();
        assertThat(Launch.plain(Map.of("SONDE_RELAUNCH", "0"), List.of())).as("opted out").isFalse();
    }

    @Test
    void the_jvm_options_are_what_comes_before_the_jar_or_main_class_less_the_class_path() {
        assertThat(Launch.jvmOptions(List.of("-jar", "sonde.jar", "run", "-Xmx1g"))).isEmpty();
        assertThat(Launch.jvmOptions(List.of("-cp", "a.jar:b.jar", "dev.sonde.cli.Main", "run", "-q"))).isEmpty();
        assertThat(Launch.jvmOptions(List.of("--class-path", "a.jar", "-Xss2m", "dev.sonde.cli.Main"))).containsExactly("-Xss2m");
        assertThat(Launch.jvmOptions(List.of("-Xmx512m", "-Dx=y", "-jar", "sonde.jar"))).containsExactly("-Xmx512m", "-Dx=y");
        assertThat(Launch.jvmOptions(List.of("@opts", "-jar", "sonde.jar"))).containsExactly("@opts");
        assertThat(Launch.jvmOptions(List.of())).isEmpty();
    }

    @Test
    void the_replacement_runs_main_on_the_same_jar_with_the_flags_and_the_cache() throws Exception {
        Path jar = Files.createFile(dir.resolve("sonde.jar"));
        Path aot = Files.createFile(dir.resolve("sonde-java-25.0.3-abcd0123.aot"));
        Path java = Path.of("/opt/jdk/bin/java");

        List<String> on25 = Launch.command(java, jar.toString(), Optional.of(aot), 25, new String[] {"run", "s.yaml", "-q"});
        assertThat(on25).containsExactly("/opt/jdk/bin/java", "-XX:+UseSerialGC", "-XX:NewRatio=4", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=40", "-XX:MarkSweepDeadRatio=0", "-XX:TieredStopAtLevel=1", "-XX:AOTCache=" + aot, "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching", "-cp", jar.toRealPath().toString(),
                "dev.sonde.cli.Main", "run", "s.yaml", "-q");
        assertThat(Launch.command(java, jar.toString(), Optional.of(aot), 25, new String[] {"emulator", "--port", "0"}))
                .as("the emulator, a long-running server, keeps the optimising compiler")
                .contains("-XX:+UseSerialGC").doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(Launch.command(java, jar.toString(), Optional.of(aot), 25, new String[0])).as("no command: the quick compiler")
                .contains("-XX:TieredStopAtLevel=1");
        assertThat(Launch.command(java, jar.toString(), Optional.of(dir.resolve("missing.aot")), 25, new String[0]))
                .as("no cache made (training failed): flags only").noneMatch(a -> a.startsWith("-XX:AOTCache"));
        assertThat(Launch.command(java, jar.toString(), Optional.of(dir.resolve("c.jsa")), 23, new String[0]))
                .contains("-XX:SharedArchiveFile=" + dir.resolve("c.jsa"), "-XX:+AutoCreateSharedArchive");
        String twoJars = jar + File.pathSeparator + dir.resolve("checks.jar");
        assertThat(Launch.command(java, twoJars, Optional.empty(), 25, new String[] {"lint"}))
                .as("a class path of several entries is passed on as it is").containsSubsequence("-cp", twoJars, "dev.sonde.cli.Main", "lint");
    }

    @Test
    void the_cache_sits_beside_one_jar_named_for_the_jdk_build() throws Exception {
        Path jar = Files.createFile(dir.resolve("sonde.jar"));
        Path cache = Launch.cacheFile(jar.toString(), "/usr/lib/jvm/temurin-25-jdk-amd64", "25.0.3").orElseThrow();
        // the name ./sonde computes: printf '%s' "$java_home" | sha256sum | cut -c1-8
        assertThat(cache).isEqualTo(jar.toRealPath().resolveSibling("sonde-java-25.0.3-3331df6d.aot"));
        assertThat(Launch.cacheFile(jar.toString(), "/usr/lib/jvm/java-23", "23.0.1").orElseThrow().toString()).endsWith(".jsa");
        assertThat(Launch.cacheFile(dir.resolve("classes").toString(), "/j", "25")).as("not a jar").isEmpty();
        assertThat(Launch.cacheFile(jar + File.pathSeparator + jar, "/j", "25")).as("two entries").isEmpty();
        assertThat(Launch.cacheFile(dir.resolve("gone.jar").toString(), "/j", "25")).as("no such jar").isEmpty();
    }

    @Test
    void the_sonde_script_starts_the_jvm_with_the_same_flags_and_cache_name() throws Exception {
        String script = Files.readString(PROJECT.resolve("sonde"));
        Matcher flags = Pattern.compile("(?m)^flags=\\(([^)]*)\\)").matcher(script);
        assertThat(flags.find()).as("./sonde sets flags=(...)").isTrue();
        assertThat(List.of(flags.group(1).trim().split("\\s+"))).isEqualTo(Launch.FLAGS);
        assertThat(script).as("./sonde adds the quick compiler for every command but the emulator, as Launch.flags does")
                .contains("[ \"${1:-}\" = " + Launch.SERVER_COMMAND + " ] || flags+=(" + Launch.QUICK_COMPILER + ")");
        assertThat(script).as("./sonde runs a benchmark on the collector Launch.flags picks for one")
                .contains("if benchmark \"$@\"; then flags=(" + String.join(" ", Launch.BENCHMARK_FLAGS) + "); fi");
        assertThat(script).contains("SONDE_LAUNCHED=1 exec \"$java_bin\" \"${flags[@]}\" -cp \"$jar\" dev.sonde.cli.Main \"$@\"")
                .contains("-java-$java_version-$(printf '%s' \"$java_home\" | sha256sum | cut -c1-8)");
    }

    @Test
    void a_benchmark_runs_on_g1_and_sonde_and_the_jar_agree_on_what_a_benchmark_is() throws Exception {
        Path bench = Files.writeString(dir.resolve("bench.yaml"), "name: b\ncases: [{id: a, prompt: hi}]\nload:\n  mode: open\n");
        Path spaced = Files.writeString(dir.resolve("spaced.yml"), "name: b\nload :  {mode: closed}\n");
        Path eval = Files.writeString(dir.resolve("eval.yaml"), "name: e\ncases:\n  - id: a\n    load: not a top-level key\n");
        Path pricing = Files.writeString(dir.resolve("pricing.yaml"), "models: {}\n");
        String[][] cases = {
            {"run", bench.toString(), "-q"},
            {"run", "--out", dir.resolve("o").toString(), spaced.toString()},
            {"run", eval.toString()},
            {"run", eval.toString(), "--pricing", pricing.toString()},
            {"lint", bench.toString()},
            {"run", dir.resolve("missing.yaml").toString()},
        };
        boolean[] expected = {true, true, false, false, false, false};
        for (int i = 0; i < cases.length; i++) {
            assertThat(Launch.benchmark(cases[i])).as(String.join(" ", cases[i])).isEqualTo(expected[i]);
            assertThat(Launch.flags(cases[i])).as(String.join(" ", cases[i]))
                    .startsWith((expected[i] ? Launch.BENCHMARK_FLAGS : Launch.FLAGS).toArray(String[]::new))
                    .contains(Launch.QUICK_COMPILER);
            // ./sonde's own test, run by bash on the same command line
            String function = Files.readString(PROJECT.resolve("sonde")).replaceAll("(?s)^.*?(benchmark\\(\\) \\{.*?\n\\}\n).*$", "$1");
            List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", "set -euo pipefail\n" + function
                    + "if benchmark \"$@\"; then echo yes; else echo no; fi", "sonde"));
            command.addAll(List.of(cases[i]));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            assertThat(p.waitFor()).isZero();
            assertThat(out).as("./sonde on " + String.join(" ", cases[i])).isEqualTo(expected[i] ? "yes" : "no");
        }
    }
}
