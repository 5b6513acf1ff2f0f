package dev.sonde.run;

import static dev.sonde.metrics.TimingsMillis.nanosOrAbsent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.check.CheckResult;
import dev.sonde.check.GraderUsage;
import dev.sonde.metrics.TimingsMillis;
import java.time.Instant;
import java.util.List;

/**
 * One finished trial, exactly as it is journaled (one JSON object per line of
 * {@code trials.jsonl}) and read back by reporters and {@code --resume}. Field names are the file
 * contract (snake_case): {@code trial_id, case, model, model_id, repeat, pass, error, request_id,
 * stop_reason, output_text, tool_calls, timings, usage, cost_usd, unpriced, cache_savings_usd,
 * checks, attempts, started_at, skipped, attempt_log, queue_ms, backoff_ms, ratelimit_wait_ms, replayed, turns,
 * grader_usage, grader_cost_usd}.
 * Queue, rate-limit and backoff waits are recorded apart and never part of {@code timings}.
 *
 * @param model the model's label in the suite ({@code models[].id})
 * @param modelId the API model id sent ({@code models[].model})
 * @param pass true when the exchange succeeded and every check passed
 * @param error null unless the exchange failed
 * @param usage the {@code usage} object as the API returned it (merged over the stream)
 * @param costUsd null when the model is unpriced (then {@code unpriced} is true) — never a silent 0
 * @param toolCalls the {@code tool_use} blocks, each {@code {id, name, input}}
 * @param costUsd summed over every attempt that returned usage
 * @param skipped why the trial was not sent (budget, deadline, run stopped), or null
 * @param attemptLog every HTTP attempt in order (the timings are those of the last)
 * @param replayed answered from the response cache ({@code --cache}): checked like any trial, but
 *     its latency, tokens and cost are not new measurements and count in no statistic or gate
 * @param turns one {@link TurnRecord} per request of a tool-loop trial, in order (empty for a
 *     one-request trial); the trial's usage and cost are their sums, its timings the last turn's
 * @param graderUsage what grader models ({@code llm-rubric}) used to check this trial, or null when
 *     none was asked; never part of {@code usage}
 * @param graderCostUsd what those grader calls cost, never part of {@code cost_usd} (it counts toward
 *     the budget); the priced calls' part, null when none was made or none was priced
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"trial_id", "case", "model", "model_id", "repeat", "pass", "error", "request_id", "stop_reason",
    "output_text", "tool_calls", "timings", "usage", "cost_usd", "unpriced", "cache_savings_usd", "checks", "attempts",
    "started_at", "skipped", "attempt_log", "queue_ms", "backoff_ms", "ratelimit_wait_ms", "replayed", "turns",
    "grader_usage", "grader_cost_usd"})
public record TrialResult(
        String trialId,
        @JsonProperty("case") String caseId,
        String model,
        String modelId,
        int repeat,
        boolean pass,
        TrialError error,
        String requestId,
        String stopReason,
        String outputText,
        List<JsonNode> toolCalls,
        TimingsMillis timings,
        JsonNode usage,
        Double costUsd,
        boolean unpriced,
        Double cacheSavingsUsd,
        List<CheckResult> checks,
        int attempts,
        Instant startedAt,
        String skipped,
        List<AttemptRecord> attemptLog,
        double queueMs,
        double backoffMs,
        double ratelimitWaitMs,
        boolean replayed,
        List<TurnRecord> turns,
        @JsonInclude(JsonInclude.Include.NON_NULL) GraderUsage graderUsage,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double graderCostUsd) {

    public TrialResult {
        attemptLog = attemptLog == null ? List.of() : List.copyOf(attemptLog);
        turns = turns == null ? List.of() : List.copyOf(turns);
    }

    /** A trial of one request (no {@code turns}) whose checks asked no grader. */
    public TrialResult(String trialId, String caseId, String model, String modelId, int repeat, boolean pass,
            TrialError error, String requestId, String stopReason, String outputText, List<JsonNode> toolCalls,
            TimingsMillis timings, JsonNode usage, Double costUsd, boolean unpriced, Double cacheSavingsUsd,
            List<CheckResult> checks, int attempts, Instant startedAt, String skipped, List<AttemptRecord> attemptLog,
            double queueMs, double backoffMs, double ratelimitWaitMs, boolean replayed) {
        this(trialId, caseId, model, modelId, repeat, pass, error, requestId, stopReason, outputText, toolCalls, timings,
                usage, costUsd, unpriced, cacheSavingsUsd, checks, attempts, startedAt, skipped, attemptLog, queueMs,
                backoffMs, ratelimitWaitMs, replayed, List.of(), null, null);
    }

    /** A trial sent in this run (not replayed from the response cache). */
    public TrialResult(String trialId, String caseId, String model, String modelId, int repeat, boolean pass,
            TrialError error, String requestId, String stopReason, String outputText, List<JsonNode> toolCalls,
            TimingsMillis timings, JsonNode usage, Double costUsd, boolean unpriced, Double cacheSavingsUsd,
            List<CheckResult> checks, int attempts, Instant startedAt, String skipped, List<AttemptRecord> attemptLog,
            double queueMs, double backoffMs, double ratelimitWaitMs) {
        this(trialId, caseId, model, modelId, repeat, pass, error, requestId, stopReason, outputText, toolCalls, timings,
                usage, costUsd, unpriced, cacheSavingsUsd, checks, attempts, startedAt, skipped, attemptLog, queueMs,
                backoffMs, ratelimitWaitMs, false);
    }

    /** A trial with one attempt and no waits (what v1 journals held). */
    public TrialResult(String trialId, String caseId, String model, String modelId, int repeat, boolean pass,
            TrialError error, String requestId, String stopReason, String outputText, List<JsonNode> toolCalls,
            TimingsMillis timings, JsonNode usage, Double costUsd, boolean unpriced, Double cacheSavingsUsd,
            List<CheckResult> checks, int attempts, Instant startedAt) {
        this(trialId, caseId, model, modelId, repeat, pass, error, requestId, stopReason, outputText, toolCalls, timings,
                usage, costUsd, unpriced, cacheSavingsUsd, checks, attempts, startedAt, null, List.of(), 0, 0, 0, false);
    }

    /** A trial that was never sent, and why. */
    public static TrialResult skipped(String trialId, String caseId, String model, String modelId, int repeat,
            Instant at, String reason) {
        return new TrialResult(trialId, caseId, model, modelId, repeat, false, null, null, null, null, List.of(), null,
                null, null, false, null, List.of(), 0, at, reason, List.of(), 0, 0, 0, false);
    }

    /**
     * "failed" means checks failed on a good exchange; "errored" means the exchange itself failed;
     * "skipped" means it was never sent.
     */
    public String status() {
        return pass ? "passed" : skipped != null ? "skipped" : error != null ? "errored" : "failed";
    }

    /**
     * Adds this journaled trial to a summary (resume, merge, re-rendering): timings back to
     * nanoseconds, cost as its journaled total and cache savings (the split by token kind is not
     * journaled). Skipped trials add nothing; replayed ones count as verdicts only.
     */
    public void addTo(dev.sonde.metrics.RunSummary summary) {
        if (skipped != null) {
            return;
        }
        if (replayed) {
            summary.add(model, pass, null, dev.sonde.metrics.Timings.NONE, dev.sonde.metrics.Usage.NONE,
                    java.util.Optional.of(dev.sonde.metrics.Cost.ZERO));
            return;
        }
        dev.sonde.metrics.Timings t = dev.sonde.metrics.Timings.NONE;
        if (timings != null) {
            long[] itl = new long[timings.itlMs() == null ? 0 : timings.itlMs().length];
            for (int i = 0; i < itl.length; i++) {
                itl[i] = Math.round(timings.itlMs()[i] * 1e6);
            }
            t = new dev.sonde.metrics.Timings(nanosOrAbsent(timings.ttfbMs()), nanosOrAbsent(timings.ttftMs()),
                    nanosOrAbsent(timings.ttftAnyMs()), nanosOrAbsent(timings.e2eMs()), itl, timings.deltas(), turns == null || turns.isEmpty()
                            ? dev.sonde.metrics.Timings.ABSENT : ConversationTimings.decodeNanos(turns));
        }
        // The journal keeps the total and the cache savings, not the split by kind: a Cost whose one
        // part is the total and whose "cached tokens at input price" is the savings sums both right.
        summary.add(model, pass, error == null ? null : error.errorClass(), t,
                usage == null ? dev.sonde.metrics.Usage.NONE : dev.sonde.metrics.Usage.fromJson(usage),
                unpriced || costUsd == null ? java.util.Optional.empty()
                        : java.util.Optional.of(new dev.sonde.metrics.Cost(0, 0, 0, costUsd,
                                cacheSavingsUsd == null ? 0 : cacheSavingsUsd)));
    }


    /**
     * A display name: {@code case [model]}, plus {@code #repeat} when repeated; for a cache variant's
     * trial {@code case [model] variant #n} or {@code case [model] variant warm-up}.
     */
    public String displayName() {
        dev.sonde.suite.SequencePlan.Position at = dev.sonde.suite.SequencePlan.Position.of(trialId);
        if (at != null) {
            return caseId + " [" + model + "] " + at.variant() + (at.warmup() ? " warm-up" : " #" + (at.index() + 1));
        }
        return caseId + " [" + model + "]" + (repeat > 0 ? " #" + (repeat + 1) : "");
    }
}
