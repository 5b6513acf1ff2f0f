package dev.sonde.journal;

import static dev.sonde.metrics.TimingsMillis.nanosOrAbsent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.metrics.Timings;
import java.util.List;

/**
 * One request of a multi-request trial (a tool loop), as journaled in the trial's {@code turns}:
 * {@code turn} (1-based request index), {@code attempts} (HTTP attempts of this request),
 * {@code ttft_ms}, {@code ttft_any_ms}, {@code e2e_ms} (of its last attempt, from the injected
 * clock, METRICS.md definitions; null when the event never happened), {@code usage} (as returned),
 * {@code cost_usd} (every attempt of this request priced; null when the model is unpriced),
 * {@code stop_reason}, {@code tool_calls} ({@code {id, name, input}} the model asked for in this
 * request), {@code error} (the error class, null when it succeeded) and {@code emulator_filler}
 * ({@code true} when the emulator said no rule matched this request, so its answer is generated
 * filler; absent otherwise). The trial's usage and cost are the sums of its turns'.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"turn", "attempts", "ttft_ms", "ttft_any_ms", "e2e_ms", "usage", "cost_usd", "stop_reason",
    "tool_calls", "error", "emulator_filler"})
public record TurnRecord(int turn, int attempts, Double ttftMs, Double ttftAnyMs, Double e2eMs, JsonNode usage,
        Double costUsd, String stopReason, List<JsonNode> toolCalls, String error,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean emulatorFiller) {

    /** Copies {@code toolCalls} unmodifiable; null becomes empty; {@code emulatorFiller} is true or null. */
    public TurnRecord {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        emulatorFiller = Boolean.TRUE.equals(emulatorFiller) ? Boolean.TRUE : null;
    }

    /** Whether the emulator said this request's answer is filler (no rule matched). */
    public boolean filler() {
        return Boolean.TRUE.equals(emulatorFiller);
    }

    /**
     * The decode time of a turn or an exchange, in nanoseconds: {@code e2e − ttft}, counted from the
     * first delta of any kind when no text streamed ({@code ttft_any}); ABSENT when either end is.
     */
    public static long decodeNanos(long ttft, long ttftAny, long e2e) {
        long from = ttft != Timings.ABSENT ? ttft : ttftAny;
        return from == Timings.ABSENT || e2e == Timings.ABSENT ? Timings.ABSENT : e2e - from;
    }

    /** The decode time of a conversation from its journaled turns (milliseconds), summed over turns. */
    public static long decodeNanos(List<TurnRecord> turns) {
        long decode = 0;
        boolean any = false;
        for (TurnRecord r : turns) {
            long d = decodeNanos(nanosOrAbsent(r.ttftMs()), nanosOrAbsent(r.ttftAnyMs()), nanosOrAbsent(r.e2eMs()));
            if (d != Timings.ABSENT) {
                decode += d;
                any = true;
            }
        }
        return any ? decode : Timings.ABSENT;
    }
}
