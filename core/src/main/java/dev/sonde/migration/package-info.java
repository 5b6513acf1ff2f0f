/**
 * Model against model: a suite's {@code compare:} section evaluated on a finished run — paired
 * pass rates with Newcombe's interval and McNemar's test, cost and token ratios and latency
 * percentiles with seeded cluster-bootstrap intervals over cases, a cost projection, the request
 * parameters that differ, and a plain-language recommendation.
 *
 * <p>Exports {@link dev.sonde.migration.Migration} (the collector fed by the run's one pass over
 * its journal, and the comparison made from it) and {@link dev.sonde.migration.ModelComparison}
 * (the result, as {@code results.json} carries it). Memory grows with cases, never with repeats.
 * Depends on {@code analysis}, {@code stats} and the rooms below them; {@code report},
 * {@code session} and {@code cli} use it.
 */
package dev.sonde.migration;
