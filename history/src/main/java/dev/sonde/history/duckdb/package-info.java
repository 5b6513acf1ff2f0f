/**
 * The DuckDB history store ({@link dev.sonde.history.duckdb.DuckDbStore}, the module's
 * {@link dev.sonde.history.HistoryStore} service): the schema and its migrations ({@code Schema}),
 * the import of a spool in one transaction ({@code SpoolImport}), one writer at a time
 * ({@code StoreLock}, with the store's inbox), and the reads — runs by query, trends, diffs —
 * on a read-only connection ({@code Reads}, {@code RunFilter}). Part of the {@code history} room.
 */
package dev.sonde.history.duckdb;
