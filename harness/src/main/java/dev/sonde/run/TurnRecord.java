package dev.sonde.run;

import static dev.sonde.metrics.TimingsMillis.orNull;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.api.Exchange;
import dev.sonde.metrics.Cost;
import dev.sonde.metrics.Timings;
import java.util.List;
import java.util.Optional;

/**
 * One request of a multi-request trial (a tool loop), as journaled in the trial's {@code turns}:
 * {@code turn} (1-based request index), {@code attempts} (HTTP attempts of this request),
 * {@code ttft_ms}, {@code ttft_any_ms}, {@code e2e_ms} (of its last attempt, from the injected
 * clock, METRICS.md definitions; null when the event never happened), {@code usage} (as returned),
 * {@code cost_usd} (every attempt of this request priced; null when the model is unpriced),
 * {@code stop_reason}, {@code tool_calls} ({@code {id, name, input}} the model asked for in this
 * request) and {@code error} (the error class, null when it succeeded). The trial's usage and cost
 * are the sums of its turns'.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"turn", "attempts", "ttft_ms", "ttft_any_ms", "e2e_ms", "usage", "cost_usd", "stop_reason",
    "tool_calls", "error"})
public record TurnRecord(int turn, int attempts, Double ttftMs, Double ttftAnyMs, Double e2eMs, JsonNode usage,
        Double costUsd, String stopReason, List<JsonNode> toolCalls, String error) {

    public TurnRecord {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /**
     * @param turn 1-based index of the request in the trial
     * @param cost every attempt of this request priced and summed; empty when the model is unpriced
     */
    static TurnRecord of(int turn, Retrier.Outcome outcome, Optional<Cost> cost) {
        Exchange ex = outcome.last();
        Timings t = ex.timings();
        return new TurnRecord(turn, Math.max(1, outcome.attempts().size()), orNull(t.ttftNanos()),
                orNull(t.ttftAnyNanos()), orNull(t.e2eNanos()), ex.usage().raw(),
                cost.map(Cost::totalUsd).orElse(null),
                ex.stopReason(), ToolCalls.of(ex), ex.failure() == null ? null : ex.failure().errorClass().wireName());
    }
}
