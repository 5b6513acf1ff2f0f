/**
 * The lint ({@code sonde lint}, and {@code sonde run} before it sends): {@code cache_control} placements
 * that cannot do what their author meant — a prefix that varies between cases, one below the model's minimum,
 * too many breakpoints, a 1h TTL after a 5m one — and model ids the pricing table does not price, each
 * reported where it is written in the suite.
 *
 * <p>Exports {@link dev.sonde.suite.lint.CacheLint}, {@link dev.sonde.suite.lint.ModelLint}, {@link
 * dev.sonde.suite.lint.LintWarning} and {@link dev.sonde.suite.lint.MinimumTokens} (each model's minimum, which
 * the caller takes from the emulator's table; the known model ids come from the caller too).
 * Depends on {@code suite} only; {@code session} and {@code cli} use it.
 */
package dev.sonde.suite.lint;
