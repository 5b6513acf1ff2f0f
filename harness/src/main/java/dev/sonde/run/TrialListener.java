package dev.sonde.run;

import dev.sonde.journal.TrialResult;

/** Hears about each trial as it finishes (for progress lines). Called from worker threads. */
@FunctionalInterface
public interface TrialListener {
    TrialListener NONE = (result, done, total) -> { };

    void finished(TrialResult result, int done, int total);

    /** A one-line remark about the run (where the emulator listens, its seed, …). */
    default void note(String line) {}
}
