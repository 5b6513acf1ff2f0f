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
import java.util.stream.Stream;
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
                "-XX:MaxHeapFreeRatio=40", "-XX:MarkSweepDeadRatio=0", "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:AOTCache=" + aot, "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching", "-cp", jar.toRealPath().toString(),
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
    void the_windows_script_starts_the_jvm_itself_with_the_same_flags_and_mark() throws Exception {
        String cmd = Files.readString(PROJECT.resolve("harness/src/dist/bin/sonde.cmd"));
        Matcher flags = Pattern.compile("(?m)^set \"SONDE_FLAGS=([^\"%]*)\"\r?$").matcher(cmd);
        assertThat(flags.find()).as("sonde.cmd sets SONDE_FLAGS").isTrue();
        assertThat(List.of(flags.group(1).trim().split("\\s+"))).isEqualTo(Launch.FLAGS);
        assertThat(cmd).as("a run of a suite with a top-level load: runs on Launch's benchmark collector")
                .contains("if not \"%SONDE_COMMAND%\"==\"run\" goto flags")
                .contains("if \"%SONDE_ARG:~-5%\"==\".yaml\" goto suite", "if \"%SONDE_ARG:~-4%\"==\".yml\" goto suite")
                .contains("findstr /r /b /c:\"load[ \t]*:\" \"%SONDE_ARG%\" >nul 2>&1 && set \"SONDE_FLAGS="
                        + String.join(" ", Launch.BENCHMARK_FLAGS) + "\"");
        assertThat(cmd).as("the quick compiler for every command but the emulator, as Launch.flags adds it")
                .contains("if not \"%SONDE_COMMAND%\"==\"" + Launch.SERVER_COMMAND + "\" set \"SONDE_FLAGS=%SONDE_FLAGS% "
                        + Launch.QUICK_COMPILER + "\"");
        assertThat(cmd).as("the JVM it starts is marked, and runs Main on the jar with the flags")
                .contains("set \"" + Launch.LAUNCHED + "=1\"")
                .contains("\"%SONDE_JAVA%\" %SONDE_FLAGS% -cp \"%SONDE_LIB_JAR%\" " + Main.class.getName() + " %*")
                .contains("set \"SONDE_LIB_JAR=%~dp0..\\lib\\sonde.jar\"")
                .as("no java -jar: on Windows the jar cannot relaunch itself with the flags").doesNotContain("\"%SONDE_JAVA%\" -jar");
    }

    @Test
    void a_new_cache_removes_the_jars_caches_for_other_jdk_builds_and_sonde_removes_the_same() throws Exception {
        List<String> kept = List.of("sonde.jar", "sonde-java-25.0.3-3331df6d.aot", "sonde-java-25.0.2-3331df6d.aot.tmp.4242",
                "other-java-25.0.2-3331df6d.aot", "sonde-java-1-java-25.0.2-3331df6d.aot", "sonde-java-25.0.2-3331df6d.aot.bak",
                "sonde-java-25.0.2.jsa", "sonde-java-x-3331df6d.jsa", "notes.txt");
        List<String> removed = List.of("sonde-java-25.0.2-3331df6d.aot", "sonde-java-25.0.3-0badcafe.aot",
                "sonde-java-24.0.1-abcdef01.jsa", "sonde-java-26-ea-0123abcd.aot", "sonde-java-21.0.2+13-9f8e7d6c.jsa");
        for (String by : List.of("Launch", "./sonde")) {
            Path lib = Files.createDirectories(dir.resolve(by.equals("Launch") ? "launch" : "script"));
            for (String name : Stream.concat(kept.stream(), removed.stream()).toList()) {
                Files.createFile(lib.resolve(name));
            }
            Path jar = lib.resolve("sonde.jar").toRealPath();
            Path cache = jar.resolveSibling("sonde-java-25.0.3-3331df6d.aot");
            if (by.equals("Launch")) {
                Launch.removeOtherCaches(jar, cache);
            } else {
                String function = Files.readString(PROJECT.resolve("sonde"))
                        .replaceAll("(?s)^.*?(other_caches_removed\\(\\) \\{.*?\n\\}\n).*$", "$1");
                assertThat(function).as("./sonde defines other_caches_removed()").startsWith("other_caches_removed() {");
                ProcessBuilder bash = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + function + "other_caches_removed")
                        .redirectErrorStream(true);
                bash.environment().put("jar", jar.toString());
                bash.environment().put("cache", cache.toString());
                Process p = bash.start();
                String said = new String(p.getInputStream().readAllBytes()).strip();
                assertThat(p.waitFor()).as(said).isZero();
            }
            try (Stream<Path> left = Files.list(lib)) {
                assertThat(left.map(f -> f.getFileName().toString())).as(by).containsExactlyInAnyOrderElementsOf(kept);
            }
        }
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
