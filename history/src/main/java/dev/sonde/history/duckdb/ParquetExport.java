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
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Trials as one Parquet file (README "Parquet export"): one row per trial, the run's columns first,
 * then every column of {@code trials}, the trial's checks as a list and its output, written by
 * DuckDB's {@code COPY (SELECT …) TO … (FORMAT parquet, COMPRESSION zstd)}. The rows never pass
 * through the heap. DuckDB's joins of trials to their checks and outputs do not fit its 256 MB over a
 * million trials (measured: 200,000 trials of 150-byte outputs did not), so the runs are exported in
 * batches of at most {@link #BATCH_TRIALS} trials and {@link #BATCH_OUTPUT_BYTES} of outputs (a
 * larger run is cut by a hash of its trial ids), each batch to its own file under {@code
 * java.io.tmpdir}, and the batches are
 * then copied into one file, a scan that streams (1,000 runs × 1,000 trials: 17 s, 12 MB of heap).
 * Batches follow the runs' start; rows within a batch come in DuckDB's join order. The file appears whole or not at all: it is
 * written to a hidden {@code .part} file beside {@code out}, moved into place once complete and
 * deleted on failure. Spools are exported through a temporary store on disk under {@code
 * java.io.tmpdir} (deleted after, also on failure), loaded as the store loads them. Stateless.
 */
final class ParquetExport {
    /** The most trials one batch joins. */
    static final long BATCH_TRIALS = 50_000;
    /** The most output text and tool calls (characters) one batch joins. */
    static final long BATCH_OUTPUT_BYTES = 32L << 20;

