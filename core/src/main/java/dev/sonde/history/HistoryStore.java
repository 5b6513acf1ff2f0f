package dev.sonde.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A run history store: the service a history module provides ({@code
 * META-INF/services/dev.sonde.history.HistoryStore}), found by {@link HistoryStores#find}.
 *
 * <p>Every call opens the store file, does its work and closes it, so no connection outlives a
 * call and a store file is never held between commands. One writer at a time: {@link #add} waits
 * for the store's lock up to a bound, and when the wait runs out it queues the run in the store's
 * inbox instead of failing; every writer imports the inbox first. A store file written by a newer
 * Sonde (a higher schema version) is refused with a {@link HistoryException} and never changed.
 * Later versions add reads (trends, diffs, export, pruning) as further methods beside these.
 */
public interface HistoryStore {
    /**
     * Adds the run in {@code spool} (written by {@link RunSpool#write}) to the store, replacing any
     * run of the same id, after the runs queued in the inbox. The store takes the spool file over:
     * it is deleted once imported, or moved into the inbox when queued.
     *
     * @param store the store file (created with its folder when absent)
     * @param wait how long to wait for another writer before queueing
     * @return what became of each run, the inbox's first and this spool's last
     * @throws HistoryException the store cannot be used (one line)
     */
    List<Added> add(Path store, Path spool, Duration wait) throws HistoryException;

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

    /** The runs in {@code store}, oldest start first; empty when the file does not exist. */
    List<StoredRun> runs(Path store) throws HistoryException;

    /** A run as the store holds it, with the number of trial rows it has. */
    record StoredRun(HistoryRow.Run run, long trials) {}
}
