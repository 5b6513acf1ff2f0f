package dev.sonde.suite;

import java.nio.file.Path;

/**
 * The suite's {@code history:}: the run adds itself to a run history store when it has finished
 * ({@code history: true}, or the store's path relative to the suite file). {@code --history} and
 * {@code --no-history} override it.
 *
 * @param store the store file, resolved against the suite's folder; null for the default store
 *     ({@code reports/history.duckdb} under the run's working directory, where {@code sonde history}
 *     looks)
 * @param at where {@code history:} is written, for a refusal that names it
 */
public record HistorySpec(Path store, Location at) {}
