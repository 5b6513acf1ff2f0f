/**
 * The DuckDB history store ({@link dev.sonde.history.duckdb.DuckDbStore}, the module's
 * {@link dev.sonde.history.HistoryStore} service): schema v1 and its migrations ({@code Schema}),
 * the import of a spool in one transaction ({@code SpoolImport}), and one writer at a time
 * ({@code StoreLock}, with the store's inbox). Part of the {@code history} room.
 */
package dev.sonde.history.duckdb;
