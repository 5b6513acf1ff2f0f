package dev.sonde.report;

import dev.sonde.analysis.CacheVariantReport;
import dev.sonde.analysis.RunVerdict;
import dev.sonde.baseline.Baselines;
import dev.sonde.analysis.FillerCount;
import dev.sonde.analysis.GraderTotals;
import dev.sonde.analysis.TurnSummary;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.baseline.Comparison;
import dev.sonde.migration.ModelComparison;
import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.analysis.Aggregates;
import dev.sonde.analysis.RunSummary;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code results.json}: the machine-readable result of a run, for scripts. Pretty-printed UTF-8
 * JSON, snake_case keys, ISO-8601 instants, every key always present (absent values are
 * {@code null}, never omitted). Shape, version 1:
 *
 * <pre>{@code
 * {
 *   "format_version": 1,
 *   "run":     { RunInfo: suite, suite_file, run_id, endpoint, live, started_at, finished_at,
 *                wall_ms, trials_planned, concurrency, models: [{id, model}], pricing_version,
 *                sonde_version, java_version, plan_hash, shard: {k, n} | null,
 *                merged: {n, shards, missing, unrecorded, partial} (merges only) },
 *   "summary": { "total": Stats, "models": { "<model label>": Stats, ... } },
 *   "aggregates": { "run": Aggregate, "models": { label: Aggregate }, "cases": { case: { label: Aggregate } } },
 *   "verdict": "pass" | "compared" | "fail" | "partial",
 *   "baseline_verdict": "pass" | "fail" | null,
 *   "comparison": Comparison | null,
 *   "outputs": { "json": "results.json", "junit": "junit.xml", "markdown": "summary.md",
 *                "html": "report.html", "csv": "results.csv", "journal": "trials.jsonl" },
 *   "turns": TurnSummary | null,
 *   "model_comparison": ModelComparison | null,
 *   "cache_variants": CacheVariantReport | null,
 *   "grader": { calls, input_tokens, output_tokens, cache_creation_input_tokens,
 *               cache_read_input_tokens, unpriced_calls, cost_usd } | null
 * }
 * }</pre>
 *
 * <p>{@code Stats} is {@link RunSummary.Stats} (trials, passed, failed, errored, not_evaluated,
 * errors_by_class, ttft_ms/ttfb_ms/e2e_ms/itl_ms/tpot_ms as {@code {count, mean, ci95, p50, p90, p95,
 * p99, max}}, token sums, cache_hit_ratio, cost_usd, cache_savings_usd, unpriced_trials,
 * untimed_trials, untimed_reason): {@code not_evaluated} counts the trials none of whose checks applied,
 * which are in {@code trials} but in neither {@code passed} nor {@code failed}; {@code untimed_trials}
 * those answered without timings by design (Message Batches, the response cache) and
 * {@code untimed_reason} why (null when none). {@code verdict} is
 * this run alone: {@code pass} when at least one trial was evaluated and every one evaluated passed,
 * {@code compared} for a compare suite whose failed checks are its measurements, {@code partial}
 * for a {@code sonde merge --allow-partial} that lacks shards ({@code run.merged} says which)
 * ({@link dev.sonde.analysis.RunVerdict}). {@code run.shard} is the share of the plan a
 * {@code --shard k/n} run sent, null for a run of the whole plan.
 * {@code aggregates} is {@link Aggregates.Snapshot} (per run, model and case × model: percentiles
 * of ttft/ttfb/e2e/itl ms and output tokens/s, cost per trial, tokens and cost by kind, cache hit
 * ratio). {@code comparison} is the run against its baseline ({@link Comparison}: status, case
 * flips, pass rate with McNemar's p, latency ratios with paired bootstrap CIs, cost,
 * tokens, cache, repeats, and the {@code verdict} with every gate); {@code baseline_verdict} is
 * that verdict in one word, null when nothing was compared.
 * {@code turns} is {@link TurnSummary} (tool-loop trials by turn index: trials reaching it, mean
 * TTFT and E2E, prompt and output tokens and cost summed), null when no trial had several turns;
 * each trial's own turns are in {@code trials.jsonl}.
 * {@code model_comparison} is the suite's {@code compare:} section evaluated ({@link ModelComparison}:
 * per candidate the case agreement, the paired trials with byte-identical answers ({@code same_output}),
 * pass-rate difference with Newcombe's CI and McNemar's p, cost
 * and monthly projection, latency percentiles, tokens and the recommendation), null without one.
 * {@code cache_variants} is the per-variant cache analysis of a suite with {@code variants:}
 * ({@link dev.sonde.analysis.CacheVariantReport}: tokens by kind, hit ratio, cost, savings, TTFT
 * p50/p95, rank and explanation), null otherwise. {@code outputs} lists the files written beside this one, relative to its folder (absolute when
 * elsewhere); a report that failed to write is left out. {@code grader} sums what {@code llm-rubric}
 * grader calls spent over the run ({@link GraderTotals.Snapshot}; never part of the summary's costs;
 * {@code cost_usd} covers the priced calls, null when none was), null when no grader was asked.
 * {@code emulator_filler} is {@code {filler, answers, grader_filler}} ({@link FillerCount.Snapshot}):
 * how many of the answered trials, and how many grader answers, the emulator answered with generated
 * filler because no rule matched, null when none was. Keys are only ever added within a
 * {@code format_version}; a rename or removal bumps it.
 */
