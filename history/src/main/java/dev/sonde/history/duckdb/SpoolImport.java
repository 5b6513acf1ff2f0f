package dev.sonde.history.duckdb;

import dev.sonde.history.Added;
import dev.sonde.history.HistoryRow;
import dev.sonde.history.RunSpool;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * One spool into the store, in one transaction: the run's rows deleted (a re-import replaces, never
 * duplicates), the run row inserted, then every other row of the spool appended as it is read
 * through DuckDB's appender (a prepared insert per row cost ~1 ms a row; the appender writes column
 * vectors). Nothing is committed unless the whole spool went in: the appenders flush inside the
 * transaction, and a row the tables refuse (a NOT NULL column) fails the flush. Not thread-safe: one
 * per import.
 */
final class SpoolImport implements AutoCloseable {
    private static final List<String> TABLES = List.of("runs", "run_models", "run_stats", "gates", "trials", "checks",
            "outputs");

    /** The columns a run row fills, by name: migrations add columns at the end of the table. */
    private static final String RUN_COLUMNS = "run_id, suite, suite_file, started_at, finished_at, wall_ms, endpoint,"
            + " live, git_commit, dirty, sonde_version, java_version, pricing_version, plan_hash, timing_origin, shard_k,"
            + " shard_n, merged_partial, repeat_count, trials_planned, verdict, baseline_verdict, run_dir, imported_at,"
            + " stopped_by, part";

    private final Connection c;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    /** Prepared once for every run of the import. */
    private PreparedStatement exists;
    private PreparedStatement insertRun;

    private SpoolImport(Connection c) {
        this.c = c;
    }

    /** An appender on one table and its column types, as DuckDB names them. */
    private record Table(DuckDBAppender appender, List<String> types) {}

