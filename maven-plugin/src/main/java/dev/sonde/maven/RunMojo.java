package dev.sonde.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code sonde:run}: runs each suite in a forked {@code sonde run} and records how each ended in
 * {@code <reportDirectory>/last-run-<execution id>.properties} for {@code sonde:verify} (one file
 * per execution, so several executions in one build are all judged; see {@link LastRun}). Failed checks never fail
 * this goal (verify does, after the rest of {@code integration-test}); a suite that could not run
 * at all (exit 2: bad suite or argument; 3: could not proceed; a signal) fails it at once with the
 * CLI's words, as Gatling does on errors, unless {@code failOnError} is false.
 */
@Mojo(name = "run", defaultPhase = LifecyclePhase.INTEGRATION_TEST, threadSafe = true)
public class RunMojo extends SondeMojo {
    /** Writes each run as its suite's baseline ({@code --update-baseline}); the gates still report the change. */
    @Parameter(property = "sonde.updateBaseline", defaultValue = "false")
    boolean updateBaseline;

    /**
     * Whether a suite that could not run fails this goal at once; when false the next suites still
     * run and {@code sonde:verify} fails the build for it.
     */
    @Parameter(property = "sonde.failOnError", defaultValue = "true")
    boolean failOnError;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    MojoExecution mojoExecution;

    @Override
    public void execute() throws MojoExecutionException {
        if (skippedAsIntegrationTest()) {
            return;
        }
        Path lastRun = reportDirectory.toPath().resolve(LastRun.fileName(mojoExecution.getExecutionId()));
        try {
            Files.deleteIfExists(lastRun); // before anything can fail: verify must never judge an older run
        } catch (IOException e) {
            throw new MojoExecutionException("Sonde: cannot delete " + lastRun + ": " + e.getMessage(), e);
        }
        List<SuiteFile> files = suiteFiles();
        Forks forks = new Forks();
        List<SuiteRun> runs = new ArrayList<>();
        try {
            for (SuiteFile suite : files) {
                SuiteRun r = forks.run(suite, updateBaseline);
                runs.add(r);
                LastRun.write(lastRun, buildStartMillis(), runs);
                switch (r.outcome()) {
                    case PASSED -> getLog().info("Sonde: suite " + r.name() + " passed");
                    case CHECK_FAILED -> getLog().warn("Sonde: suite " + r.name() + " failed " + r.failures().size()
                            + (r.failures().size() == 1 ? " check or gate" : " checks or gates") + "; sonde:verify fails the build");
                    default -> {
                        if (failOnError) {
                            throw new MojoExecutionException(Judge.errorMessage(r));
                        }
                        getLog().error(Judge.errorMessage(r));
                    }
                }
            }
        } catch (IOException e) {
            throw new MojoExecutionException("Sonde: cannot write " + lastRun + ": " + e.getMessage(), e);
        }
    }
}
