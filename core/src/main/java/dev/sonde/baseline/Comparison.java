package dev.sonde.baseline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.analysis.Aggregates;
import dev.sonde.metrics.CostByKind;
import dev.sonde.metrics.TokensByKind;
import java.util.List;

/**
 * A run compared with its baseline, as {@code results.json} carries it under {@code comparison}
 * (snake_case). When {@link #status()} is not {@link Status#COMPARED} only {@code status},
 * {@code baseline_file}, {@code message}, {@code aggregates} and {@code verdict} are set: a suite
 * without a {@code baseline:} section or without a baseline file yet passes with a note saying
 * so; an unreadable baseline file fails.
 *
 * <p>Ratios are run / baseline; every CI of a ratio is a percentile bootstrap
 * ({@value dev.sonde.stats.Significance#BOOTSTRAP_REPLICATES} replicates, fixed seed) over the case ×
 * model pairs in both (docs/STATISTICS.md). A case is the pair case × model: {@code pass} when every
 * repeat passed, {@code fail} when none did, {@code flaky} otherwise. A run of part of its suite (a
 * shard) is compared with its own pairs of the baseline only.
 *
 * @param aggregates the run's aggregates (run, per model, per case × model), whatever the status;
 *     not serialised here ({@code results.json} has them at the top level)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Comparison(
        Status status,
        String baselineFile,
        String message,
        BaselineFile.Source baseline,
        CaseChanges cases,
        PassRate passRate,
        List<LatencyChange> latency,
        CostChange cost,
        TokenChange tokens,
        CacheChange cacheHitRatio,
        Repeats repeats,
        @JsonIgnore Aggregates.Snapshot aggregates,
        Verdict verdict) {

    public enum Status {
        /** Compared with a baseline file; the verdict holds every gate. */
        COMPARED,
        /** The suite names a baseline file that does not exist yet: passes, with how to make one. */
        NO_BASELINE_FILE,
        /** The suite has no {@code baseline:} section. */
        NOT_CONFIGURED,
        /** The baseline file exists but cannot be read: fails (a committed baseline must be valid). */
        BASELINE_UNREADABLE;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean compared() {
        return status == Status.COMPARED;
    }

    /** A case × model whose status changed. {@code reason}: why the run's first failing trial failed. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CaseChange(String caseId, String model, String baseline, String run, String reason) {
        public String name() {
            return caseId + " [" + model + "]";
        }
    }

    /**
     * Per-case flips: {@code newFailures} (pass → fail or flaky), {@code fixed} (fail or flaky →
     * pass), cases only in the run ({@code added}) or only in the baseline ({@code removed}), and
     * trials whose output changed (SHA-256 differs; at most {@value BaselineJudge#MAX_LISTED} named).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CaseChanges(List<CaseChange> newFailures, List<CaseChange> fixed, List<String> added,
            List<String> removed, long compared, long outputsChanged, List<String> changedOutputs,
            List<String> winnersChanged) {}

    /**
     * Pass rate over the case × model pairs present in both: trials passed on each side, and the
     * pairs' statuses (a pair passes when every trial of it passed; a baseline of several runs
     * pools them): {@code newlyFailing} passed in the baseline and not now, {@code newlyPassing} the
     * reverse. {@code pValue}: the one-sided exact McNemar test on those two counts ({@code test} is
     * {@code mcnemar}), small when the run passes fewer cases.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PassRate(long baselinePassed, long baselineTrials, long runPassed, long runTrials,
            double baselineRate, double runRate, Double pValue, long cases, long baselineCasesPassed,
            long runCasesPassed, long newlyFailing, long newlyPassing, String test) {}

    /**
     * One metric of one model: sample sizes, p50 and p95 on both sides with the 95 % bootstrap CI of
     * their ratios. Paired ({@code pairs} set): over the cases measured on both sides, resampled as
     * pairs (and the baseline's runs, {@code baselineRuns} of them); {@code pValue} null. Unpaired
     * (a baseline without per-trial timings; {@code pairs} null): each model's samples resampled
     * independently, and {@code pValue} the one-sided Mann-Whitney p that the run is slower.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LatencyChange(String model, String metric, long baselineCount, long runCount,
            Double baselineP50, Double runP50, Double p50Ratio, Double p50CiLow, Double p50CiHigh,
            Double baselineP95, Double runP95, Double p95Ratio, Double p95CiLow, Double p95CiHigh, Double pValue,
            Integer pairs, Integer baselineRuns) {}

    /**
     * Cost of priced trials over the pairs priced on both sides: totals (the baseline's of one run,
     * its mean over runs), the mean of the per-case mean costs on each side and their ratio, with
     * its bootstrap CI at {@code ciLevel} (the cost gate's: cases resampled as pairs), the run's
     * split by kind.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CostChange(double baselineTotalUsd, double runTotalUsd, long baselinePricedTrials,
            long runPricedTrials, Double baselinePerTrialUsd, Double runPerTrialUsd, Double perTrialRatio,
            Double ciLow, Double ciHigh, CostByKind runByKind, int pairs, double ciLevel) {}

    /** Tokens by kind of the paired trials on both sides, and the ratio of output tokens per trial. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TokenChange(TokensByKind baseline, TokensByKind run, long baselineTrials, long runTrials,
            Double outputPerTrialRatio) {}

    /** cache_read / (input + cache_write + cache_read) on both sides. */
    public record CacheChange(double baseline, double run) {}

    /**
     * With repeats: per case × model pass rate and pass^k (the chance that all {@code k} repeats
     * pass, estimated as C(c, k) / C(n, k)), the mean pass^k over cases, and the flaky cases.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Repeats(int k, double meanPassHatK, List<CaseRepeat> cases, List<String> flaky,
            List<String> baselineFlaky) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CaseRepeat(String caseId, String model, long passes, long trials, double passRate,
            double passHatK, Double baselinePassRate) {}
}