    /**
     * Imports {@code spool} into the store open on {@code c}.
     *
     * @throws IOException the spool is not a spool (one line naming its file and line)
     */
    static Added.Imported run(Connection c, Path spool, Instant now, boolean fromInbox) throws SQLException, IOException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (SpoolImport in = new SpoolImport(c)) {
            Added.Imported imported = in.into(spool, now, fromInbox);
            in.flush();
            c.commit();
            return imported;
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * Imports every spool in one transaction (a commit per run cost about as much as the run's rows):
     * all of them or, when one fails, none, and the caller goes one by one to tell which.
     *
     * @throws IOException a spool is not a spool
     */
    static List<Added.Imported> all(Connection c, List<Path> spools, Instant now) throws SQLException, IOException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (SpoolImport in = new SpoolImport(c)) {
            List<Added.Imported> done = new ArrayList<>();
            for (Path spool : spools) {
                done.add(in.into(spool, now, false)); // one set of appenders for all: making one costs a query
            }
            in.flush();
            c.commit();
            return done;
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** One spool's rows, inside the caller's transaction; its appended rows are flushed by the caller. */
    private Added.Imported into(Path spool, Instant now, boolean fromInbox) throws SQLException, IOException {
        try (RunSpool.Rows rows = RunSpool.read(spool)) {
            HistoryRow.Run run = (HistoryRow.Run) rows.next();
            boolean replaced = delete(run.runId());
            run(run, now);
            long trials = 0;
            for (HistoryRow row = rows.next(); row != null; row = rows.next()) {
                add(run.runId(), row);
                if (row instanceof HistoryRow.Trial) {
                    trials++;
                }
            }
            return new Added.Imported(run.runId(), trials, replaced, fromInbox);
        }
    }

    private boolean delete(String runId) throws SQLException {
        boolean had;
        if (exists == null) {
            exists = c.prepareStatement("SELECT count(*) FROM runs WHERE run_id = ?");
        }
        exists.setString(1, runId);
        try (ResultSet r = exists.executeQuery()) {
            r.next();
            had = r.getLong(1) > 0;
        }
        if (!had) {
            return false; // each DELETE scans its whole table: 200 new runs spent most of their import here
        }
        flush(); // rows of this run appended earlier in this transaction (a batch naming it twice) go too
        for (String table : TABLES) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
                p.setString(1, runId);
                p.executeUpdate();
            }
        }
        return had;
    }

    private void run(HistoryRow.Run r, Instant now) throws SQLException {
        if (insertRun == null) {
            insertRun = c.prepareStatement("INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (" + marks(26) + ")");
        }
        PreparedStatement p = insertRun;
        Object[] values = {r.runId(), r.suite(), r.suiteFile(), r.startedAt(), r.finishedAt(), r.wallMs(),
            r.endpoint(), r.live(), r.gitCommit(), r.dirty(), r.sondeVersion(), r.javaVersion(), r.pricingVersion(),
            r.planHash(), r.timingOrigin(), r.shardK(), r.shardN(), r.mergedPartial(), r.repeat(),
            r.trialsPlanned(), r.verdict(), r.baselineVerdict(), r.runDir(), now, r.stoppedBy(), r.part()};
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case null -> p.setNull(i + 1, Types.NULL);
                case Instant t -> p.setObject(i + 1, LocalDateTime.ofInstant(t, ZoneOffset.UTC));
                default -> p.setObject(i + 1, values[i]);
            }
        }
        p.executeUpdate();
    }

    private void add(String runId, HistoryRow row) throws SQLException {
        switch (row) {
            case HistoryRow.Run r -> throw new IllegalStateException("a spool has one run row");
            case HistoryRow.Model m -> append("run_models", runId, m.label(), m.modelId(), m.provider(), m.region());
            case HistoryRow.Stat s -> append("run_stats", runId, s.scope(), s.model(), s.caseId(), s.trials(),
                    s.passed(), s.failed(), s.errored(), s.notEvaluated(), s.passRate(), s.ttftP50Ms(), s.ttftP95Ms(),
                    s.ttftP99Ms(), s.e2eP50Ms(), s.e2eP95Ms(), s.e2eP99Ms(), s.costUsd(), s.costPerTrialUsd(),
                    s.inputTokens(), s.outputTokens(), s.cacheReadTokens(), s.cacheWriteTokens(), s.cacheHitRatio(),
                    s.unpricedTrials(), s.untimedTrials());
            case HistoryRow.Gate g -> append("gates", runId, g.name(), g.subject(), g.outcome(), g.value(),
                    g.limitValue(), g.observed(), g.threshold(), g.reason());
            case HistoryRow.Trial t -> append("trials", runId, t.trialId(), t.caseId(), t.model(), t.modelId(),
                    t.repeat(), t.pass(), t.errorClass(), t.skipped(), t.replayed(), t.untimed(), t.warmup(),
                    t.variant(), t.ttftMs(), t.ttfbMs(), t.e2eMs(), t.costUsd(), t.unpriced(), t.inputTokens(),
                    t.outputTokens(), t.cacheReadTokens(), t.cacheWriteTokens(), t.attempts(), t.startedAt(),
                    t.stopReason(), t.outputSha256());
            case HistoryRow.Check k -> append("checks", runId, k.trialId(), k.idx(), k.type(), k.pass(), k.reason());
            case HistoryRow.Output o -> append("outputs", runId, o.trialId(), o.outputText(), o.toolCallsJson());
        }
    }

    /** One row, each value converted to its column's type (the appender takes no implicit casts). */
    private void append(String table, Object... values) throws SQLException {
        Table t = tables.get(table);
        if (t == null) {
            t = new Table(c.unwrap(DuckDBConnection.class).createAppender(table), types(table));
            tables.put(table, t);
        }
        if (values.length != t.types.size()) {
            throw new SQLException(table + " has " + t.types.size() + " columns, not " + values.length);
        }
        DuckDBAppender a = t.appender.beginRow();
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                a.appendNull();
                continue;
            }
            switch (t.types.get(i)) {
                case "VARCHAR" -> a.append(v.toString());
                case "BIGINT" -> a.append(((Number) v).longValue());
                case "INTEGER" -> a.append(((Number) v).intValue());
                case "DOUBLE" -> a.append(((Number) v).doubleValue());
                case "BOOLEAN" -> a.append((boolean) (Boolean) v);
                case "TIMESTAMP" -> a.append(LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC));
                default -> throw new SQLException(table + " column " + (i + 1) + " has a type the import does not"
                        + " write: " + t.types.get(i));
            }
        }
        a.endRow();
    }

    private List<String> types(String table) throws SQLException {
        List<String> types = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT data_type FROM information_schema.columns"
                + " WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position")) {
            p.setString(1, table);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    types.add(r.getString(1));
                }
            }
        }
        return types;
    }

    private void flush() throws SQLException {
        for (Table t : tables.values()) {
            t.appender.flush();
        }
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement p : new PreparedStatement[] {exists, insertRun}) {
            if (p != null) {
                try {
                    p.close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
        }
        for (Table t : tables.values()) {
            try {
                t.appender.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
