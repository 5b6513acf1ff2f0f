package dev.sonde.history.duckdb;

import dev.sonde.history.Pruned;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Deletes the stored outputs of every run but the newest {@code keep} of each suite (newest by
 * start, then run id), in one transaction on a store the caller holds as the writer. Only {@code
 * outputs} rows go: trials, checks, figures and output hashes stay. Each run whose outputs this call
 * removed gets {@code runs.outputs_pruned_at}; a run pruned before keeps its first time. A {@code
 * CHECKPOINT} follows the commit, so the freed blocks are reused by later imports (DuckDB 1.4.4 does
 * not shrink the file; README "Pruning stored outputs" has the figures). Stateless.
 */
final class Prune {
    /** The runs past the newest {@code keep} of their suite. */
    private static final String OLDER = "SELECT run_id FROM (SELECT run_id, row_number() OVER (PARTITION BY suite"
            + " ORDER BY started_at DESC, run_id DESC) AS newest FROM runs) WHERE newest > ?";

    private Prune() {}

    /** Prunes the store open read-write on {@code c}. */
    static Pruned run(Connection c, int keep, Instant now) throws SQLException {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be 0 or more: " + keep);
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        Pruned pruned;
        try {
            int runsPruned;
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET outputs_pruned_at = ? WHERE"
                    + " outputs_pruned_at IS NULL AND run_id IN (" + OLDER + ")")) {
                p.setObject(1, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
                p.setInt(2, keep);
                runsPruned = p.executeUpdate();
            }
            long deleted;
            try (PreparedStatement p = c.prepareStatement("DELETE FROM outputs WHERE run_id IN (" + OLDER + ")")) {
                p.setInt(1, keep);
                deleted = p.executeLargeUpdate();
            }
            int runs;
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM runs")) {
                r.next();
                runs = r.getInt(1);
            }
            pruned = new Pruned(runsPruned, deleted, runs - countOlder(c, keep), false);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
        return pruned;
    }

    private static int countOlder(Connection c, int keep) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM (" + OLDER + ")")) {
            p.setInt(1, keep);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