final class JsonResults implements ReportFormat {
    static final String FILE = "results.json";
    static final int FORMAT_VERSION = 1;

    private static final ObjectWriter WRITER = Journal.JSON.writer(new JsonLayout());

    JsonResults() {}

    @Override
    public String file() {
        return FILE;
    }

    /** Written last: {@code r.written()} lists the files the other formats wrote. */
    @Override
    public Path write(RunReport r, Path file) throws IOException {
        return write(r.run(), r.aggregates(), r.comparison(), r.models(), file, r.written(), r.readings());
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"format_version", "run", "summary", "aggregates", "verdict", "baseline_verdict", "comparison",
        "skipped_trials", "stopped_by", "load_control", "outputs", "turns", "model_comparison", "cache_variants",
        "grader", "emulator_filler"})
    record Document(int formatVersion, RunInfo run, RunSummary.Snapshot summary, Aggregates.Snapshot aggregates,
            String verdict, String baselineVerdict, Comparison comparison, int skippedTrials, String stoppedBy,
            RunResult.LoadControl loadControl, Map<String, String> outputs, TurnSummary turns,
            ModelComparison modelComparison, CacheVariantReport cacheVariants,
            GraderTotals.Snapshot grader, FillerCount.Snapshot emulatorFiller) {}

    /** results.json without aggregates or comparison (both null). */
    static Path write(RunResult run, Path file, Map<String, String> outputs) throws IOException {
        return write(run, null, null, file, outputs);
    }

    /**
     * @param aggregates null when they could not be computed
     * @param comparison null when the caller compared nothing
     * @param outputs format key ({@code json, junit, markdown, html, journal}) → file name */
    static Path write(RunResult run, Aggregates.Snapshot aggregates, Comparison comparison, Path file,
            Map<String, String> outputs) throws IOException {
        return write(run, aggregates, comparison, null, file, outputs, Readings.of(run, false, Baselines.defaultPricing()));
    }

    /** @param models the suite's {@code compare:} evaluated ({@code model_comparison}), or null */
    static Path write(RunResult run, Aggregates.Snapshot aggregates, Comparison comparison, ModelComparison models,
            Path file, Map<String, String> outputs, Readings readings) throws IOException {
        String baselineVerdict = comparison == null || !comparison.compared() && comparison.verdict().passed() ? null
                : comparison.verdict().passed() ? "pass" : "fail";
        Document doc = new Document(FORMAT_VERSION, run.info(), readings.summary, aggregates,
                RunVerdict.of(readings.summary, run, models != null).wire(),
                baselineVerdict, comparison, run.skippedTrials(), run.stoppedBy(), run.loadControl(), outputs,
                readings.turns(), models, readings.cacheVariants().orElse(null), readings.grader.snapshot(),
                readings.filler.snapshot());
        return AtomicFile.write(file, out -> WRITER.writeValue(out, doc));
    }
}
