package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.metrics.Version;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installable CLI as users get it: {@code mvn package} writes {@code sonde-<version>.tar.gz} and
 * {@code .zip} beside {@code sonde.jar}; unpacked in an empty folder, {@code bin/sonde} runs a suite with
 * nothing but a JDK 21+ on the machine, from any working directory and through a link, and with none it
 * says in one line what it found and where it looked, and exits 2. The checkout's {@code ./sonde}, the
 * same script, still runs the checkout's jar.
 */
class DistributionIT {
    private static final Path JAR = Path.of(System.getProperty("sonde.jar", "target/sonde.jar")).toAbsolutePath();
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final String TOP = "sonde-" + Version.current();
    private static final Path JDK = Path.of(System.getProperty("java.home"));
    private static final String SYSTEM_PATH = "/usr/bin:/bin";
    @TempDir
    Path dir;

    @BeforeEach
    void needsTheArchive() {
        Assumptions.assumeTrue(System.getProperty("sonde.suite", "").isBlank(), "a -Psuite= build runs its suite only");
        assertThat(JAR.resolveSibling(TOP + ".tar.gz")).as("mvn package builds it before the integration tests").isRegularFile();
    }

    @Test
    void the_archives_hold_one_folder_with_both_launchers_the_jar_the_schema_the_readme_and_an_example() throws Exception {
        Path home = unpack();
        Map<String, String> modes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(dir.resolve("unpacked"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                modes.put(dir.resolve("unpacked").relativize(f).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            }
        }
        assertThat(modes).containsOnly(
                Map.entry(TOP + "/bin/sonde", "rwxr-xr-x"),
                Map.entry(TOP + "/bin/sonde.cmd", "rw-r--r--"),
                Map.entry(TOP + "/lib/sonde.jar", "rw-r--r--"),
                Map.entry(TOP + "/lib/sonde-history.jar", "rw-r--r--"),
                Map.entry(TOP + "/suite.schema.json", "rw-r--r--"),
                Map.entry(TOP + "/README.md", "rw-r--r--"),
                Map.entry(TOP + "/examples/quickstart.yaml", "rw-r--r--"),
                Map.entry(TOP + "/examples/quickstart-answers.yaml", "rw-r--r--"));
        assertThat(Files.mismatch(home.resolve("bin/sonde"), PROJECT.resolve("sonde"))).as("one script for both layouts").isEqualTo(-1);
        assertThat(Files.mismatch(home.resolve("lib/sonde.jar"), JAR)).as("the shaded jar of this build").isEqualTo(-1);
        assertThat(Files.mismatch(home.resolve("lib/sonde-history.jar"),
                JAR.getParent().resolve("../../history").resolve(JAR.getParent().getFileName()).resolve("sonde-history.jar")))
                .as("the history module's jar of this build").isEqualTo(-1);
        assertThat(Files.readString(home.resolve("suite.schema.json"))).contains("\"$schema\"");
        String cmd = Files.readString(home.resolve("bin/sonde.cmd"));
        assertThat(cmd).startsWith("@echo off\r\n").doesNotContain("\r\r").contains("-cp \"%SONDE_LIB_JAR%\" dev.sonde.cli.Main %*");
        assertThat(cmd.replace("\r\n", "")).as("every line ends CRLF, as cmd.exe's labels need").doesNotContain("\n");

        Map<String, Integer> zipped = unixModes(JAR.resolveSibling(TOP + ".zip"));
        assertThat(zipped).as("the zip holds the same files").containsKeys(modes.keySet().toArray(String[]::new));
        assertThat(zipped.get(TOP + "/bin/sonde")).as("unzip on Linux/macOS keeps bin/sonde runnable").isEqualTo(0755);
        assertThat(zipped.get(TOP + "/lib/sonde.jar")).isEqualTo(0644);
    }

    @Test
    void unpacked_in_an_empty_folder_it_runs_a_suite_with_only_a_jdk_on_path_and_makes_its_cache_beside_the_jar() throws Exception {
        Path home = unpack();
        Path cwd = Files.createDirectory(dir.resolve("elsewhere"));
        Path out = dir.resolve("run");
        Path stale = Files.writeString(home.resolve("lib/sonde-java-25.0.1-0badcafe.aot"), "an earlier JDK update's cache");
        Map<String, String> env = Map.of("PATH", JDK.resolve("bin") + ":" + SYSTEM_PATH, "SONDE_JDK_DIRS", "");
        Result run = sonde(home.resolve("bin/sonde"), cwd, env,
                "run", home.resolve("examples/quickstart.yaml").toString(), "-q", "--out", out.toString());
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).contains("PASS  quickstart: 2/2 passed").contains("report: " + out.resolve("report.html"));
        assertThat(out.resolve("report.html")).isRegularFile();
        assertThat(out.resolve("junit.xml")).isRegularFile();
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()).filter(n -> !n.equals("sonde.jar") && !n.equals("sonde-history.jar")))
                    .as("the start-up cache, made beside the jar since lib/ is writable, in place of %s", stale.getFileName())
                    .singleElement().asString().startsWith("sonde-java-" + System.getProperty("java.version") + "-");
        }
        try (Stream<Path> left = Files.list(cwd)) {
            assertThat(left).as("a run given --out writes nothing in the working folder").isEmpty();
        }

        // the history store from the archive's lib/sonde-history.jar: the run just made goes in
        Path store = dir.resolve("history/h.duckdb");
        Result imported = sonde(home.resolve("bin/sonde"), cwd, env, "history", "import", out.toString(), "--store", store.toString());
        assertThat(imported.exit).as(imported.err).isZero();
        assertThat(imported.out).contains("history: imported ").contains(" (2 trials)");
        assertThat(store).isRegularFile();

        // started through a link to bin/sonde (as from /usr/local/bin), the JDK named by JAVA_HOME only
        Path links = Files.createDirectory(dir.resolve("links"));
        Files.createSymbolicLink(links.resolve("sonde"), home.resolve("bin/sonde"));
        Result version = sonde(links.resolve("sonde"), cwd, Map.of("PATH", links + ":" + SYSTEM_PATH, "JAVA_HOME", JDK.toString(),
                "SONDE_JDK_DIRS", ""), "--version");
        assertThat(version.exit).as(version.err).isZero();
        assertThat(version.out).startsWith("sonde " + Version.current() + " (Java " + Runtime.version())
                .contains("start-up cache");
    }

    @Test
    void with_no_jdk_21_or_newer_it_says_what_it_found_and_where_it_looked_and_exits_2() throws Exception {
        Path home = unpack();
        Path old = fakeJdk("jdk-11", "11.0.22");
        Path onPath = fakeJdk("jdk-17", "17.0.2");
        Path installed = Files.createDirectory(dir.resolve("installed"));
        Path noRelease = fakeJdkWithoutReleaseFile(installed.resolve("jdk-19"), "19.0.2");
        Map<String, String> env = Map.of("JAVA_HOME", old.toString(), "PATH", onPath.resolve("bin") + ":" + SYSTEM_PATH,
                "SONDE_JDK_DIRS", installed.toString());

        Result none = sonde(home.resolve("bin/sonde"), dir, env, "--version");
        assertThat(none.exit).isEqualTo(2);
        assertThat(none.out).isEmpty();
        assertThat(none.err.lines()).as("one line").singleElement().asString()
                .startsWith("sonde: needs a JDK 21 or newer and found only ")
                .contains(old.resolve("bin/java") + " (11.0.22)")
                .contains(onPath.resolve("bin/java") + " (17.0.2)")
                .as("read from the JVM when the JDK has no release file").contains(noRelease.resolve("bin/java") + " (19.0.2)")
                .contains("JAVA_HOME (" + old + ")", "java on PATH", "the JDKs in " + installed + " (SONDE_JDK_DIRS)")
                .endsWith("Install a JDK 21 or newer and set JAVA_HOME to it.");

        Path empty = Files.createDirectory(dir.resolve("empty"));
        Map<String, String> unset = Map.of("PATH", onPath.resolve("bin") + ":" + SYSTEM_PATH, "SONDE_JDK_DIRS", empty.toString());
        assertThat(sonde(home.resolve("bin/sonde"), dir, unset, "--version").err)
                .contains("JAVA_HOME (not set)").contains(onPath.resolve("bin/java") + " (17.0.2)");

        // the same old JDKs first, and a JDK 21+ installed in a searched folder: that one runs
        Files.createSymbolicLink(installed.resolve("jdk-new"), JDK);
        Result found = sonde(home.resolve("bin/sonde"), dir, Map.of("JAVA_HOME", old.toString(),
                "PATH", onPath.resolve("bin") + ":" + SYSTEM_PATH, "SONDE_JDK_DIRS", empty + ":" + installed, "SONDE_NO_CACHE", "1"), "--version");
        assertThat(found.exit).as(found.err).isZero();
        assertThat(found.out).startsWith("sonde " + Version.current() + " (Java " + Runtime.version());
    }

    @Test
    void a_jdk_whose_version_has_a_suffix_is_read_by_its_feature_release() throws Exception {
        Path home = unpack();
        // an early-access build: JAVA_VERSION="26-ea" in its release file; its bin/java hands over to this JDK
        Path ea = Files.createDirectories(dir.resolve("jdk-26-ea/bin")).getParent();
        Files.writeString(ea.resolve("release"), "JAVA_VERSION=\"26-ea\"\n");
        script(ea.resolve("bin/java"), "exec '" + JDK.resolve("bin/java") + "' \"$@\"");
        Result run = sonde(home.resolve("bin/sonde"), dir, Map.of("JAVA_HOME", ea.toString(), "PATH", SYSTEM_PATH,
                "SONDE_JDK_DIRS", "", "SONDE_NO_CACHE", "1"), "--version");
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).startsWith("sonde " + Version.current() + " (Java " + Runtime.version());
    }

    @Test
    void a_copy_of_the_script_in_another_projects_root_runs_no_build_there() throws Exception {
        Path home = unpack();
        Path project = Files.createDirectory(dir.resolve("their-project"));
        Files.writeString(project.resolve("pom.xml"), "<project/>\n");
        Files.copy(home.resolve("bin/sonde"), project.resolve("sonde"));
        Path tools = Files.createDirectory(dir.resolve("tools"));
        Path started = dir.resolve("mvn-started");
        script(tools.resolve("mvn"), "touch '" + started + "'");
        Result run = sonde(project.resolve("sonde"), project, Map.of("PATH", tools + ":" + JDK.resolve("bin") + ":" + SYSTEM_PATH,
                "SONDE_JDK_DIRS", "", "SONDE_NO_CACHE", "1"), "--version");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.lines()).as("one line, naming the distribution's jar it looked for").singleElement().asString()
                .isEqualTo("sonde: no jar at " + project + "/../lib/sonde.jar");
        assertThat(started).as("mvn was not started in their project").doesNotExist();
    }

    @Test
    void the_checkout_script_still_runs_the_checkouts_jar_from_any_folder() throws Exception {
        Assumptions.assumeTrue(JAR.equals(PROJECT.resolve("harness/target/sonde.jar")),
                "./sonde runs harness/target/sonde.jar; this build wrote " + JAR);
        Result version = sonde(PROJECT.resolve("sonde"), dir,
                Map.of("PATH", JDK.resolve("bin") + ":" + SYSTEM_PATH, "SONDE_NO_CACHE", "1"), "--version");
        assertThat(version.exit).as(version.err).isZero();
        assertThat(version.out).startsWith("sonde " + Version.current() + " (Java " + Runtime.version())
                .contains("serial collector, quick compiler").doesNotContain("start-up cache");
        assertThat(version.err).as("the jar was there: nothing built").isEmpty();
    }

    /** The tar.gz unpacked with the system's tar into {@code dir/unpacked}, modes as stored (whatever the umask); the top folder. */
    private Path unpack() throws Exception {
        Path to = Files.createDirectory(dir.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzpf", JAR.resolveSibling(TOP + ".tar.gz").toString(), "-C", to.toString())
                .redirectErrorStream(true).start();
        String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(said).isZero();
        return to.resolve(TOP);
    }

    /** A folder shaped like a JDK: a release file with {@code version} and a bin/java that must not be started. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        script(home.resolve("bin/java"), "echo 'started a JDK whose release file says its version' >&2; exit 70");
        return home;
    }

    /** A JDK with no release file, whose bin/java reports {@code version} as -XshowSettings:properties does. */
    private static Path fakeJdkWithoutReleaseFile(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        script(home.resolve("bin/java"), "printf '    java.home = %s\\n    java.version = %s\\n' '" + home + "' '" + version + "' >&2");
        return home;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int exit, String out, String err) {}

    /** Runs {@code launcher args} in {@code cwd} with a clean environment: {@code env} on top of HOME only. */
    private Result sonde(Path launcher, Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        String userHome = pb.environment().getOrDefault("HOME", dir.toString());
        pb.environment().clear();
        pb.environment().put("HOME", userHome);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Each entry's Unix mode (the high half of its external attributes) from a zip's central directory. */
    private static Map<String, Integer> unixModes(Path zip) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            int tail = (int) Math.min(channel.size(), 22 + 65_535);
            ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(end, channel.size() - tail);
            int eocd = tail - 22;
            while (eocd >= 0 && end.getInt(eocd) != 0x06054b50) {
                eocd--;
            }
            assertThat(eocd).as("end of central directory").isNotNegative();
            ByteBuffer directory = ByteBuffer.allocate(end.getInt(eocd + 12)).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(directory, Integer.toUnsignedLong(end.getInt(eocd + 16)));
            Map<String, Integer> modes = new LinkedHashMap<>();
            for (int at = 0; at < directory.capacity(); ) {
                assertThat(directory.getInt(at)).as("central directory header").isEqualTo(0x02014b50);
                int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
                int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
                int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
                byte[] name = new byte[nameLength];
                directory.get(at + 46, name);
                modes.put(new String(name, StandardCharsets.UTF_8), (directory.getInt(at + 38) >>> 16) & 07777);
                at += 46 + nameLength + extraLength + commentLength;
            }
            return modes;
        }
    }
}
