package dev.sonde.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One suite's figures across its runs, oldest first, read from the figures each run's {@code
 * results.json} reported ({@code run_stats}), so a trend shows the report's numbers: its
 * percentiles leave out replayed, untimed and warm-up trials, and a run's figure is never
 * recomputed from raw trials.
 *
 * @param suite the suite
 * @param model the model label of a per-model trend, null for the whole run
 * @param points one per run, oldest first (at most the {@code last} asked for)
 * @param runsInStore how many runs of the suite (with that model's figures, for a model trend) the store
 *     holds in all, so a caller can say "30 of 41"
 * @param firstInStore when the oldest of those started, null when there are none
 * @param shardsLeftOut how many runs of a share of the suite's plan the trend left out: one of {@code n > 1}
 *     shards, or a selected part ({@link Point#part}); 0 when they were asked for; they are not counted in
 *     {@code runsInStore} then
 */
public record Trend(String suite, String model, List<Point> points, int runsInStore, Instant firstInStore,
        int shardsLeftOut) {
    public Trend {
        points = List.copyOf(points);
    }

    /**
     * One run's figures; a figure the run did not have (no timed trial, nothing priced) is null.
     *
     * @param gates the run's baseline gates with their observed value and limit, empty when the run
     *     was not compared
     * @param stoppedBy why the run stopped early, null when it ran its whole plan
     * @param shardK this run's shard (from 1) when it ran one shard of {@code shardN}, else null
     * @param mergedPartial the run is a merge of shards that lacked some, null when not a merge
     * @param part true when the run ran a selection of the plan ({@code --only}, a test engine's filter),
     *     null otherwise and for runs recorded before it was
     */
    public record Point(String runId, Instant startedAt, String gitCommit, boolean dirty, String verdict,
            String baselineVerdict, String stoppedBy, long trials, long passed, long failed, long errored,
            double passRate, Double ttftP95Ms, Double e2eP95Ms, Double costPerTrialUsd, Double cacheHitRatio,
            double costUsd, String runDir, List<HistoryRow.Gate> gates, Integer shardK, Integer shardN,
            Boolean mergedPartial, Boolean part) {
        public Point {
            gates = List.copyOf(gates);
        }

        /** One shard of a split plan: its figures cover part of the suite, so it is not comparable to a whole run. */
        public boolean shard() {
            return shardN != null && shardN > 1;
        }

        /**
         * What sets this run apart from a whole run, for a table or a chart's mark: {@code shard 2/4},
         * {@code part}, {@code merge missing shards}, {@code stopped: budget}; empty for a whole run.
         */
        public String apart() {
            List<String> why = new ArrayList<>();
            if (shard()) {
                why.add("shard " + shardK + "/" + shardN);
            }
            if (Boolean.TRUE.equals(part)) {
                why.add("part");
            }
            if (Boolean.TRUE.equals(mergedPartial)) {
                why.add("merge missing shards");
            }
            if (stoppedBy != null) {
                why.add("stopped: " + stoppedBy);
            }
            return String.join(", ", why);
        }
    }
}
