package dev.sonde.history;

import java.nio.file.Path;

/**
 * What {@link HistoryStore#exportParquet} wrote.
 *
 * @param runs how many runs the file holds
 * @param trials how many trial rows
 * @param bytes the file's size
 */
public record Exported(Path file, int runs, long trials, long bytes) {}
