package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkJdkTest {
    @TempDir
    Path dir;

    @Test
    void feature_versions_of_every_scheme() {
        assertThat(ForkJdk.featureOf("25.0.3")).isEqualTo(25);
        assertThat(ForkJdk.featureOf("21")).isEqualTo(21);
        assertThat(ForkJdk.featureOf("21-ea")).isEqualTo(21);
        assertThat(ForkJdk.featureOf("17.0.15")).isEqualTo(17);
        assertThat(ForkJdk.featureOf("1.8.0_392")).isEqualTo(8);
        assertThatThrownBy(() -> ForkJdk.featureOf("unknown")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_release_file_gives_the_version_without_starting_a_jvm() throws Exception {
        Path home = jdk("release-only", "JAVA_VERSION=\"21.0.4\"\n", "exit 99");
        assertThat(ForkJdk.feature(home, home.resolve("bin/java"))).isEqualTo(21);
    }

    @Test
    void without_a_release_file_java_dash_version_is_asked() throws Exception {
        Path home = jdk("no-release", null, "echo 'openjdk version \"22.0.1\" 2024-04-16' >&2");
        assertThat(ForkJdk.feature(home, home.resolve("bin/java"))).isEqualTo(22);
    }

    @Test
    void a_version_that_cannot_be_read_is_one_line_naming_the_java() throws Exception {
        Path home = jdk("mute", null, "exit 0");
        assertThatThrownBy(() -> ForkJdk.feature(home, home.resolve("bin/java")))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Sonde: cannot tell the version of " + home.resolve("bin/java"));
    }

    @Test
    void a_java_that_hangs_on_dash_version_costs_the_timeout_not_the_build() throws Exception {
        Path home = jdk("hangs", null, "echo 'openjdk version \"22.0.1\"' >&2\nexec sleep 600");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(
                () -> ForkJdk.feature(home, home.resolve("bin/java"), Duration.ofSeconds(1)))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("Sonde: " + home.resolve("bin/java") + " -version gave no answer within 1 s"));
    }

    @Test
    void a_jdk_older_than_21_fails_in_one_line_saying_how_to_give_sonde_one() throws Exception {
        Path old = jdk("jdk17", "JAVA_VERSION=\"17.0.15\"\n", "exit 0");
        assertThatThrownBy(() -> ForkJdk.choose(null, Optional.empty(), old))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("Sonde needs JDK 21 or newer, and Maven's own JVM is JDK 17 (" + old + "): add"
                        + " maven-toolchains-plugin's select-jdk-toolchain goal with <version>[21,)</version> to the build"
                        + " (a goal run alone needs the phase that selects it: mvn validate sonde:baseline),"
                        + " or pass -Dsonde.javaHome=/path/to/jdk-21");
    }

    @Test
    void java_home_wins_over_the_toolchain_which_wins_over_mavens_jvm() throws Exception {
        Path maven = jdk("maven", "JAVA_VERSION=\"17.0.15\"\n", "exit 0");
        Path toolchain = jdk("toolchain", "JAVA_VERSION=\"25.0.3\"\n", "exit 0");
        Path chosen = jdk("chosen", "JAVA_VERSION=\"21.0.9\"\n", "exit 0");
        ForkJdk fromToolchain = ForkJdk.choose(null, Optional.of(toolchain.resolve("bin/java")), maven);
        assertThat(fromToolchain.feature()).isEqualTo(25);
        assertThat(fromToolchain.home()).isEqualTo(toolchain.toRealPath());
        assertThat(fromToolchain.source()).isEqualTo("the build's jdk toolchain");
        ForkJdk fromParameter = ForkJdk.choose(chosen, Optional.of(toolchain.resolve("bin/java")), maven);
        assertThat(fromParameter.java()).isEqualTo(chosen.resolve("bin/java"));
        assertThat(fromParameter.feature()).isEqualTo(21);
    }

    @Test
    void a_java_home_without_bin_java_is_named() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("not-a-jdk"));
        assertThatThrownBy(() -> ForkJdk.choose(empty, Optional.empty(), empty))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("Sonde: sonde.javaHome " + empty + " is not a JDK (no executable bin/java there)");
    }

    /** A fake JDK home: an optional release file and a bin/java shell script with {@code body}. */
    private Path jdk(String name, String release, String body) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        if (release != null) {
            Files.writeString(home.resolve("release"), release);
        }
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
