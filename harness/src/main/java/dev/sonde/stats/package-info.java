/**
 * The statistics every comparison shares, one implementation each (see docs/STATISTICS.md): the
 * nearest-rank percentile ({@link dev.sonde.stats.Percentiles}), the tests and bootstrap intervals
 * of a baseline comparison ({@link dev.sonde.stats.Significance}), the paired-proportion interval
 * and McNemar test of a model comparison ({@link dev.sonde.stats.PairedProportions}) and its
 * seeded cluster bootstrap over cases ({@link dev.sonde.stats.CaseBootstrap}). Pure functions,
 * deterministic, thread-safe. Depends on {@code metrics} only.
 */
package dev.sonde.stats;
