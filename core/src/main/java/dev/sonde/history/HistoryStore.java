package dev.sonde.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run history store: the service a history module provides ({@code
 * META-INF/services/dev.sonde.history.HistoryStore}), found by {@link HistoryStores#find}.
 *
 * <p>Every call opens the store file, does its work and closes it, so no connection outlives a
 * call and a store file is never held between commands. One writer at a time: {@link #add} waits
 * for the store's lock up to a bound, and when the wait runs out it queues the run in the store's
 * inbox instead of failing; every writer imports the inbox first. A store file written by a newer
 * Sonde (a higher schema version) is refused with a {@link HistoryException} and never changed.
 * Reads never take the writers' lock: they open the file read-only for the call.
 */
public interface HistoryStore {
    /** How long a read waits by default while another program writes the store. */
    Duration READ_WAIT = Duration.ofSeconds(30);

    /**
     * Adds the run in {@code spool} (written by {@link RunSpool#write}) to the store, replacing any
     * run of the same id, after the runs queued in the inbox. The store takes the spool file over:
     * it is deleted once imported, or moved into the inbox when queued. When the store refuses as a
     * whole (a newer schema, a library that cannot load) the spool is left where it was, and the
     * exception's line names it.
     *
     * @param store the store file (created with its folder when absent)
     * @param wait how long to wait for another writer before queueing
     * @return what became of each run, the inbox's first and this spool's last
     * @throws HistoryException the store cannot be used, or refused this run's rows (one line naming
     *     where the run is kept)
     */
    default List<Added> add(Path store, Path spool, Duration wait) throws HistoryException {
        List<Added> added = add(store, List.of(spool), wait, a -> {});
        if (!added.isEmpty() && added.get(added.size() - 1) instanceof Added.SetAside refused) {
            throw new HistoryException("history: " + store.toAbsolutePath().normalize() + ": " + refused.why()
                    + "; the run is kept in " + refused.file());
        }
        return added;
    }

    /**
     * Adds the runs of several spools as {@link #add(Path, Path, Duration)} adds one, under one lock
     * and on one connection (a store's open and close cost tens of milliseconds; 200 runs added one
     * call each took seconds), each run in its own transaction, in the order given.
     *
     * @param each told of each run as it goes in (the inbox's first), before the call returns
     * @return what became of each run, in the order {@code each} was told; a run whose rows the store
     *     refused is {@link Added.SetAside}, kept in the inbox as {@code <run_id>.jsonl.damaged}, and the
     *     runs after it still go in
     * @throws HistoryException the store cannot be used (the spools not yet imported are left where
     *     they were)
     */
    List<Added> add(Path store, List<Path> spools, Duration wait, Consumer<Added> each) throws HistoryException;

    /**
     * Loads what this store's first call needs (DuckDB's native library, unpacked and linked), so that
     * a caller can pay for it while other work runs: a run calls it as its requests start, and its
     * add after the run no longer waits for the library. Nothing else; never fails (a store that
     * cannot load says so on its first real call). Thread-safe.
     */
    default void prepare() {}

    /**
     * Imports the runs queued in the store's inbox, as {@link #add} does before its own run; nothing
     * when there is no inbox, or when another writer holds the store past {@code wait} (that writer
     * imports them).
     *
     * @return what became of each queued run
     * @throws HistoryException the store cannot be used (one line)
     */
    List<Added> importInbox(Path store, Duration wait) throws HistoryException;

    /** How many runs wait in the store's inbox. */
    int queued(Path store) throws HistoryException;

    /**
     * The runs {@code query} picks, oldest start first; empty when the file does not exist. Reads
     * open the store read-only for the call and wait up to {@code wait} while another program writes
     * it (DuckDB refuses a reader then), failing in one line past it.
     */
    List<StoredRun> runs(Path store, RunQuery query, Duration wait) throws HistoryException;

    /**
     * One suite's figures over its newest {@code last} runs (0 for all), from the figures each run
     * reported; {@code model} null for the whole run, else that model label's figures. A run of one
     * shard of a split plan or a selected part ({@code -part}) is left out unless {@code shards} (its
     * figures cover part of the suite); {@link Trend#shardsLeftOut} counts them.
     */
    Trend trend(Path store, String suite, String model, int last, boolean shards, Duration wait)
            throws HistoryException;

    /** {@link #trend(Path, String, String, int, boolean, Duration)} without shard runs. */
    default Trend trend(Path store, String suite, String model, int last, Duration wait) throws HistoryException {
        return trend(store, suite, model, last, false, wait);
    }

    /**
     * Two stored runs side by side.
     *
     * @throws HistoryException either id is not in the store (one line naming it)
     */
    RunDiff diff(Path store, String runA, String runB, Duration wait) throws HistoryException;

    /**
     * Writes the trials of the runs in {@code spools} (each written by {@link RunSpool#write}) to one
     * Parquet file, replacing {@code out}; needs no store. The schema is README's "Parquet export".
     */
    Exported exportParquet(List<Path> spools, Path out) throws HistoryException;

    /** Writes the trials of the stored runs {@code query} picks to one Parquet file, as above. */
    Exported exportParquet(Path store, RunQuery query, Path out, Duration wait) throws HistoryException;

    /**
     * Deletes the stored outputs of every run but the newest {@code keep} of each suite (trials,
     * checks, figures and output hashes stay, so diffs still say "changed"). A writer: waits for the
     * lock up to {@code wait}, then returns {@link Pruned#busy} having changed nothing.
     */
    Pruned prune(Path store, int keep, Duration wait) throws HistoryException;

    /**
     * Starts {@code sonde view} over {@code store}: a web server on 127.0.0.1 that reads the store
     * through this interface for each page (never holding it open between pages), until
     * {@link Viewer#close}. A store file that does not exist yet shows as no runs.
     *
     * @throws HistoryException the port cannot be bound (one line)
     */
    Viewer view(Path store, ViewOptions options) throws HistoryException;

    /** A run as the store holds it, with the number of trial rows it has. */
    record StoredRun(HistoryRow.Run run, long trials) {}
}
