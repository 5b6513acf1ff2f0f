package dev.sonde.history;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * One row a run adds to a history store, as a {@link RunSpool} holds it (one JSON line, its table
 * in {@code "row"}). A spool's first row is the {@link Run}; every row after it belongs to that run,
 * so the child rows do not repeat its id. Times are milliseconds, costs USD; a figure the run did
 * not have is null, never 0.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "row")
@JsonSubTypes({
    @JsonSubTypes.Type(value = HistoryRow.Run.class, name = "run"),
    @JsonSubTypes.Type(value = HistoryRow.Model.class, name = "model"),
    @JsonSubTypes.Type(value = HistoryRow.Stat.class, name = "stat"),
    @JsonSubTypes.Type(value = HistoryRow.Gate.class, name = "gate"),
    @JsonSubTypes.Type(value = HistoryRow.Trial.class, name = "trial"),
    @JsonSubTypes.Type(value = HistoryRow.Check.class, name = "check"),
    @JsonSubTypes.Type(value = HistoryRow.Output.class, name = "output")})
public sealed interface HistoryRow {

    /**
     * The run ({@code run.json}, finished as {@code results.json} records it).
     *
     * @param gitCommit the commit without {@code +dirty}; {@code dirty} says whether it had local changes
     * @param verdict {@code results.json}'s verdict of the run alone; {@code baselineVerdict} null when not compared
     * @param stoppedBy why the run stopped before its plan ended ({@code results.json}'s {@code stopped_by}:
     *     budget, deadline, a rejected key, a signal…), null when it ran its whole plan
     * @param runDir the folder imported, absolute
     * @param part true for a run of a selection of the plan ({@code run.json}'s {@code part}: {@code --only},
     *     a test engine's filter), which trends leave out like a shard; null otherwise and in older spools
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Run(String runId, String suite, String suiteFile, Instant startedAt, Instant finishedAt, double wallMs,
            String endpoint, boolean live, String gitCommit, boolean dirty, String sondeVersion, String javaVersion,
            String pricingVersion, String planHash, String timingOrigin, Integer shardK, Integer shardN,
            Boolean mergedPartial, Integer repeat, int trialsPlanned, String verdict, String baselineVerdict,
            String stoppedBy, String runDir, Boolean part) implements HistoryRow {}

    /** A model the run called: its label in the suite, API id, provider and region (null on the first-party API). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Model(String label, String modelId, String provider, String region) implements HistoryRow {}

    /**
     * The figures of {@code results.json}'s {@code aggregates} for one scope, copied, so trends show
     * the report's numbers (its percentiles leave out replayed, untimed and warm-up trials).
     *
     * @param scope {@code run}, {@code model} or {@code case}; {@code model} null for the run,
     *     {@code caseId} null unless {@code case}
     * @param costPerTrialUsd the mean cost of a trial
     * @param cacheWriteTokens 5-minute and 1-hour cache writes together
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Stat(String scope, String model, String caseId, long trials, long passed, long failed, long errored,
            long notEvaluated, double passRate, Double ttftP50Ms, Double ttftP95Ms, Double ttftP99Ms, Double e2eP50Ms,
            Double e2eP95Ms, Double e2eP99Ms, double costUsd, Double costPerTrialUsd, long inputTokens,
            long outputTokens, long cacheReadTokens, long cacheWriteTokens, double cacheHitRatio, long unpricedTrials,
            long untimedTrials) implements HistoryRow {}

    /**
     * A baseline gate of the run ({@code results.json}'s {@code comparison.verdict.gates}).
     *
     * @param subject {@code run} or a model label
     * @param outcome {@code pass}, {@code fail} or {@code skip}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Gate(String name, String subject, String outcome, Double value, Double limitValue, String observed,
            String threshold, String reason) implements HistoryRow {}

    /**
     * One trial of {@code trials.jsonl}. Its output is in an {@link Output} row of its own, so
     * outputs can be pruned without losing the trial; {@code outputSha256} still tells two runs'
     * outputs apart.
     *
     * @param skipped why it was never sent, null when it was; {@code untimed} why it has no timings
     * @param cacheWriteTokens {@code cache_creation_input_tokens}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Trial(String trialId, String caseId, String model, String modelId, int repeat, boolean pass,
            String errorClass, String skipped, boolean replayed, String untimed, boolean warmup, String variant,
            Double ttftMs, Double ttfbMs, Double e2eMs, Double costUsd, boolean unpriced, Long inputTokens,
            Long outputTokens, Long cacheReadTokens, Long cacheWriteTokens, int attempts, Instant startedAt,
            String stopReason, String outputSha256) implements HistoryRow {}

    /** One check of a trial, in the order it ran ({@code idx} from 0). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Check(String trialId, int idx, String type, boolean pass, String reason) implements HistoryRow {}

    /** A trial's output as journaled (masked when the run wrote it); {@code toolCallsJson} null when it made none. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Output(String trialId, String outputText, String toolCallsJson) implements HistoryRow {}
}
