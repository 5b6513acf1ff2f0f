package dev.sonde.history.view;

import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.RunDiff;
import dev.sonde.history.RunQuery;
import dev.sonde.history.Trend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The store one viewer shows, read through the {@link HistoryStore} SPI: every call opens the store
 * for itself and closes it, so no connection outlives a page. Immutable and thread-safe.
 *
 * @param readWait how long a read waits while another program writes the store
 */
record Site(HistoryStore store, Path file, Duration readWait) {
    List<HistoryStore.StoredRun> runs(RunQuery query) throws HistoryException {
        return store.runs(file, query, readWait);
    }

    Trend trend(String suite, String model, int last, boolean shards) throws HistoryException {
        return store.trend(file, suite, model, last, shards, readWait);
    }

    RunDiff diff(String a, String b) throws HistoryException {
        return store.diff(file, a, b, readWait);
    }

    /** The stored run of this id. */
    Optional<HistoryStore.StoredRun> run(String runId) throws HistoryException {
        return runs(RunQuery.ALL).stream().filter(r -> r.run().runId().equals(runId)).findFirst();
    }
}
