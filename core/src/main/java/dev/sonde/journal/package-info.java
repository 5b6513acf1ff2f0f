/**
 * The saved run: the contract between the run that writes it and everything that reads it later.
 *
 * <p>Owns {@link dev.sonde.journal.TrialResult} (one finished trial, one JSON line of {@code
 * trials.jsonl}, built with its builder), {@link dev.sonde.journal.RunInfo} (what the run was),
 * {@link dev.sonde.journal.Journal} (append-and-flush writing, streaming reads that tolerate a
 * torn last line and report any other damaged line as a {@link dev.sonde.journal.JournalDamage},
 * its repair, and the one JSON mapper for run files), {@link dev.sonde.journal.JsonlRepair} (the
 * repair of any JSONL file of records under a caller's rule: intact lines kept, damaged ones set
 * aside), {@link dev.sonde.journal.SequenceManifest} (the cache variants a run planned), {@link
 * dev.sonde.journal.AtomicFile} (the one all-or-nothing file writer every output uses) and {@link
 * dev.sonde.journal.RunLock} (one command writing a run folder at a time). Depends on
 * {@code metrics}, {@code suite}, {@code api} (an error's class) and {@code check} only.
 */
package dev.sonde.journal;
