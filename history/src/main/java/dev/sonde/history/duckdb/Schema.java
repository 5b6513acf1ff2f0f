package dev.sonde.history.duckdb;

import dev.sonde.history.HistoryException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The store's tables and their migrations: an ordered list of steps, step {@code i} making version
 * {@code i + 1}, each applied with its {@code schema_version} row in one transaction with the rest.
 * A store of a version above {@link #LATEST} was written by a newer Sonde and is refused before
 * anything is written. The big tables have no key constraints (a run is replaced by deleting its
 * rows first): in the survey's measurements a key cost four times the file size. Times are UTC
 * {@code TIMESTAMP}s, durations milliseconds, costs USD.
 */
final class Schema {
    /** Version 1: the tables of docs/issue25-survey.md §5. */
    private static final List<String> V1 = List.of(
            "CREATE TABLE schema_version(version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL, sonde_version VARCHAR)",
            "CREATE TABLE meta(key VARCHAR PRIMARY KEY, value VARCHAR)",
            "CREATE TABLE runs(run_id VARCHAR NOT NULL, suite VARCHAR, suite_file VARCHAR, started_at TIMESTAMP,"
                    + " finished_at TIMESTAMP, wall_ms DOUBLE, endpoint VARCHAR, live BOOLEAN, git_commit VARCHAR,"
                    + " dirty BOOLEAN, sonde_version VARCHAR, java_version VARCHAR, pricing_version VARCHAR,"
                    + " plan_hash VARCHAR, timing_origin VARCHAR, shard_k INTEGER, shard_n INTEGER,"
                    + " merged_partial BOOLEAN, repeat_count INTEGER, trials_planned INTEGER, verdict VARCHAR,"
                    + " baseline_verdict VARCHAR, run_dir VARCHAR, imported_at TIMESTAMP NOT NULL)",
            "CREATE TABLE run_models(run_id VARCHAR NOT NULL, label VARCHAR, model_id VARCHAR, provider VARCHAR,"
                    + " region VARCHAR)",
            "CREATE TABLE run_stats(run_id VARCHAR NOT NULL, scope VARCHAR NOT NULL, model VARCHAR, case_id VARCHAR,"
                    + " trials BIGINT, passed BIGINT, failed BIGINT, errored BIGINT, not_evaluated BIGINT,"
                    + " pass_rate DOUBLE, ttft_p50_ms DOUBLE, ttft_p95_ms DOUBLE, ttft_p99_ms DOUBLE,"
                    + " e2e_p50_ms DOUBLE, e2e_p95_ms DOUBLE, e2e_p99_ms DOUBLE, cost_usd DOUBLE,"
                    + " cost_per_trial_usd DOUBLE, input_tokens BIGINT, output_tokens BIGINT, cache_read_tokens BIGINT,"
                    + " cache_write_tokens BIGINT, cache_hit_ratio DOUBLE, unpriced_trials BIGINT, untimed_trials BIGINT)",
            "CREATE TABLE gates(run_id VARCHAR NOT NULL, name VARCHAR, subject VARCHAR, outcome VARCHAR, value DOUBLE,"
                    + " limit_value DOUBLE, observed VARCHAR, threshold VARCHAR, reason VARCHAR)",
            "CREATE TABLE trials(run_id VARCHAR NOT NULL, trial_id VARCHAR NOT NULL, case_id VARCHAR, model VARCHAR,"
                    + " model_id VARCHAR, repeat_no INTEGER, pass BOOLEAN, error_class VARCHAR, skipped VARCHAR,"
                    + " replayed BOOLEAN, untimed VARCHAR, warmup BOOLEAN, variant VARCHAR, ttft_ms DOUBLE,"
                    + " ttfb_ms DOUBLE, e2e_ms DOUBLE, cost_usd DOUBLE, unpriced BOOLEAN, input_tokens BIGINT,"
                    + " output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT, attempts INTEGER,"
                    + " started_at TIMESTAMP, stop_reason VARCHAR, output_sha256 VARCHAR)",
            "CREATE TABLE checks(run_id VARCHAR NOT NULL, trial_id VARCHAR NOT NULL, idx INTEGER, type VARCHAR,"
                    + " pass BOOLEAN, reason VARCHAR)",
            "CREATE TABLE outputs(run_id VARCHAR NOT NULL, trial_id VARCHAR NOT NULL, output_text VARCHAR,"
                    + " tool_calls_json VARCHAR)");

    /**
     * Version 2: why a run stopped early ({@code results.json}'s {@code stopped_by}), and when its
     * outputs were pruned (null unless {@code sonde history prune} deleted them), so a diff can say
     * "pruned" rather than "no output"; and whether the run ran a selection of its plan ({@code run.json}'s
     * {@code part}), which trends leave out like a shard.
     */
    private static final List<String> V2 = List.of(
            "ALTER TABLE runs ADD COLUMN stopped_by VARCHAR",
            "ALTER TABLE runs ADD COLUMN outputs_pruned_at TIMESTAMP",
            "ALTER TABLE runs ADD COLUMN part BOOLEAN");

    /** The migration steps in order: {@code STEPS.get(i)} makes version {@code i + 1}. */
    private static final List<List<String>> STEPS = List.of(V1, V2);

    /** The version this Sonde writes. */
    static final int LATEST = STEPS.size();

    /** The statements of migration step {@code version} (1 to {@link #LATEST}): tests build an older store with them. */
    static List<String> step(int version) {
        return STEPS.get(version - 1);
    }

    private Schema() {}

    /**
     * The store's version, 0 for an empty file.
     *
     * @throws SQLException the tables cannot be read
     */
    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet has = s.executeQuery("SELECT count(*) FROM information_schema.tables"
                        + " WHERE table_name = 'schema_version'")) {
            has.next();
            if (has.getLong(1) == 0) {
                return 0;
            }
        }
        try (Statement s = c.createStatement();
                ResultSet max = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            max.next();
            return max.getInt(1);
        }
    }

    /** Refuses a store newer than this Sonde, in one line naming the file. */
    static void refuseNewer(Path store, int version) throws HistoryException {
        if (version > LATEST) {
            throw new HistoryException("history: " + store + " has schema version " + version + ", newer than this"
                    + " Sonde's " + LATEST + "; use a newer Sonde, or another --store (the file is left as it is)");
        }
    }

    /**
     * Brings the store to {@link #LATEST} in one transaction (nothing when it is there already).
     *
     * @param sondeVersion recorded beside each step applied (may be null)
     */
    static void migrate(Connection c, Path store, Instant now, String sondeVersion) throws SQLException, HistoryException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int from = version(c);
            refuseNewer(store, from);
            for (int v = from + 1; v <= LATEST; v++) {
                try (Statement s = c.createStatement()) {
                    for (String sql : STEPS.get(v - 1)) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version VALUES (?, ?, ?)")) {
                    p.setInt(1, v);
                    p.setObject(2, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
                    p.setString(3, sondeVersion);
                    p.executeUpdate();
                }
                if (v == 1) {
                    meta(c, "store_id", UUID.randomUUID().toString());
                    meta(c, "created_by_duckdb", c.getMetaData().getDatabaseProductVersion());
                    meta(c, "created_by_sonde", sondeVersion);
                }
            }
            c.commit();
        } catch (SQLException | HistoryException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static void meta(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO meta VALUES (?, ?)")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }
}
