package dev.sonde.history.duckdb;

import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryRow;
import dev.sonde.history.HistoryStore.StoredRun;
import dev.sonde.history.RunDiff;
import dev.sonde.history.RunQuery;
import dev.sonde.history.Trend;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The store's reads on a connection the caller opened read-only: runs by query, a suite's trend and
 * a two-run diff. Trends come from {@code run_stats} only (the figures each run's {@code
 * results.json} reported), never from raw trials. A store of an older schema is read as it is (a
 * read never migrates): a column it lacks reads as null. Stateless.
 */
final class Reads {
    /** The {@code runs} columns of a {@link HistoryRow.Run}, in its order, with the trial count last. */
    private static final String RUN_COLUMNS = "r.run_id, r.suite, r.suite_file, r.started_at, r.finished_at, r.wall_ms,"
            + " r.endpoint, r.live, r.git_commit, r.dirty, r.sonde_version, r.java_version, r.pricing_version,"
            + " r.plan_hash, r.timing_origin, r.shard_k, r.shard_n, r.merged_partial, r.repeat_count,"
            + " r.trials_planned, r.verdict, r.baseline_verdict, %s, r.run_dir, %s,"
            + " (SELECT count(*) FROM trials t WHERE t.run_id = r.run_id)";
    private static final int RUN_WIDTH = 26;

    private static final String TRIAL_COLUMNS = "trial_id, case_id, model, model_id, repeat_no, pass, error_class,"
            + " skipped, replayed, untimed, warmup, variant, ttft_ms, ttfb_ms, e2e_ms, cost_usd, unpriced, input_tokens,"
            + " output_tokens, cache_read_tokens, cache_write_tokens, attempts, started_at, stop_reason, output_sha256";
    private static final int TRIAL_WIDTH = 25;

    private static final String STAT_COLUMNS = "scope, model, case_id, trials, passed, failed, errored, not_evaluated,"
            + " pass_rate, ttft_p50_ms, ttft_p95_ms, ttft_p99_ms, e2e_p50_ms, e2e_p95_ms, e2e_p99_ms, cost_usd,"
            + " cost_per_trial_usd, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
            + " cache_hit_ratio, unpriced_trials, untimed_trials";

    private static final String GATE_COLUMNS = "name, subject, outcome, value, limit_value, observed, threshold, reason";

    private Reads() {}

