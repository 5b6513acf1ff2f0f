package dev.sonde.report;

import dev.sonde.metrics.Fmt;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.TrialResult;
import dev.sonde.journal.TurnRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-turn table of a tool-loop trial's detail in {@code report.html}: one row per request
 * (TTFT, E2E, tokens in → out, cost, stop reason, the tools it called) and a row with the trial's
 * journaled totals (its usage and cost, which the runner sums over the turns). Empty for a
 * one-request trial.
 */
final class TurnRows {
    private static final int MAX_INPUT_CHARS = 80;

    private TurnRows() {}

    /** One row; {@code turn} is the 1-based request index, or "total". */
    record TurnView(String turn, String ttft, String e2e, String tokens, String cost, String stopReason, String tools) {}

    static List<TurnView> of(TrialResult t) {
        List<TurnView> rows = new ArrayList<>();
        if (t.turns().isEmpty()) {
            return rows;
        }
        for (TurnRecord r : t.turns()) {
            long in = promptTokens(r.usage());
            long out = r.usage() == null ? 0 : r.usage().path("output_tokens").asLong(0);
            List<String> tools = new ArrayList<>();
            for (JsonNode call : r.toolCalls()) {
                tools.add(call.path("name").asText() + " " + Text.truncate(call.path("input").toString(), MAX_INPUT_CHARS));
            }
            rows.add(new TurnView(Integer.toString(r.turn()), Fmt.ms(r.ttftMs() != null ? r.ttftMs() : r.ttftAnyMs()),
                    Fmt.ms(r.e2eMs()), Fmt.count(in) + " → " + Fmt.count(out), Fmt.usd(r.costUsd()),
                    (r.stopReason() == null ? Fmt.NONE : r.stopReason()) + (r.error() == null ? "" : " ⚠ " + r.error()),
                    Text.xmlSafe(String.join("\n", tools))));
        }
        long out = t.usage() == null ? 0 : t.usage().path("output_tokens").asLong(0);
        rows.add(new TurnView("trial", "", "", Fmt.count(promptTokens(t.usage())) + " → " + Fmt.count(out),
                Fmt.usd(t.costUsd()), "", ""));
        return rows;
    }

    /** Input, cache-write and cache-read tokens: the whole prompt (API-NOTES "input_tokens"). */
    private static long promptTokens(JsonNode u) {
        return u == null ? 0 : u.path("input_tokens").asLong(0) + u.path("cache_creation_input_tokens").asLong(0)
                + u.path("cache_read_input_tokens").asLong(0);
    }
}
