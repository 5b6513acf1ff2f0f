package dev.sonde.report;

import dev.sonde.analysis.TrialFold;
import java.nio.file.Path;

/**
 * One output format of a run ({@code report.html}, {@code results.json}, {@code junit.xml},
 * {@code summary.md}, {@code results.csv}): written from the run's {@link RunReport}, all-or-nothing
 * (a temporary file moved into place). A format that writes as the journal is read (the CSV rows,
 * the JUnit test cases) gives the pass its {@link #sink()}; the others write from the report alone.
 * One instance serves one run.
 */
interface ReportFormat {
    /** The file it writes in the run folder. */
    String file();

    /** What it must see of each trial during the pass over the journal, or null when nothing. */
    default TrialFold sink() {
        return null;
    }

    /** Writes {@code file} from {@code report}; throws when it cannot (the other formats go on). */
    Path write(RunReport report, Path file) throws Exception;

    /** Drops anything half-written: the pass failed, or the format was not written. */
    default void abort() {}
}
