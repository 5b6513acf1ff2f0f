/**
 * What a finished run says, learnt from its journal in one streaming pass.
 *
 * <p>Exports {@link dev.sonde.analysis.RunAnalysis} (every figure the verdicts and outputs take:
 * summary, aggregates, grader totals, turns, failing trials, cache variants, benchmark steps, the
 * HTML report's case scan), {@link dev.sonde.analysis.JournalPass} (one read of a journal fanned out
 * to every reader) and {@link dev.sonde.analysis.TrialFold} (what each reader implements), with the
 * value types they hand out. Memory grows with models, cases and variants, never with trials.
 * Depends on {@code journal}, {@code run} and the rooms below them.
 */
package dev.sonde.analysis;
