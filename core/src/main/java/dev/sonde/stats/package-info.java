/**
 * The statistics every comparison shares, one implementation each (see docs/STATISTICS.md): the
 * one distribution ({@link dev.sonde.stats.Samples}, exact while small, then a histogram; {@link
 * dev.sonde.stats.LatencyHistogram} for nanosecond inputs), the bounded per-case sample ({@link
 * dev.sonde.stats.Reservoir}), the nearest-rank percentile ({@link dev.sonde.stats.Percentiles}),
 * the paired bootstrap of a run against its baseline ({@link dev.sonde.stats.PairedBootstrap}), the
 * unpaired tests and bootstrap intervals ({@link dev.sonde.stats.Significance}), the paired-proportion
 * interval and McNemar tests of a model comparison and of the pass-rate gate ({@link
 * dev.sonde.stats.PairedProportions}) and the model comparison's seeded cluster bootstrap over cases
 * ({@link dev.sonde.stats.CaseBootstrap}). Deterministic; the functions are pure and
 * thread-safe, the accumulators are not. Depends on no other room.
 */
package dev.sonde.stats;
