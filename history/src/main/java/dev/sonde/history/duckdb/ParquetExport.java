package dev.sonde.history.duckdb;

import dev.sonde.history.Exported;
import dev.sonde.history.HistoryException;
import dev.sonde.metrics.Version;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Trials as one Parquet file (README "Parquet export"): one row per trial, the run's columns first,
 * then every column of {@code trials}, the trial's checks as a list and its output, written by one
 * DuckDB {@code COPY (SELECT …) TO … (FORMAT parquet, COMPRESSION zstd)}, which streams: neither the
 * heap nor DuckDB's memory limit holds the rows. The file appears whole or not at all: DuckDB writes
 * a hidden {@code .part} file beside {@code out}, moved into place once complete and deleted on
 * failure. Spools are exported through a temporary store on disk under {@code java.io.tmpdir}
 * (deleted after, also on failure), loaded as the store loads them. Stateless.
 */
final class ParquetExport {
    /** The export's rows; {@code %s} is a {@link RunFilter} condition on {@code run_id}. */
    private static final String SELECT = "WITH picked AS (SELECT * FROM runs WHERE %1$s),"
            + " k AS (SELECT run_id, trial_id, list({'idx': idx, 'type': type, 'pass': pass, 'reason': reason}"
            + " ORDER BY idx) AS checks FROM checks WHERE run_id IN (SELECT run_id FROM picked)"
            + " GROUP BY run_id, trial_id)"
            + " SELECT r.run_id, r.suite, r.started_at AS run_started_at, r.git_commit, r.dirty, r.sonde_version,"
            + " r.endpoint, r.live, r.pricing_version, t.trial_id, t.case_id, t.model, t.model_id, t.repeat_no,"
            + " t.pass, t.error_class, t.skipped, t.replayed, t.untimed, t.warmup, t.variant, t.ttft_ms, t.ttfb_ms,"
            + " t.e2e_ms, t.cost_usd, t.unpriced, t.input_tokens, t.output_tokens, t.cache_read_tokens,"
            + " t.cache_write_tokens, t.attempts, t.started_at, t.stop_reason, t.output_sha256,"
            + " coalesce(k.checks, []) AS checks, o.output_text, o.tool_calls_json"
            + " FROM picked r JOIN trials t ON t.run_id = r.run_id"
            + " LEFT JOIN k ON k.run_id = t.run_id AND k.trial_id = t.trial_id"
            + " LEFT JOIN outputs o ON o.run_id = t.run_id AND o.trial_id = t.trial_id";
    private static final SecureRandom NONCE = new SecureRandom();

    private ParquetExport() {}

    /** Opens a DuckDB file read-write with external access on (the one kind of connection COPY TO needs). */
    @FunctionalInterface
    interface Opener {
        Connection open(Path file) throws HistoryException;
    }

    /**
     * Loads {@code spools} into a temporary store and writes its trials to {@code out}. A run id given
     * twice is exported once (the later spool replaces it, as in the store).
     *
     * @throws HistoryException a spool is not a spool, or a file cannot be written (one line)
     */
    static Exported fromSpools(List<Path> spools, Path out, Instant now, Opener opener) throws HistoryException {
        Path folder = null;
        try {
            folder = Files.createTempDirectory(TempSweep.EXPORT_PREFIX);
            try (Connection c = opener.open(folder.resolve("export.duckdb"))) {
                Schema.migrate(c, folder.resolve("export.duckdb"), now, Version.current());
                for (Path spool : spools) {
                    try {
                        SpoolImport.run(c, spool, now, false);
                    } catch (IOException | SQLException e) {
                        throw new HistoryException("history: cannot export " + spool + ": " + oneLine(e.getMessage()));
                    }
                }
                return write(c, new RunFilter.Where("TRUE", List.of()), out);
            }
        } catch (SQLException e) {
            throw new HistoryException("history: cannot export to " + out + ": " + oneLine(e.getMessage()));
        } catch (IOException e) {
            throw new HistoryException("history: cannot export to " + out + ": " + oneLine(e.toString()));
        } finally {
            deleteTree(folder);
        }
    }

    /**
     * Writes the trials of the runs {@code where} picks on {@code c} to {@code out}, replacing it.
     *
     * @throws IOException {@code out}'s folder cannot be made, or the file cannot be moved into place
     */
    static Exported write(Connection c, RunFilter.Where where, Path out) throws SQLException, IOException {
        Path target = out.toAbsolutePath().normalize();
        Path folder = Files.createDirectories(target.getParent());
        Path part = folder.resolve("." + target.getFileName() + "-" + Long.toHexString(NONCE.nextLong() >>> 1)
                + ".part");
        try {
            int runs;
            long trials;
            try (PreparedStatement p = c.prepareStatement("SELECT (SELECT count(*) FROM runs WHERE " + where.sql()
                    + "), (SELECT count(*) FROM trials WHERE " + where.sql() + ")")) {
                where.bind(p, where.bind(p, 1));
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    runs = r.getInt(1);
                    trials = r.getLong(2);
                }
            }
            try (PreparedStatement p = c.prepareStatement("COPY (" + String.format(SELECT, where.sql()) + ") TO "
                    + literal(part) + " (FORMAT parquet, COMPRESSION zstd)")) {
                where.bind(p, 1);
                p.execute();
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Exported(target, runs, trials, Files.size(target));
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** A path as an SQL string literal (COPY's target is not a parameter); quotes doubled. */
    private static String literal(Path file) {
        return "'" + file.toString().replace("'", "''") + "'";
    }

    private static void deleteTree(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // left under java.io.tmpdir; the next store open past an hour sweeps it (TempSweep)
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").strip();
    }
}
