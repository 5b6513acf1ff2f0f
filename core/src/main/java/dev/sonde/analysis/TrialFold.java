package dev.sonde.analysis;

import dev.sonde.journal.TrialResult;

/**
 * Something that learns from a run's trials one at a time, in journal order, holding what it needs
 * and never the trials themselves: a summary, a distribution, a report's rows, a file written as
 * the pass goes. Fed by {@link JournalPass}, so that every reader of a run shares one read of its
 * journal. Not thread-safe: one pass feeds it from one thread.
 */
@FunctionalInterface
public interface TrialFold {
    /** Takes the next trial of the journal. */
    void add(TrialResult trial);
}
