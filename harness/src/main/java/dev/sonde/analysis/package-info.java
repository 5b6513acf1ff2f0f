/**
 * What a finished run says, learnt from its journal in one streaming pass.
 *
 * <p>Exports {@link dev.sonde.analysis.JournalPass} (one read of a journal fanned out to every
 * reader) and {@link dev.sonde.analysis.TrialFold} (what each reader implements). The figures
 * themselves still live with the rooms that show them (baseline digest, report scans); they move
 * here as the renovation goes on. Depends on {@code journal} and the rooms below it.
 */
package dev.sonde.analysis;
