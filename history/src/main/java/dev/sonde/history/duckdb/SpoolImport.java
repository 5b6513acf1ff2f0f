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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One spool into the store, in one transaction: the run's rows deleted (a re-import replaces, never
 * duplicates), then every row of the spool inserted as it is read, in batches. Nothing is committed
 * unless the whole spool went in. Not thread-safe: one per import.
 */
final class SpoolImport implements AutoCloseable {
    private static final int BATCH = 1000;
    private static final List<String> TABLES = List.of("runs", "run_models", "run_stats", "gates", "trials", "checks",
            "outputs");

    private final Connection c;
    private final Map<Class<?>, Batch> batches = new LinkedHashMap<>();

    private SpoolImport(Connection c) {
        this.c = c;
    }

    /** A prepared insert and how many rows wait in it. */
    private static final class Batch {
        final PreparedStatement insert;
        int pending;

        Batch(PreparedStatement insert) {
            this.insert = insert;
        }
    }

    /**
     * Imports {@code spool} into the store open on {@code c}.
     *
     * @throws IOException the spool is not a spool (one line naming its file and line)
     */
    static Added.Imported run(Connection c, Path spool, Instant now, boolean fromInbox) throws SQLException, IOException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (SpoolImport in = new SpoolImport(c); RunSpool.Rows rows = RunSpool.read(spool)) {
            HistoryRow.Run run = (HistoryRow.Run) rows.next();
            boolean replaced = in.delete(run.runId());
            in.run(run, now);
            long trials = 0;
            for (HistoryRow row = rows.next(); row != null; row = rows.next()) {
                in.add(run.runId(), row);
                if (row instanceof HistoryRow.Trial) {
                    trials++;
                }
            }
            in.flush();
            c.commit();
            return new Added.Imported(run.runId(), trials, replaced, fromInbox);
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private boolean delete(String runId) throws SQLException {
        boolean had;
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM runs WHERE run_id = ?")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                had = r.getLong(1) > 0;
            }
        }
        for (String table : TABLES) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
                p.setString(1, runId);
                p.executeUpdate();
            }
        }
        return had;
    }

    private void run(HistoryRow.Run r, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO runs VALUES (" + marks(24) + ")")) {
            bind(p, r.runId(), r.suite(), r.suiteFile(), r.startedAt(), r.finishedAt(), r.wallMs(), r.endpoint(),
                    r.live(), r.gitCommit(), r.dirty(), r.sondeVersion(), r.javaVersion(), r.pricingVersion(),
                    r.planHash(), r.timingOrigin(), r.shardK(), r.shardN(), r.mergedPartial(), r.repeat(),
                    r.trialsPlanned(), r.verdict(), r.baselineVerdict(), r.runDir(), now);
            p.executeUpdate();
        }
    }

    private void add(String runId, HistoryRow row) throws SQLException {
        switch (row) {
            case HistoryRow.Run r -> throw new IllegalStateException("a spool has one run row");
            case HistoryRow.Model m -> batch(m, "run_models", 5, runId, m.label(), m.modelId(), m.provider(), m.region());
            case HistoryRow.Stat s -> batch(s, "run_stats", 25, runId, s.scope(), s.model(), s.caseId(), s.trials(),
                    s.passed(), s.failed(), s.errored(), s.notEvaluated(), s.passRate(), s.ttftP50Ms(), s.ttftP95Ms(),
                    s.ttftP99Ms(), s.e2eP50Ms(), s.e2eP95Ms(), s.e2eP99Ms(), s.costUsd(), s.costPerTrialUsd(),
                    s.inputTokens(), s.outputTokens(), s.cacheReadTokens(), s.cacheWriteTokens(), s.cacheHitRatio(),
                    s.unpricedTrials(), s.untimedTrials());
            case HistoryRow.Gate g -> batch(g, "gates", 9, runId, g.name(), g.subject(), g.outcome(), g.value(),
                    g.limitValue(), g.observed(), g.threshold(), g.reason());
            case HistoryRow.Trial t -> batch(t, "trials", 26, runId, t.trialId(), t.caseId(), t.model(), t.modelId(),
                    t.repeat(), t.pass(), t.errorClass(), t.skipped(), t.replayed(), t.untimed(), t.warmup(),
                    t.variant(), t.ttftMs(), t.ttfbMs(), t.e2eMs(), t.costUsd(), t.unpriced(), t.inputTokens(),
                    t.outputTokens(), t.cacheReadTokens(), t.cacheWriteTokens(), t.attempts(), t.startedAt(),
                    t.stopReason(), t.outputSha256());
            case HistoryRow.Check k -> batch(k, "checks", 6, runId, k.trialId(), k.idx(), k.type(), k.pass(), k.reason());
            case HistoryRow.Output o -> batch(o, "outputs", 4, runId, o.trialId(), o.outputText(), o.toolCallsJson());
        }
    }

    private void batch(HistoryRow row, String table, int columns, Object... values) throws SQLException {
        Batch b = batches.get(row.getClass());
        if (b == null) {
            b = new Batch(c.prepareStatement("INSERT INTO " + table + " VALUES (" + marks(columns) + ")"));
            batches.put(row.getClass(), b);
        }
        bind(b.insert, values);
        b.insert.addBatch();
        if (++b.pending >= BATCH) {
            b.insert.executeBatch();
            b.pending = 0;
        }
    }

    private void flush() throws SQLException {
        for (Batch b : batches.values()) {
            if (b.pending > 0) {
                b.insert.executeBatch();
                b.pending = 0;
            }
        }
    }

    private static void bind(PreparedStatement p, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            switch (v) {
                case null -> p.setNull(i + 1, Types.NULL);
                case Instant t -> p.setObject(i + 1, LocalDateTime.ofInstant(t, ZoneOffset.UTC));
                default -> p.setObject(i + 1, v);
            }
        }
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (Batch b : batches.values()) {
            try {
                b.insert.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
