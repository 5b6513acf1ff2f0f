package dev.sonde.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.toolchain.Toolchain;
import org.apache.maven.toolchain.ToolchainManager;

/**
 * What the goals share: the configuration of the suites to run and how, and forking one
 * {@code sonde run} per suite with its lines in the Maven log (stdout as info; stderr as warnings
 * when {@link Transcript#isWarning} says so, else info).
 */
public abstract class SondeMojo extends AbstractMojo {
    /**
     * Suite files, or directories meaning every {@code .yaml}/{@code .yml} file directly in them
     * (sorted), relative to the project's directory; run in this order.
     */
    @Parameter(property = "sonde.suites")
    List<String> suites;

    /** {@code emulator}, {@code live} or an API base URL ({@code --endpoint}); unset: the suite's own. */
    @Parameter(property = "sonde.endpoint")
    String endpoint;

    /**
     * The run history store each run adds itself to: {@code true} ({@code --history}: the suite's store,
     * else {@code reports/history.duckdb}), {@code false} ({@code --no-history}) or the store file
     * ({@code --history=PATH}, relative to the project's directory); unset: the suite's {@code history:}.
     */
    @Parameter(property = "sonde.history")
    String history;

    /** Requests in flight at once ({@code --concurrency}); unset: the suite's own. */
    @Parameter(property = "sonde.concurrency")
    Integer concurrency;

    /**
     * Where each suite's run folder ({@code <suite>-<UTC time>}) and each execution's
     * {@code last-run-<execution id>.properties} go.
     */
    @Parameter(property = "sonde.reportDirectory", defaultValue = "${project.build.directory}/sonde")
    File reportDirectory;

    /** Skips the goal. */
    @Parameter(property = "sonde.skip", defaultValue = "false")
    boolean skip;

    /**
     * Skips {@code sonde:run} and {@code sonde:verify} as it skips failsafe's integration tests
     * ({@code -DskipITs}), so a paid suite does not run on every {@code mvn install -DskipITs};
     * {@code sonde:baseline}, run only on demand, ignores it and the three below.
     */
    @Parameter(property = "skipITs", defaultValue = "false")
    boolean skipITs;

    /** As {@link #skipITs}: {@code -DskipTests} skips every test of the build, failsafe's and these. */
    @Parameter(property = "skipTests", defaultValue = "false")
    boolean skipTests;

    /** As {@link #skipITs}: {@code -Dmaven.test.skip} skips failsafe (and compiling the tests), so these too. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    boolean mavenTestSkip;

    /** As {@link #skipITs}: failsafe's old name for {@code skipTests}. */
    @Parameter(property = "maven.test.skip.exec", defaultValue = "false")
    boolean mavenTestSkipExec;

    /** A JDK 21+ to fork the CLI on; wins over the build's toolchain and Maven's own JVM. */
    @Parameter(property = "sonde.javaHome")
    File javaHome;

    /** JVM options for the forked CLI (e.g. {@code -Xmx1g}). */
    @Parameter(property = "sonde.jvmArgs")
    List<String> jvmArgs;

    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    File basedir;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    @Component
    ToolchainManager toolchains;

    /** When this build started (epoch ms): what ties {@code sonde:verify} to the runs of its own build. */
    final long buildStartMillis() {
        return session.getStartTime().getTime();
    }

    /** Whether {@code sonde:run} or {@code sonde:verify} is skipped, and if so says why in the log. */
    final boolean skippedAsIntegrationTest() {
        String why = skip ? "sonde.skip" : skipITs ? "skipITs" : skipTests ? "skipTests"
                : mavenTestSkip ? "maven.test.skip" : mavenTestSkipExec ? "maven.test.skip.exec" : null;
        if (why != null) {
            getLog().info("Sonde: skipped (" + why + ")");
            return true;
        }
        return false;
    }

    /** The configured suites, resolved; see {@link SuiteFile#resolve}. */
    final List<SuiteFile> suiteFiles() throws MojoExecutionException {
        return SuiteFile.resolve(basedir.toPath(), suites);
    }

    /** Forks one {@code sonde run} per call on a checked JDK, with the plugin's artifacts as class path. */
    final class Forks {
        private final ForkJdk jdk;
        private final List<Path> classPath;
        private final Clock clock = Clock.systemUTC();

        Forks() throws MojoExecutionException {
            Toolchain toolchain = toolchains == null ? null : toolchains.getToolchainFromBuildContext("jdk", session);
            Optional<Path> toolchainJava = Optional.ofNullable(toolchain).map(t -> t.findTool("java")).map(Path::of);
            jdk = ForkJdk.choose(javaHome == null ? null : javaHome.toPath(), toolchainJava,
                    Path.of(System.getProperty("java.home")));
            classPath = ForkClassPath.of(plugin.getArtifacts());
        }

        SuiteRun run(SuiteFile suite, boolean updateBaseline) throws MojoExecutionException {
            Path folder = RunFolder.next(reportDirectory.toPath(), suite.name(), clock);
            ForkCommand command = new ForkCommand(jdk.java(), jvmArgs == null ? List.of() : jvmArgs, classPath,
                    ForkCommand.runArguments(suite.file(), folder, endpoint, concurrency, updateBaseline, history));
            getLog().info("Sonde: suite " + suite.name() + " (" + suite.file() + ") on JDK " + jdk.feature() + " ("
                    + jdk.source() + ")" + (updateBaseline ? ", updating its baseline" : ""));
            try {
                return CliFork.run(suite, folder, command, basedir.toPath(), new CliFork.Sink() {
                    @Override
                    public void out(String line) {
                        getLog().info(line);
                    }

                    @Override
                    public void err(String line) {
                        if (Transcript.isWarning(line)) {
                            getLog().warn(line);
                        } else {
                            getLog().info(line);
                        }
                    }
                });
            } catch (IOException e) {
                throw new MojoExecutionException("Sonde: cannot run " + jdk.java() + " for suite " + suite.name() + ": "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MojoExecutionException("Sonde: interrupted while suite " + suite.name() + " ran (the fork was"
                        + " stopped; its partial reports are in " + folder + ")", e);
            }
        }
    }
}
