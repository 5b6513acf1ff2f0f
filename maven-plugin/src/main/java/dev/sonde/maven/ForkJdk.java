package dev.sonde.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The JDK the CLI is forked on, checked to be 21 or newer before anything runs.
 *
 * @param java its {@code bin/java}
 * @param home its home directory
 * @param feature its feature version (17, 21, 25)
 * @param source where it came from, for messages ({@code the build's toolchain}, …)
 */
record ForkJdk(Path java, Path home, int feature, String source) {
    /** The oldest JDK the CLI's class files run on. */
    static final int REQUIRED = 21;
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");
    private static final Pattern VERSION_OUTPUT = Pattern.compile("version \"([^\"]+)\"");
    private static final long VERSION_SECONDS = 30;

    /**
     * The JDK to fork: {@code javaHome} when the user set it (the most specific choice), else the
     * build's {@code jdk} toolchain ({@code select-jdk-toolchain}), else Maven's own JVM.
     *
     * @param javaHome the {@code javaHome} parameter, or null
     * @param toolchainJava the toolchain's {@code java} tool, if the build selected one
     * @param mavenJavaHome Maven's {@code java.home}
     * @throws MojoExecutionException one line: no {@code bin/java} there, its version cannot be
     *     read, or it is older than {@value #REQUIRED}, saying how to give the build a newer one
     */
    static ForkJdk choose(Path javaHome, Optional<Path> toolchainJava, Path mavenJavaHome) throws MojoExecutionException {
        ForkJdk jdk;
        if (javaHome != null) {
            jdk = at(javaHome, "sonde.javaHome");
        } else if (toolchainJava.isPresent()) {
            Path java = toolchainJava.get();
            Path home = java.toAbsolutePath().getParent().getParent();
            try {
                home = java.toRealPath().getParent().getParent();
            } catch (IOException e) {
                // keep the path as the toolchain gave it; the version read below says what is wrong
            }
            jdk = new ForkJdk(java, home, feature(home, java), "the build's jdk toolchain");
        } else {
            jdk = at(mavenJavaHome, "Maven's own JVM");
        }
        if (jdk.feature() < REQUIRED) {
            throw new MojoExecutionException("Sonde needs JDK " + REQUIRED + " or newer, and " + jdk.source() + " is JDK "
                    + jdk.feature() + " (" + jdk.home() + "): add maven-toolchains-plugin's select-jdk-toolchain goal"
                    + " with <version>[" + REQUIRED + ",)</version> to the build (a goal run alone needs the phase that"
                    + " selects it: mvn validate sonde:baseline), or pass -Dsonde.javaHome=/path/to/jdk-" + REQUIRED);
        }
        return jdk;
    }

    private static ForkJdk at(Path home, String source) throws MojoExecutionException {
        Path java = home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        if (!Files.isExecutable(java)) {
            throw new MojoExecutionException("Sonde: " + source + " " + home + " is not a JDK (no executable "
                    + home.relativize(java) + " there)");
        }
        return new ForkJdk(java, home, feature(home, java), source);
    }

    /**
     * The JDK's feature version: from its {@code release} file (no JVM started), else from what
     * {@code java -version} prints within {@value #VERSION_SECONDS} s.
     */
    static int feature(Path home, Path java) throws MojoExecutionException {
        return feature(home, java, Duration.ofSeconds(VERSION_SECONDS));
    }

    /**
     * As above, waiting {@code timeout} for {@code java -version}. Its output goes to a file and is
     * read once the process ended, so a {@code java} that hangs costs the timeout, not the build.
     */
    static int feature(Path home, Path java, Duration timeout) throws MojoExecutionException {
        Path release = home.resolve("release");
        if (Files.isRegularFile(release)) {
            try {
                Matcher m = RELEASE_VERSION.matcher(Files.readString(release, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    return featureOf(m.group(1));
                }
            } catch (IOException | IllegalArgumentException e) {
                // fall back to asking the JVM itself
            }
        }
        Path output = null;
        try {
            output = Files.createTempFile("sonde-java-version", ".txt");
            Process p = new ProcessBuilder(List.of(java.toString(), "-version")).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new MojoExecutionException("Sonde: " + java + " -version gave no answer within "
                        + timeout.toSeconds() + " s");
            }
            Matcher m = VERSION_OUTPUT.matcher(Files.readString(output, StandardCharsets.ISO_8859_1));
            if (m.find()) {
                return featureOf(m.group(1));
            }
        } catch (IOException | IllegalArgumentException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            }
        }
        throw new MojoExecutionException("Sonde: cannot tell the version of " + java
                + " (no JAVA_VERSION in its release file, no version in `java -version`)");
    }

    /** {@code 25.0.3} → 25, {@code 21} → 21, {@code 21-ea} → 21, {@code 1.8.0_392} → 8. */
    static int featureOf(String version) {
        Matcher m = Pattern.compile("^(\\d+)(?:\\.(\\d+))?").matcher(version.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("not a Java version: " + version);
        }
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