    /** The export's rows of the runs in the temporary table {@code export_batch}. */
    private static final String SELECT = "WITH b AS (SELECT * FROM export_batch),"
            + " picked AS (SELECT * FROM runs WHERE run_id IN (SELECT run_id FROM b)),"
            + " tt AS (SELECT t.* FROM trials t JOIN b ON t.run_id = b.run_id AND hash(t.trial_id) % b.parts = b.part),"
            + " k AS (SELECT c.run_id, c.trial_id, list({'idx': c.idx, 'type': c.type, 'pass': c.pass,"
            + " 'reason': c.reason} ORDER BY c.idx) AS checks FROM checks c JOIN b ON c.run_id = b.run_id"
            + " AND hash(c.trial_id) % b.parts = b.part GROUP BY c.run_id, c.trial_id),"
            + " oo AS (SELECT o.* FROM outputs o JOIN b ON o.run_id = b.run_id AND hash(o.trial_id) % b.parts = b.part)"
            + " SELECT r.run_id, r.suite, r.started_at AS run_started_at, r.git_commit, r.dirty, r.sonde_version,"
            + " r.endpoint, r.live, r.pricing_version, t.trial_id, t.case_id, t.model, t.model_id, t.repeat_no,"
            + " t.pass, t.error_class, t.skipped, t.replayed, t.untimed, t.warmup, t.variant, t.ttft_ms, t.ttfb_ms,"
            + " t.e2e_ms, t.cost_usd, t.unpriced, t.input_tokens, t.output_tokens, t.cache_read_tokens,"
            + " t.cache_write_tokens, t.attempts, t.started_at, t.stop_reason, t.output_sha256,"
            + " coalesce(k.checks, []) AS checks, o.output_text, o.tool_calls_json"
            + " FROM picked r JOIN tt t ON t.run_id = r.run_id"
            + " LEFT JOIN k ON k.run_id = t.run_id AND k.trial_id = t.trial_id"
            + " LEFT JOIN oo o ON o.run_id = t.run_id AND o.trial_id = t.trial_id";
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
        return write(c, where, out, BATCH_TRIALS);
    }

    /** {@link #write(Connection, RunFilter.Where, Path)} with batches of at most {@code batchTrials} trials. */
    static Exported write(Connection c, RunFilter.Where where, Path out, long batchTrials)
            throws SQLException, IOException {
        Path target = out.toAbsolutePath().normalize();
        Path folder = Files.createDirectories(target.getParent());
        Path part = folder.resolve("." + target.getFileName() + "-" + Long.toHexString(NONCE.nextLong() >>> 1)
                + ".part");
        Path scratch = null;
        try {
            Batches batches = batches(c, where, batchTrials);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE OR REPLACE TEMP TABLE export_batch(run_id VARCHAR, part UBIGINT, parts UBIGINT)");
            }
            if (batches.shares().size() == 1) {
                copyBatch(c, batches.shares().get(0), part);
            } else {
                scratch = Files.createTempDirectory(TempSweep.EXPORT_PREFIX);
                List<String> files = new ArrayList<>();
                for (List<Share> batch : batches.shares()) {
                    Path file = scratch.resolve("batch-" + files.size() + ".parquet");
                    copyBatch(c, batch, file);
                    files.add(literal(file));
                }
                try (Statement s = c.createStatement()) {
                    s.execute("COPY (SELECT * FROM read_parquet([" + String.join(", ", files) + "])) TO "
                            + literal(part) + " (FORMAT parquet, COMPRESSION zstd)");
                }
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Exported(target, batches.runs(), batches.trials(), Files.size(target));
        } finally {
            Files.deleteIfExists(part);
            deleteTree(scratch);
        }
    }

    /**
     * One run's share of a batch: its trials whose {@code hash(trial_id) % parts} is {@code part}. A
     * run too large for one batch is cut into {@code parts} such shares; any other has one.
     */
    private record Share(String runId, long part, long parts) {}

    /** The picked runs' shares in batches, oldest start first; one empty batch when none is picked. */
    private record Batches(List<List<Share>> shares, int runs, long trials) {}

    private static Batches batches(Connection c, RunFilter.Where where, long batchTrials) throws SQLException {
        List<List<Share>> batches = new ArrayList<>();
        List<Share> batch = new ArrayList<>();
        long trialsInBatch = 0;
        long bytesInBatch = 0;
        int runs = 0;
        long trials = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT p.run_id, coalesce(t.n, 0), coalesce(o.bytes, 0)"
                + " FROM (SELECT run_id, started_at FROM runs WHERE " + where.sql() + ") p"
                + " LEFT JOIN (SELECT run_id, count(*) AS n FROM trials GROUP BY run_id) t ON t.run_id = p.run_id"
                + " LEFT JOIN (SELECT run_id, sum(coalesce(length(output_text), 0) + coalesce(length(tool_calls_json),"
                + " 0)) AS bytes FROM outputs GROUP BY run_id) o ON o.run_id = p.run_id"
                + " ORDER BY p.started_at, p.run_id")) {
            where.bind(p, 1);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long n = r.getLong(2);
                    long bytes = r.getLong(3);
                    long parts = Math.max(1, Math.max(ceilDiv(n, batchTrials), ceilDiv(bytes, BATCH_OUTPUT_BYTES)));
                    for (long part = 0; part < parts; part++) {
                        long shareTrials = ceilDiv(n, parts);
                        long shareBytes = ceilDiv(bytes, parts);
                        if (!batch.isEmpty() && (trialsInBatch + shareTrials > batchTrials
                                || bytesInBatch + shareBytes > BATCH_OUTPUT_BYTES)) {
                            batches.add(batch);
                            batch = new ArrayList<>();
                            trialsInBatch = 0;
                            bytesInBatch = 0;
                        }
                        batch.add(new Share(r.getString(1), part, parts));
                        trialsInBatch += shareTrials;
                        bytesInBatch += shareBytes;
                    }
                    runs++;
                    trials += n;
                }
            }
        }
        batches.add(batch);
        return new Batches(batches, runs, trials);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static void copyBatch(Connection c, List<Share> shares, Path file) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM export_batch");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO export_batch VALUES (?, ?, ?)")) {
            for (Share share : shares) {
                p.setString(1, share.runId());
                p.setLong(2, share.part());
                p.setLong(3, share.parts());
                p.addBatch();
            }
            p.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.execute("COPY (" + SELECT + ") TO " + literal(file) + " (FORMAT parquet, COMPRESSION zstd)");
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
