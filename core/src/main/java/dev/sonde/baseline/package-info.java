/**
 * The stored run and the comparison with it: a baseline file written from an accepted run, and a new run judged
 * against it by the gates of a suite's {@code baseline:} (new failures, pass rate, latency percentiles, cost,
 * cache hit ratio), each decision with its statistical evidence. Run and baseline are matched case × model; a shard
 * is compared on its own pairs ({@link dev.sonde.baseline.PlannedPairs}); a baseline may hold several runs.
 *
 * <p>Exports {@link dev.sonde.baseline.Baselines} (the front door: write, compare, check gates), {@link
 * dev.sonde.baseline.Comparison} with its {@link dev.sonde.baseline.Verdict} and {@link
 * dev.sonde.baseline.GateResult}s, {@link dev.sonde.baseline.BaselineFile}, {@link
 * dev.sonde.baseline.RunDigest} (what a comparison learns in the run's one pass) and {@link
 * dev.sonde.baseline.PlannedPairs}. Depends on {@code analysis}, {@code run} and the rooms below.
 */
package dev.sonde.baseline;