    /** {@link dev.sonde.history.HistoryStore#runs}: the runs {@code query} picks, oldest first. */
    static List<StoredRun> runs(Connection c, int version, RunQuery query) throws SQLException, HistoryException {
        RunFilter.Where picked = RunFilter.picked(query);
        String sql = "SELECT " + runColumns(version) + " FROM runs r WHERE r.run_id IN (" + picked.sql() + ")"
                + " ORDER BY " + RunFilter.oldestFirst("r.");
        List<StoredRun> runs = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            picked.bind(p, 1);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    runs.add(storedRun(r));
                }
            }
        }
        return runs;
    }

    /**
     * {@link dev.sonde.history.HistoryStore#trend}. The runs it can show are the suite's runs that
     * have figures for the scope asked (the whole run, or that model label), without the runs of a
     * share of the plan (one shard of a split plan, a selected part) unless {@code shards};
     * {@code runsInStore} counts those, so "30 of 41" compares like with like, and {@code
     * shardsLeftOut} the shard and part runs left out.
     */
    static Trend trend(Connection c, int version, String suite, String model, int last, boolean shards)
            throws SQLException {
        String stats = model == null ? "s.scope = 'run'" : "s.scope = 'model' AND s.model = ?";
        String scoped = "SELECT r.run_id, r.started_at, s.trials, s.passed, s.failed, s.errored,"
                + " s.pass_rate, s.ttft_p95_ms, s.e2e_p95_ms, s.cost_per_trial_usd, s.cache_hit_ratio, s.cost_usd"
                + " FROM runs r JOIN run_stats s ON s.run_id = r.run_id AND " + stats + " WHERE r.suite = ?";
        String shard = "(coalesce(r.shard_n, 1) > 1" + (version >= 2 ? " OR coalesce(r.part, false))" : ")");
        String eligible = "WITH eligible AS (" + scoped + (shards ? "" : " AND NOT " + shard) + ")";

        int shardsLeftOut = 0;
        if (!shards) {
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM (" + scoped + " AND " + shard + ")")) {
                bindScope(p, suite, model, 0);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    shardsLeftOut = r.getInt(1);
                }
            }
        }
        String picked = eligible + ", picked AS (SELECT * FROM eligible ORDER BY " + RunFilter.newestFirst("")
                + (last > 0 ? " LIMIT ?" : "") + ")";

        int runsInStore;
        Instant firstInStore;
        try (PreparedStatement p = c.prepareStatement(eligible + " SELECT count(*), min(started_at) FROM eligible")) {
            bindScope(p, suite, model, 0);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                runsInStore = r.getInt(1);
                firstInStore = instant(r, 2);
            }
        }

        Map<String, List<HistoryRow.Gate>> gates = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(picked + " SELECT run_id, " + GATE_COLUMNS + " FROM gates"
                + " WHERE run_id IN (SELECT run_id FROM picked) ORDER BY run_id, rowid")) {
            bindScope(p, suite, model, last);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    gates.computeIfAbsent(r.getString(1), id -> new ArrayList<>()).add(gate(r, 2));
                }
            }
        }

        List<Trend.Point> points = new ArrayList<>();
        String stoppedBy = version >= 2 ? "r.stopped_by" : "NULL";
        String part = version >= 2 ? "r.part" : "NULL";
        try (PreparedStatement p = c.prepareStatement(picked + " SELECT r.run_id, r.started_at, r.git_commit, r.dirty,"
                + " r.verdict, r.baseline_verdict, " + stoppedBy + ", p.trials, p.passed, p.failed, p.errored,"
                + " p.pass_rate, p.ttft_p95_ms, p.e2e_p95_ms, p.cost_per_trial_usd, p.cache_hit_ratio, p.cost_usd,"
                + " r.run_dir, r.shard_k, r.shard_n, r.merged_partial, " + part + " FROM picked p"
                + " JOIN runs r ON r.run_id = p.run_id"
                + " ORDER BY " + RunFilter.oldestFirst("r."))) {
            bindScope(p, suite, model, last);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String runId = r.getString(1);
                    points.add(new Trend.Point(runId, instant(r, 2), r.getString(3), r.getBoolean(4), r.getString(5),
                            r.getString(6), r.getString(7), r.getLong(8), r.getLong(9), r.getLong(10), r.getLong(11),
                            r.getDouble(12), nullableDouble(r, 13), nullableDouble(r, 14), nullableDouble(r, 15),
                            nullableDouble(r, 16), r.getDouble(17), r.getString(18),
                            gates.getOrDefault(runId, List.of()), (Integer) r.getObject(19),
                            (Integer) r.getObject(20), (Boolean) r.getObject(21), (Boolean) r.getObject(22)));
                }
            }
        }
        return new Trend(suite, model, points, runsInStore, firstInStore, shardsLeftOut);
    }

    /** The marks of the trend's sub-queries in order: the model (when given), the suite, {@code last} (when above 0). */
    private static void bindScope(PreparedStatement p, String suite, String model, int last) throws SQLException {
        int i = 1;
        if (model != null) {
            p.setString(i++, model);
        }
        p.setString(i++, suite);
        if (last > 0) {
            p.setInt(i, last);
        }
    }

    /**
     * {@link dev.sonde.history.HistoryStore#diff}: every trial id of either run, paired by a full
     * outer join on {@code trial_id}; outputs are read only for the pairs whose pass, error class or
     * skip differs, whose output hashes differ, or whose tool calls differ (compared in SQL, since
     * {@code output_sha256} covers the text only). A side whose output row is missing while its trial has an output hash and its
     * run's outputs were pruned ({@code runs.outputs_pruned_at} set) says {@code outputPruned}.
     *
     * @throws HistoryException either id is not a run of the store (one line naming it)
     */
    static RunDiff diff(Connection c, int version, Path file, String runA, String runB)
            throws SQLException, HistoryException {
        StoredRun a = run(c, version, file, runA);
        StoredRun b = run(c, version, file, runB);
        Set<String> pruned = new HashSet<>();
        if (version >= 2) {
            try (PreparedStatement p = c.prepareStatement("SELECT run_id FROM runs WHERE run_id IN (?, ?)"
                    + " AND outputs_pruned_at IS NOT NULL")) {
                p.setString(1, runA);
                p.setString(2, runB);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        pruned.add(r.getString(1));
                    }
                }
            }
        }

        Map<String, List<HistoryRow.Check>> checksA = new HashMap<>();
        Map<String, List<HistoryRow.Check>> checksB = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT run_id, trial_id, idx, type, pass, reason FROM checks"
                + " WHERE run_id IN (?, ?) ORDER BY run_id, trial_id, idx")) {
            p.setString(1, runA);
            p.setString(2, runB);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    HistoryRow.Check check = new HistoryRow.Check(r.getString(2), r.getInt(3), r.getString(4),
                            r.getBoolean(5), r.getString(6));
                    String run = r.getString(1);
                    if (run.equals(runA)) {
                        checksA.computeIfAbsent(check.trialId(), id -> new ArrayList<>()).add(check);
                    }
                    if (run.equals(runB)) {
                        checksB.computeIfAbsent(check.trialId(), id -> new ArrayList<>()).add(check);
                    }
                }
            }
        }

        // Tool calls compare in SQL (output_sha256 covers the text only); a pruned side has no row to compare.
        String sides = "WITH a AS (SELECT * FROM trials WHERE run_id = ?), b AS (SELECT * FROM trials WHERE run_id = ?),"
                + " oa AS (SELECT trial_id, tool_calls_json FROM outputs WHERE run_id = ?),"
                + " ob AS (SELECT trial_id, tool_calls_json FROM outputs WHERE run_id = ?),"
                + " pairs AS (SELECT a.trial_id AS ta, b.trial_id AS tb, a.trial_id IS NOT NULL AND b.trial_id IS NOT NULL"
                + (pruned.contains(runA) ? " AND oa.trial_id IS NOT NULL" : "")
                + (pruned.contains(runB) ? " AND ob.trial_id IS NOT NULL" : "")
                + " AND oa.tool_calls_json IS DISTINCT FROM ob.tool_calls_json AS tools_changed"
                + " FROM a FULL OUTER JOIN b ON a.trial_id = b.trial_id"
                + " LEFT JOIN oa ON oa.trial_id = a.trial_id LEFT JOIN ob ON ob.trial_id = b.trial_id)";
        Map<String, HistoryRow.Output> outputsA = new HashMap<>();
        Map<String, HistoryRow.Output> outputsB = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(sides + ", wanted AS (SELECT a.trial_id FROM a JOIN b"
                + " ON a.trial_id = b.trial_id JOIN pairs ON pairs.ta = a.trial_id WHERE a.pass <> b.pass"
                + " OR a.error_class IS DISTINCT FROM b.error_class OR a.skipped IS DISTINCT FROM b.skipped"
                + " OR a.output_sha256 <> b.output_sha256 OR pairs.tools_changed)"
                + " SELECT run_id, trial_id, output_text, tool_calls_json FROM outputs"
                + " WHERE run_id IN (?, ?) AND trial_id IN (SELECT trial_id FROM wanted)")) {
            bindSides(p, runA, runB);
            p.setString(5, runA);
            p.setString(6, runB);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    HistoryRow.Output output = new HistoryRow.Output(r.getString(2), r.getString(3), r.getString(4));
                    if (r.getString(1).equals(runA)) {
                        outputsA.put(output.trialId(), output);
                    }
                    if (r.getString(1).equals(runB)) {
                        outputsB.put(output.trialId(), output);
                    }
                }
            }
        }

        List<RunDiff.TrialPair> pairs = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sides + " SELECT " + prefixed("a", TRIAL_COLUMNS) + ", "
                + prefixed("b", TRIAL_COLUMNS) + ", pairs.tools_changed FROM a FULL OUTER JOIN b ON a.trial_id = b.trial_id"
                + " JOIN pairs ON pairs.ta IS NOT DISTINCT FROM a.trial_id AND pairs.tb IS NOT DISTINCT FROM b.trial_id"
                + " ORDER BY coalesce(a.case_id, b.case_id), coalesce(a.model, b.model),"
                + " coalesce(a.repeat_no, b.repeat_no), coalesce(a.trial_id, b.trial_id)")) {
            bindSides(p, runA, runB);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    HistoryRow.Trial ta = r.getString(1) == null ? null : trial(r, 1);
                    HistoryRow.Trial tb = r.getString(1 + TRIAL_WIDTH) == null ? null : trial(r, 1 + TRIAL_WIDTH);
                    HistoryRow.Trial any = ta != null ? ta : tb;
                    pairs.add(new RunDiff.TrialPair(any.trialId(), any.caseId(), any.model(), any.repeat(),
                            side(ta, checksA, outputsA, pruned.contains(runA)),
                            side(tb, checksB, outputsB, pruned.contains(runB)), r.getBoolean(1 + 2 * TRIAL_WIDTH)));
                }
            }
        }

        Map<List<String>, HistoryRow.Stat[]> cases = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            try (PreparedStatement p = c.prepareStatement("SELECT " + STAT_COLUMNS + " FROM run_stats"
                    + " WHERE run_id = ? AND scope = 'case'")) {
                p.setString(1, i == 0 ? runA : runB);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        HistoryRow.Stat stat = stat(r);
                        cases.computeIfAbsent(List.of(stat.caseId(), String.valueOf(stat.model())),
                                key -> new HistoryRow.Stat[2])[i] = stat;
                    }
                }
            }
        }
        List<RunDiff.CasePair> casePairs = new ArrayList<>();
        cases.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.<List<String>, String>comparing(k -> k.get(0))
                        .thenComparing(k -> k.get(1))))
                .forEach(e -> {
                    HistoryRow.Stat any = e.getValue()[0] != null ? e.getValue()[0] : e.getValue()[1];
                    casePairs.add(new RunDiff.CasePair(any.caseId(), any.model(), e.getValue()[0], e.getValue()[1]));
                });
        return new RunDiff(a, b, pairs, casePairs);
    }

    /** The four run ids of the diff's {@code sides} CTEs: a's and b's trials, then a's and b's outputs. */
    private static void bindSides(PreparedStatement p, String runA, String runB) throws SQLException {
        p.setString(1, runA);
        p.setString(2, runB);
        p.setString(3, runA);
        p.setString(4, runB);
    }

    private static RunDiff.Side side(HistoryRow.Trial trial, Map<String, List<HistoryRow.Check>> checks,
            Map<String, HistoryRow.Output> outputs, boolean runPruned) {
        if (trial == null) {
            return null;
        }
        HistoryRow.Output output = outputs.get(trial.trialId());
        boolean outputPruned = output == null && runPruned && trial.outputSha256() != null;
        return new RunDiff.Side(trial, checks.getOrDefault(trial.trialId(), List.of()), output, outputPruned);
    }

    private static StoredRun run(Connection c, int version, Path file, String runId)
            throws SQLException, HistoryException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + runColumns(version) + " FROM runs r"
                + " WHERE r.run_id = ?")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw missing(file, runId);
                }
                return storedRun(r);
            }
        }
    }

    /** The one line of a run id the store does not hold. */
    static HistoryException missing(Path file, String runId) {
        return new HistoryException("history: no run " + runId + " in " + file + " ('sonde history runs' lists them)");
    }

    private static String runColumns(int version) {
        return version >= 2 ? RUN_COLUMNS.formatted("r.stopped_by", "r.part") : RUN_COLUMNS.formatted("NULL", "NULL");
    }

    private static StoredRun storedRun(ResultSet r) throws SQLException {
        HistoryRow.Run run = new HistoryRow.Run(r.getString(1), r.getString(2), r.getString(3), instant(r, 4),
                instant(r, 5), r.getDouble(6), r.getString(7), r.getBoolean(8), r.getString(9), r.getBoolean(10),
                r.getString(11), r.getString(12), r.getString(13), r.getString(14), r.getString(15),
                (Integer) r.getObject(16), (Integer) r.getObject(17), (Boolean) r.getObject(18),
                (Integer) r.getObject(19), r.getInt(20), r.getString(21), r.getString(22), r.getString(23),
                r.getString(24), (Boolean) r.getObject(25));
        return new StoredRun(run, r.getLong(RUN_WIDTH));
    }

    private static HistoryRow.Trial trial(ResultSet r, int from) throws SQLException {
        int i = from;
        return new HistoryRow.Trial(r.getString(i), r.getString(i + 1), r.getString(i + 2), r.getString(i + 3),
                r.getInt(i + 4), r.getBoolean(i + 5), r.getString(i + 6), r.getString(i + 7), r.getBoolean(i + 8),
                r.getString(i + 9), r.getBoolean(i + 10), r.getString(i + 11), nullableDouble(r, i + 12),
                nullableDouble(r, i + 13), nullableDouble(r, i + 14), nullableDouble(r, i + 15), r.getBoolean(i + 16),
                nullableLong(r, i + 17), nullableLong(r, i + 18), nullableLong(r, i + 19), nullableLong(r, i + 20),
                r.getInt(i + 21), instant(r, i + 22), r.getString(i + 23), r.getString(i + 24));
    }

    private static HistoryRow.Stat stat(ResultSet r) throws SQLException {
        return new HistoryRow.Stat(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5),
                r.getLong(6), r.getLong(7), r.getLong(8), r.getDouble(9), nullableDouble(r, 10), nullableDouble(r, 11),
                nullableDouble(r, 12), nullableDouble(r, 13), nullableDouble(r, 14), nullableDouble(r, 15),
                r.getDouble(16), nullableDouble(r, 17), r.getLong(18), r.getLong(19), r.getLong(20), r.getLong(21),
                r.getDouble(22), r.getLong(23), r.getLong(24));
    }

    private static HistoryRow.Gate gate(ResultSet r, int from) throws SQLException {
        int i = from;
        return new HistoryRow.Gate(r.getString(i), r.getString(i + 1), r.getString(i + 2), nullableDouble(r, i + 3),
                nullableDouble(r, i + 4), r.getString(i + 5), r.getString(i + 6), r.getString(i + 7));
    }

    private static String prefixed(String alias, String columns) {
        return alias + "." + columns.replace(", ", ", " + alias + ".");
    }

    static Instant instant(ResultSet r, int column) throws SQLException {
        LocalDateTime t = r.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    private static Double nullableDouble(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet r, int column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }
}
