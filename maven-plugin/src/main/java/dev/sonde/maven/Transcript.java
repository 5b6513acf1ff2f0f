package dev.sonde.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the lines a forked {@code sonde run} prints, as {@code RunCommand} and its console print
 * them: {@code report: PATH} and {@code baseline written: PATH} on stdout, the headline
 * ({@code PASS|FAIL|COMPARED|STOPPED  name: …}) and failed gates ({@code   FAIL gate: …}) on
 * stdout, and a line per failed or errored trial ({@code FAILED  case [model]: reason}) on stderr.
 * Called from the two stream-reading threads at once: thread-safe.
 */
final class Transcript {
    /** How many other stderr lines are kept as the run's problems (the last ones). */
    static final int MAX_PROBLEMS = 20;
    private static final Pattern HEADLINE = Pattern.compile("^(PASS|FAIL|COMPARED|STOPPED|PARTIAL) {2}\\S.*");
    private static final Pattern FAILED_GATE = Pattern.compile("^\\s+FAIL \\S.*");
    private static final Pattern FAILED_TRIAL = Pattern.compile("^(FAILED|ERRORED) +\\S.*");
    static final String PROGRESS = "progress: ";
    /** What follows {@code sonde: } in the CLI's notes that say a run went wrong or stopped. */
    private static final Pattern TROUBLE_NOTE =
            Pattern.compile("^sonde: (warning|run stopped|interrupted|could not|cannot|internal error|emulator could not)\\b.*");

    private String report;
    private String summary;
    private final List<String> failures = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> baselines = new ArrayList<>();

    synchronized void out(String line) {
        if (line.startsWith("report: ")) {
            report = line.substring("report: ".length()).strip();
        } else if (line.startsWith("baseline written: ")) {
            baselines.add(line.substring("baseline written: ".length()).strip());
        } else if (HEADLINE.matcher(line).matches()) {
            summary = line.strip();
        } else if (FAILED_GATE.matcher(line).matches()) {
            failures.add(line.strip());
        }
    }

    synchronized void err(String line) {
        if (FAILED_TRIAL.matcher(line).matches()) {
            failures.add(line.strip());
        } else if (!line.startsWith(PROGRESS) && !line.isBlank()) {
            if (problems.size() == MAX_PROBLEMS) {
                problems.remove(0);
            }
            problems.add(line.strip());
        }
    }

    /**
     * Whether a line of the fork's stderr is a warning in the build's log: a failed or errored
     * trial, a note that the run went wrong or stopped ({@code sonde: run stopped: …},
     * {@code sonde: interrupted (SIGTERM): …}, {@code sonde: warning: …}, {@code sonde: could not
     * write …}), or anything not from the CLI's console (the JVM's own errors, partial results).
     * Progress and the CLI's other {@code sonde: } notes ({@code sonde: emulator on …}) are info, so
     * a passing build has no warnings.
     */
    static boolean isWarning(String stderrLine) {
        if (stderrLine.startsWith(PROGRESS)) {
            return false;
        }
        return !stderrLine.startsWith("sonde: ") || TROUBLE_NOTE.matcher(stderrLine).matches();
    }

    synchronized SuiteRun result(SuiteFile suite, Path runFolder, int exit) {
        return new SuiteRun(suite.name(), suite.file(), exit, runFolder, report, summary, failures, problems, baselines);
    }
}
