package dev.sonde.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * {@code sonde:verify}: fails the build on what every execution of {@code sonde:run} recorded in
 * this build. Failed checks or gates fail it (a build failure naming each suite, its failing trials
 * and gates with their reasons, and its report); a suite that could not run is an execution error;
 * no record of this build (sonde:run skipped or not bound) says so, and an earlier build's record
 * is never judged.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends SondeMojo {
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skippedAsIntegrationTest()) {
            return;
        }
        List<SuiteRun> runs = LastRun.readBuild(reportDirectory.toPath(), buildStartMillis());
        for (SuiteRun r : runs) {
            if (r.outcome() == RunExit.PASSED) {
                getLog().info("Sonde: suite " + r.name() + " passed"
                        + (r.report() != null ? "; report: " + r.report() : ""));
            }
        }
        Judge.verify(runs);
    }
}
