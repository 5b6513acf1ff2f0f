package dev.sonde.history;

/**
 * What {@link HistoryStore#prune} did.
 *
 * @param runsPruned runs whose outputs were deleted by this call
 * @param outputsDeleted output rows deleted
 * @param runsKept runs whose outputs are kept (the newest {@code keep} of each suite)
 * @param busy the store was held by another writer past the wait, so nothing was pruned
 */
public record Pruned(int runsPruned, long outputsDeleted, int runsKept, boolean busy) {}
