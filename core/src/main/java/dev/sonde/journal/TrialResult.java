package dev.sonde.journal;


import dev.sonde.suite.SequencePlan;
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
 * checks, attempts, started_at, skipped, attempt_log, queue_ms, backoff_ms, ratelimit_wait_ms, replayed, untimed,
 * turns, grader_usage, grader_cost_usd, variant, sequence_index, warmup, load, emulator_filler,
 * server_first_byte_ms, server_latency_ms}; {@code untimed} and the last nine only when set (the server's
 * two timings are journaled beside {@code timings}). Build one with {@link #builder}.
 * Queue, rate-limit and backoff waits are recorded apart and never part of {@code timings}.
 *
 * @param model the model's label in the suite ({@code models[].id})
 * @param modelId the API model id sent ({@code models[].model})
 * @param pass true when the exchange succeeded and the checks that apply passed (at least one applied)
 * @param error null unless the exchange failed
 * @param usage the {@code usage} object as the API returned it (merged over the stream)
 * @param costUsd summed over every attempt that returned usage; null when the model is unpriced (then
 *     {@code unpriced} is true) — never a silent 0
 * @param toolCalls the {@code tool_use} blocks, each {@code {id, name, input}}
 * @param skipped why the trial was not sent (budget, deadline, run stopped), or null
 * @param attemptLog every HTTP attempt in order (the timings are those of the last)
 * @param replayed answered from the response cache ({@code --cache}): checked like any trial, but
 *     its latency, tokens and cost are not new measurements and count in no statistic or gate
 * @param untimed why a trial that was answered has no timings, by design (sent through Message
 *     Batches, replayed from the response cache), or null for a trial that was timed or never sent:
 *     checks needing a timing were not applicable to it, and its model's latency gates skip saying so
 * @param turns one {@link TurnRecord} per request of a tool-loop trial, in order (empty for a
 *     one-request trial); the trial's usage and cost are their sums, its timings are taken over the turns
 *     (the first turn's TTFT, e2e summed: METRICS.md "Per trial")
 * @param graderUsage what grader models ({@code llm-rubric}) used to check this trial, or null when
 *     none was asked; never part of {@code usage}
 * @param graderCostUsd what those grader calls cost, never part of {@code cost_usd} (it counts toward
 *     the budget); the priced calls' part, null when none was made or none was priced
 * @param variant the cache variant ({@code variants[].id}) of a sequence trial, null for any other
 * @param sequenceIndex a sequence trial's index in its sequence (0 first; -1 the warm-up), else null
 * @param warmup true for a sequence's warm-up request, null for trials outside a sequence
 * @param load a latency benchmark's request: its step and its place in the step's schedule; null
 *     for every other trial
 * @param emulatorFiller true when the emulator said no rule matched the request (of a tool loop:
 *     some turn's request; each turn says which), so the answer is generated filler; read from the
 *     response header {@code sonde-emulator-filler}, believed only from a loopback endpoint
 *     ({@code ServerHints}); null otherwise
 * @param serverFirstByteMs the server's own first-byte latency (Amazon Bedrock's
 *     {@code amazon-bedrock-invocationMetrics.firstByteLatency}), beside the client's TTFT: the gap is
 *     the network and the platform's front end; null when the server said none (never a 0 for unknown)
 * @param serverLatencyMs the server's own latency of the whole call ({@code invocationLatency}, or the
 *     {@code x-amzn-bedrock-invocation-latency} header of a complete answer); null when none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"trial_id", "case", "model", "model_id", "repeat", "pass", "error", "request_id", "stop_reason",
    "output_text", "tool_calls", "timings", "usage", "cost_usd", "unpriced", "cache_savings_usd", "checks", "attempts",
    "started_at", "skipped", "attempt_log", "queue_ms", "backoff_ms", "ratelimit_wait_ms", "replayed", "untimed",
    "turns", "grader_usage", "grader_cost_usd", "variant", "sequence_index", "warmup", "load", "emulator_filler",
    "server_first_byte_ms", "server_latency_ms"})
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
        @JsonInclude(JsonInclude.Include.NON_NULL) String untimed,
        List<TurnRecord> turns,
        @JsonInclude(JsonInclude.Include.NON_NULL) GraderUsage graderUsage,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double graderCostUsd,
        @JsonInclude(JsonInclude.Include.NON_NULL) String variant,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer sequenceIndex,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean warmup,
        @JsonInclude(JsonInclude.Include.NON_NULL) LoadRecord load,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean emulatorFiller,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double serverFirstByteMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double serverLatencyMs) {

    /** Copies {@code attemptLog} and {@code turns} unmodifiable; null becomes empty; {@code emulatorFiller} is true or null. */
    public TrialResult {
        attemptLog = attemptLog == null ? List.of() : List.copyOf(attemptLog);
        turns = turns == null ? List.of() : List.copyOf(turns);
        emulatorFiller = Boolean.TRUE.equals(emulatorFiller) ? Boolean.TRUE : null;
        serverFirstByteMs = measured(serverFirstByteMs);
        serverLatencyMs = measured(serverLatencyMs);
    }

    /** A server's timing as journaled: a finite number of at least 0, else null (absent). */
    private static Double measured(Double ms) {
        return ms == null || !Double.isFinite(ms) || ms < 0 ? null : ms;
    }

    /** Whether the emulator said this trial's answer is filler: no rule matched (some turn's, in a tool loop). */
    public boolean filler() {
        return Boolean.TRUE.equals(emulatorFiller);
    }

    /** A builder for the trial {@code trialId}; every other field starts empty (null, 0, false, none). */
    public static Builder builder(String trialId, String caseId, String model, String modelId, int repeat) {
        return new Builder(trialId, caseId, model, modelId, repeat);
    }

    /** A builder holding every field of this trial. */
    public Builder toBuilder() {
        Builder b = new Builder(trialId, caseId, model, modelId, repeat);
        b.pass = pass;
        b.error = error;
        b.requestId = requestId;
        b.stopReason = stopReason;
        b.outputText = outputText;
        b.toolCalls = toolCalls;
        b.timings = timings;
        b.usage = usage;
        b.costUsd = costUsd;
        b.unpriced = unpriced;
        b.cacheSavingsUsd = cacheSavingsUsd;
        b.checks = checks;
        b.attempts = attempts;
        b.startedAt = startedAt;
        b.skipped = skipped;
        b.attemptLog = attemptLog;
        b.queueMs = queueMs;
        b.backoffMs = backoffMs;
        b.ratelimitWaitMs = ratelimitWaitMs;
        b.replayed = replayed;
        b.untimed = untimed;
        b.turns = turns;
        b.graderUsage = graderUsage;
        b.graderCostUsd = graderCostUsd;
        b.variant = variant;
        b.sequenceIndex = sequenceIndex;
        b.warmup = warmup;
        b.load = load;
        b.emulatorFiller = filler();
        b.serverFirstByteMs = serverFirstByteMs;
        b.serverLatencyMs = serverLatencyMs;
        return b;
    }

    /** A trial that was never sent, and why. */
    public static TrialResult skipped(String trialId, String caseId, String model, String modelId, int repeat,
            Instant at, String reason) {
        return builder(trialId, caseId, model, modelId, repeat).startedAt(at).skipped(reason).build();
    }

    /**
     * Where this trial sits in a cache variant's sequence, or null for a trial outside one. Read from
     * the journaled {@code variant}, {@code sequence_index} and {@code warmup}; journals written before
     * those fields existed (before 2026-12) are read from the trial id instead.
     */
    public SequencePlan.Position position() {
        if (variant != null) {
            int index = sequenceIndex == null ? -1 : sequenceIndex;
            return new SequencePlan.Position(caseId, model, variant, index, Boolean.TRUE.equals(warmup));
        }
        return trialId != null && trialId.chars().filter(c -> c == '/').count() == 3
                ? SequencePlan.Position.of(trialId) : null;
    }

    /** Builds a {@link TrialResult}; a setter per journaled field. Not thread-safe. */
    public static final class Builder {
        private String trialId;
        private final String caseId;
        private final String model;
        private final String modelId;
        private final int repeat;
        private boolean pass;
        private TrialError error;
        private String requestId;
        private String stopReason;
        private String outputText;
        private List<JsonNode> toolCalls = List.of();
        private TimingsMillis timings;
        private JsonNode usage;
        private Double costUsd;
        private boolean unpriced;
        private Double cacheSavingsUsd;
        private List<CheckResult> checks = List.of();
        private int attempts;
        private Instant startedAt;
        private String skipped;
        private List<AttemptRecord> attemptLog = List.of();
        private double queueMs;
        private double backoffMs;
        private double ratelimitWaitMs;
        private boolean replayed;
        private String untimed;
        private List<TurnRecord> turns = List.of();
        private GraderUsage graderUsage;
        private Double graderCostUsd;
        private String variant;
        private Integer sequenceIndex;
        private Boolean warmup;
        private LoadRecord load;
        private boolean emulatorFiller;
        private Double serverFirstByteMs;
        private Double serverLatencyMs;

        private Builder(String trialId, String caseId, String model, String modelId, int repeat) {
            this.trialId = trialId;
            this.caseId = caseId;
            this.model = model;
            this.modelId = modelId;
            this.repeat = repeat;
        }

        /** Another id for the trial (a merge of load generators tells their requests apart by it). */
        public Builder trialId(String v) { trialId = v; return this; }

        /** True when the exchange succeeded and every check passed (a skipped or errored trial never passes). */
        public Builder pass(boolean v) { pass = v; return this; }
        /** The exchange's failure, or null when it succeeded (then the checks decide {@code pass}). */
        public Builder error(TrialError v) { error = v; return this; }
        /** The final response's {@code request-id} header, what support asks for; null when none came. */
        public Builder requestId(String v) { requestId = v; return this; }
        /** The API's {@code stop_reason} ({@code end_turn}, {@code tool_use}, …), or null when none came. */
        public Builder stopReason(String v) { stopReason = v; return this; }
        /** The response's text blocks joined (a tool loop's turns with a blank line between). */
        public Builder outputText(String v) { outputText = v; return this; }
        /** The {@code tool_use} blocks, each {@code {id, name, input}}; empty unless set. */
        public Builder toolCalls(List<JsonNode> v) { toolCalls = v; return this; }
        /** Latencies in milliseconds; null for a replayed or never-sent trial. */
        public Builder timings(TimingsMillis v) { timings = v; return this; }
        /** The {@code usage} object as returned (a tool loop's summed over turns); kept unknown fields and all. */
        public Builder usage(JsonNode v) { usage = v; return this; }
        /** USD over every attempt that returned usage; null when unpriced (set {@link #unpriced} too), never 0. */
        public Builder costUsd(Double v) { costUsd = v; return this; }
        /** True when the model has no price, so {@code cost_usd} is unknown rather than $0. */
        public Builder unpriced(boolean v) { unpriced = v; return this; }
        /** USD the cache saved against plain input price; negative when writes did not pay back, null if unpriced. */
        public Builder cacheSavingsUsd(Double v) { cacheSavingsUsd = v; return this; }
        /** Every assertion's verdict, in the case's order (defaults first); empty for a failed exchange. */
        public Builder checks(List<CheckResult> v) { checks = v; return this; }
        /** HTTP attempts: 1 plus retries over all of the trial's requests (a tool loop's turns are not retries). */
        public Builder attempts(int v) { attempts = v; return this; }
        /** When the trial started, wall-clock (a batch trial: its batch's submission; a skipped one: when skipped). */
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        /** Why the trial was never sent (budget, deadline, run stopped), or null for a sent trial. */
        public Builder skipped(String v) { skipped = v; return this; }
        /** Every HTTP attempt in order, over all of a tool loop's turns; null becomes empty. */
        public Builder attemptLog(List<AttemptRecord> v) { attemptLog = v; return this; }
        /** Milliseconds the trial waited for a concurrency slot; never part of {@code timings}. */
        public Builder queueMs(double v) { queueMs = v; return this; }
        /** Milliseconds slept between retries, summed; never part of {@code timings}. */
        public Builder backoffMs(double v) { backoffMs = v; return this; }
        /** Milliseconds held by the client-side rate limits, summed; never part of {@code timings}. */
        public Builder ratelimitWaitMs(double v) { ratelimitWaitMs = v; return this; }
        /** True when answered from the response cache ({@code --cache}): counted in no statistic or gate. */
        public Builder replayed(boolean v) { replayed = v; return this; }
        /** Why an answered trial has no timings by design (batch, response cache), or null when it was timed. */
        public Builder untimed(String v) { untimed = v; return this; }
        /** One record per request of a tool loop, in order; empty (or null) for a one-request trial. */
        public Builder turns(List<TurnRecord> v) { turns = v; return this; }
        /** Tokens grader models spent checking this trial, or null when no grader was asked. */
        public Builder graderUsage(GraderUsage v) { graderUsage = v; return this; }
        /** USD of the priced grader calls (never part of {@code cost_usd}), or null when none was priced. */
        public Builder graderCostUsd(Double v) { graderCostUsd = v; return this; }
        /** A benchmark request's place in its step's schedule, or null for any other trial. */
        public Builder load(LoadRecord v) { load = v; return this; }
        /** True when the emulator said no rule matched the request (a tool loop: some turn's), so the answer is filler. */
        public Builder emulatorFiller(boolean v) { emulatorFiller = v; return this; }
        /**
         * The server's own first-byte and whole-call latencies in ms (Bedrock's invocation metrics);
         * NaN, negative or null: absent, and not journaled.
         */
        public Builder serverTimings(Double firstByteMs, Double latencyMs) {
            serverFirstByteMs = firstByteMs;
            serverLatencyMs = latencyMs;
            return this;
        }

        /** Places the trial in a cache variant's sequence: its index there, -1 for the warm-up. */
        public Builder sequence(String variant, int index) {
            this.variant = variant;
            this.sequenceIndex = variant == null ? null : index;
            this.warmup = variant == null ? null : index < 0;
            return this;
        }

        /** The trial as set so far; {@code attemptLog} and {@code turns} are copied, other lists kept as given. */
        public TrialResult build() {
            return new TrialResult(trialId, caseId, model, modelId, repeat, pass, error, requestId, stopReason, outputText,
                    toolCalls, timings, usage, costUsd, unpriced, cacheSavingsUsd, checks, attempts, startedAt, skipped,
                    attemptLog, queueMs, backoffMs, ratelimitWaitMs, replayed, untimed, turns, graderUsage, graderCostUsd,
                    variant, sequenceIndex, warmup, load, emulatorFiller ? Boolean.TRUE : null, serverFirstByteMs,
                    serverLatencyMs);
        }
    }

    /**
     * "failed" means checks failed on a good exchange; "errored" means the exchange itself failed;
     * "skipped" means it was never sent; "not_evaluated" means it was answered but none of its checks
     * applied ({@link #notEvaluated()}).
     */
    public String status() {
        return pass ? "passed" : skipped != null ? "skipped" : error != null ? "errored"
                : notEvaluated() ? "not_evaluated" : "failed";
    }

    /**
     * True when the trial was answered and has checks, and none of them applied (each is journaled
     * {@code applicable: false}: a latency bound on an answer from Message Batches, say): there is
     * no verdict, so it is neither a pass nor a fail, and every count keeps it apart. Read from the
     * journaled checks, so a journal written before the state existed has no such trial.
     */
    public boolean notEvaluated() {
        if (pass || skipped != null || error != null || checks == null || checks.isEmpty()) {
            return false;
        }
        for (CheckResult c : checks) {
            if (c.applicable()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A display name: {@code case [model]}, plus {@code #repeat} when repeated; for a cache variant's
     * trial {@code case [model] variant #n} or {@code case [model] variant warm-up}.
     */
    public String displayName() {
        SequencePlan.Position at = position();
        if (at != null) {
            return caseId + " [" + model + "] " + at.variant() + (at.warmup() ? " warm-up" : " #" + (at.index() + 1));
        }
        return caseId + " [" + model + "]" + (repeat > 0 ? " #" + (repeat + 1) : "");
    }
}
