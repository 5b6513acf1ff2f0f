package dev.sonde.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * {@code sonde:baseline}: runs each suite with {@code --update-baseline}, so the run becomes the
 * suite's baseline (the file its {@code baseline:} names), and says which files were written. Not
 * bound to a phase: accepting a run is a decision, made with {@code mvn sonde:baseline}. A run whose
 * checks or gates failed is still accepted (that is what the CLI does) and its failures are
 * listed as warnings; a suite that could not run, or wrote no baseline, fails the goal.
 */
@Mojo(name = "baseline", threadSafe = true)
public class BaselineMojo extends SondeMojo {
    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("Sonde: skipped (sonde.skip)");
            return;
        }
        var files = suiteFiles();
        Forks forks = new Forks();
        for (SuiteFile suite : files) {
            SuiteRun r = forks.run(suite, true);
            if (r.outcome().isError()) {
                throw new MojoExecutionException(Judge.errorMessage(r));
            }
            if (r.baselines().isEmpty()) {
                throw new MojoExecutionException("Sonde: suite " + r.name() + " wrote no baseline (exit " + r.exit()
                        + "); its run is in " + r.runFolder());
            }
            if (r.outcome() == RunExit.CHECK_FAILED) {
                getLog().warn("Sonde: suite " + r.name() + " was accepted with failures (against the previous baseline):");
                r.failures().forEach(f -> getLog().warn("  " + f));
            }
            r.baselines().forEach(b -> getLog().info("Sonde: baseline of suite " + r.name() + " written: " + b));
        }
    }
}
