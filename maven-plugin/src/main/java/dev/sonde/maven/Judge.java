package dev.sonde.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * What the build makes of finished runs: a run that went wrong (exit 2, 3, 1 with no verdict, or other) is a
 * {@link MojoExecutionException} with the CLI's own words; failed checks or gates (exit 1) are a
 * {@link MojoFailureException} naming each failing suite, its failing trials and gates with their
 * reasons, and its report.
 */
final class Judge {
    /** How many failure lines a suite lists in the build's message; the report has them all. */
    static final int MAX_FAILURE_LINES = 20;

    private Judge() {}

    /** Throws for the first run that went wrong, else for every run whose checks failed, else returns. */
    static void verify(List<SuiteRun> runs) throws MojoExecutionException, MojoFailureException {
        for (SuiteRun r : runs) {
            if (r.outcome().isError()) {
                throw new MojoExecutionException(errorMessage(r));
            }
        }
        List<SuiteRun> failed = runs.stream().filter(r -> r.outcome() == RunExit.CHECK_FAILED).toList();
        if (!failed.isEmpty()) {
            throw new MojoFailureException(failureMessage(failed, runs.size()));
        }
    }

    /**
     * One line for a bad suite (exit 2: the CLI's own line), or a first line and the CLI's lines on
     * stderr for a run that could not proceed or was stopped.
     */
    static String errorMessage(SuiteRun r) {
        String what = switch (r.outcome()) {
            case BAD_INPUT -> "was refused (exit 2, a bad suite or argument)";
            case CANNOT_PROCEED -> "could not proceed (exit 3)";
            case CRASHED -> "ended with exit code 1 before any verdict (Java could not run the CLI)";
            default -> "ended with exit code " + r.exit();
        };
        StringBuilder sb = new StringBuilder("Sonde: suite " + r.name() + " (" + r.file() + ") " + what);
        if (r.outcome() == RunExit.BAD_INPUT && !r.problems().isEmpty()) {
            return sb.append(": ").append(r.problems().get(r.problems().size() - 1)).toString();
        }
        r.problems().forEach(p -> sb.append("\n  ").append(p));
        if (r.report() != null) {
            sb.append("\n  report: ").append(r.report());
        }
        return sb.toString();
    }

    static String failureMessage(List<SuiteRun> failed, int suites) {
        StringBuilder sb = new StringBuilder("Sonde: " + failed.size() + " of " + suites + (suites == 1 ? " suite" : " suites")
                + " failed");
        for (SuiteRun r : failed) {
            sb.append("\n  suite ").append(r.name()).append(": ")
                    .append(r.summary() != null ? r.summary() : "checks failed (exit 1)");
            List<String> lines = r.failures();
            lines.stream().limit(MAX_FAILURE_LINES).forEach(l -> sb.append("\n    ").append(l));
            if (lines.size() > MAX_FAILURE_LINES) {
                sb.append("\n    … and ").append(lines.size() - MAX_FAILURE_LINES).append(" more in the report");
            }
            sb.append("\n    report: ").append(r.report() != null ? r.report() : r.runFolder());
        }
        return sb.toString();
    }
}
