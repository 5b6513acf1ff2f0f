/**
 * The floor every room stands on: the one clock, an exchange's timings, token usage, the pricing table and
 * what a response costs, the one way human-readable reports format numbers, and bounded reading of outside input.
 *
 * <p>Exports {@link dev.sonde.metrics.Clock} (and {@link dev.sonde.metrics.VirtualClock}), {@link
 * dev.sonde.metrics.Timings} (ns) and {@link dev.sonde.metrics.TimingsMillis} (ms, as files hold them), {@link
 * dev.sonde.metrics.Usage}, {@link dev.sonde.metrics.PricingTable} with {@link dev.sonde.metrics.Cost}, {@link
 * dev.sonde.metrics.CostByKind}, {@link dev.sonde.metrics.TokensByKind} and {@link dev.sonde.metrics.ModelPrice},
 * {@link dev.sonde.metrics.Repricing}, {@link dev.sonde.metrics.Fmt}, {@link dev.sonde.metrics.Jackson} and
 * {@link dev.sonde.metrics.RequestHashes} (the plan builds them, run.json records them) and {@link
 * dev.sonde.metrics.Utf8Keys} (many short strings held as UTF-8 and sorted without strings: request hashes, closed
 * cases), and how a file people hand Sonde is read: {@link dev.sonde.metrics.BoundedFiles} and {@link
 * dev.sonde.metrics.BoundedInput} (regular files only, within a limit, lines bounded) and {@link dev.sonde.metrics.Yaml}
 * (the one YAML reader, linear in time up to 64 MB), and {@link dev.sonde.metrics.Version} (Sonde's own, which
 * run.json and the history store record). Depends on no other room.
 */
package dev.sonde.metrics;
