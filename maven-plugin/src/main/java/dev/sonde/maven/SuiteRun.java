package dev.sonde.maven;

import java.nio.file.Path;
import java.util.List;

/**
 * How one forked {@code sonde run} ended, as the CLI said it: what the last-run file holds per suite
 * and what {@code sonde:verify} judges.
 *
 * @param name the suite's name ({@link SuiteFile#name()})
 * @param file the suite file
 * @param exit the CLI's exit code
 * @param runFolder the {@code --out} folder the run was given
 * @param report the path of its {@code report: …} line, or null when it printed none
 * @param summary its headline ({@code PASS  name: 3/3 passed, …}), or null
 * @param failures each failed or errored trial and each failed baseline gate, as printed
 * @param problems what else it printed on stderr (for exit 2 and 3: why), progress left out
 * @param baselines each {@code baseline written: …} path
 */
record SuiteRun(String name, Path file, int exit, Path runFolder, String report, String summary, List<String> failures,
        List<String> problems, List<String> baselines) {

    SuiteRun {
        failures = List.copyOf(failures);
        problems = List.copyOf(problems);
        baselines = List.copyOf(baselines);
    }

    RunExit outcome() {
        return RunExit.of(exit, summary != null || report != null);
    }
}
