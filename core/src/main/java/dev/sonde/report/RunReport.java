package dev.sonde.report;

import dev.sonde.analysis.Aggregates;
import dev.sonde.analysis.RunVerdict;
import dev.sonde.baseline.Comparison;
import dev.sonde.migration.ModelComparison;
import dev.sonde.run.RunResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a report format shows of one run, built once from its {@code RunAnalysis} after the
 * pass: the run, the analysis' readings, the aggregates (null when they could not be computed),
 * the baseline and model comparisons (null when absent), the run's verdict and — for
 * {@code results.json}, written last — the files the other formats wrote.
 *
 * @param written format key ({@code json, junit, markdown, html, csv, journal}) → file name, relative
 *     to the run folder when inside it
 */
record RunReport(RunResult run, Readings readings, Aggregates.Snapshot aggregates, Comparison comparison,
        ModelComparison models, RunVerdict verdict, Map<String, String> written) {

    /** This report with the files written so far, for {@code results.json}. */
    RunReport withWritten(Map<String, String> files) {
        return new RunReport(run, readings, aggregates, comparison, models, verdict,
                Collections.unmodifiableMap(new LinkedHashMap<>(files))); // in the order results.json lists them
    }
}
