/**
 * Run history: what a finished run becomes in a history store, and how Sonde finds the store.
 *
 * <p>Owns {@link dev.sonde.history.HistoryRow} (the rows one run adds: the run, its models, its
 * figures from {@code results.json}, its gates, and per trial the trial, its checks and its output),
 * {@link dev.sonde.history.RunSpool} (a finished run folder mapped to those rows in one
 * self-contained JSONL file, read back row by row), the {@link dev.sonde.history.HistoryStore} SPI
 * a store implements (module {@code history/}, {@code sonde-history}, with DuckDB), and
 * {@link dev.sonde.history.HistoryStores}, which finds one ({@code Found}) or says why there is none
 * and how to get one ({@code Missing}). Nothing here needs a database. Depends on {@code metrics}, {@code api}
 * (masking), {@code check} (a check's result), {@code journal} and {@code analysis} (the one pass
 * over a journal) only.
 */
package dev.sonde.history;
