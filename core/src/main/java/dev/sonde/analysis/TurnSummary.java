package dev.sonde.analysis;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.journal.TrialResult;
import dev.sonde.journal.TurnRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code turns} section of {@code results.json}: how multi-request trials (tool loops) spent
 * their requests, by turn index, from one streaming pass over the journal (memory grows with the
 * longest conversation, not the run). For each turn index: how many trials reached it, the
 * arithmetic mean of its TTFT (first delta of any kind when there was no text) and E2E over the
 * turns that have one, and the sums of its prompt tokens (input + cache write + cache read), output
 * tokens and cost. Skipped and replayed trials are left out (replayed ones are not measurements).
 *
 * @param trials tool-loop trials counted
 * @param requests their turns, all indices together
 * @param unpricedTurns turns whose model had no price (their cost is not in {@code cost_usd})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"trials", "requests", "unpriced_turns", "by_turn"})
public record TurnSummary(long trials, long requests, long unpricedTurns, List<ByTurn> byTurn) {

    /**
     * One turn index's figures, over the tool-loop trials that reached it.
     *
     * @param turn the 1-based request index in the conversation
     * @param trials tool-loop trials that sent this turn
     * @param ttftMsMean mean TTFT in ms (first delta of any kind when no text came), over the turns that have
     *     one; null when none has
     * @param e2eMsMean mean end-to-end time in ms over the turns that have one; null when none has
     * @param promptTokens input + cache write + cache read tokens, summed
     * @param outputTokens output tokens, summed
     * @param costUsd the priced turns' cost, summed (unpriced turns count in {@code unpricedTurns} only)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"turn", "trials", "ttft_ms_mean", "e2e_ms_mean", "prompt_tokens", "output_tokens", "cost_usd"})
    public record ByTurn(int turn, long trials, Double ttftMsMean, Double e2eMsMean, long promptTokens, long outputTokens,
            double costUsd) {}

    /** Sums the turns of the trials it is given, turn index by turn index. */
    static final class Fold implements TrialFold {
        private final List<long[]> counts = new ArrayList<>(); // trials, ttft n, e2e n, prompt, output
        private final List<double[]> sums = new ArrayList<>(); // ttft, e2e, cost
        private long trials;
        private long requests;
        private long unpriced;

        /** Adds each of {@code t}'s turns at its index; skipped, replayed and non-tool-loop trials add nothing. */
        @Override
        public void add(TrialResult t) {
            if (t.skipped() != null || t.replayed() || t.turns().isEmpty()) {
                return;
            }
            trials++;
            for (TurnRecord r : t.turns()) {
                requests++;
                int i = r.turn() - 1;
                while (counts.size() <= i) {
                    counts.add(new long[5]);
                    sums.add(new double[3]);
                }
                long[] c = counts.get(i);
                double[] s = sums.get(i);
                c[0]++;
                Double ttft = r.ttftMs() != null ? r.ttftMs() : r.ttftAnyMs();
                if (ttft != null) {
                    c[1]++;
                    s[0] += ttft;
                }
                if (r.e2eMs() != null) {
                    c[2]++;
                    s[1] += r.e2eMs();
                }
                JsonNode u = r.usage();
                if (u != null) {
                    c[3] += u.path("input_tokens").asLong(0) + u.path("cache_creation_input_tokens").asLong(0)
                            + u.path("cache_read_input_tokens").asLong(0);
                    c[4] += u.path("output_tokens").asLong(0);
                }
                if (r.costUsd() == null) {
                    unpriced++;
                } else {
                    s[2] += r.costUsd();
                }
            }
        }

        /** The summary, or null when no trial had several requests. */
        TurnSummary summary() {
            if (trials == 0) {
                return null;
            }
            List<ByTurn> byTurn = new ArrayList<>();
            for (int i = 0; i < counts.size(); i++) {
                long[] c = counts.get(i);
                double[] s = sums.get(i);
                byTurn.add(new ByTurn(i + 1, c[0], c[1] == 0 ? null : s[0] / c[1], c[2] == 0 ? null : s[1] / c[2], c[3],
                        c[4], s[2]));
            }
            return new TurnSummary(trials, requests, unpriced, List.copyOf(byTurn));
        }
    }
}
