package dev.sonde.run;

import dev.sonde.journal.TrialResult;

/** Hears about each trial as it finishes (for progress lines). Called from worker threads. */
@FunctionalInterface
public interface TrialListener {
    /** Hears nothing: for callers that show no progress. */
    TrialListener NONE = (result, done, total) -> { };

    /**
     * Called once per trial of an evaluation (never per benchmark request), after it was journaled and
     * counted, from whichever thread finished it (concurrently: implementations must be thread-safe).
     *
     * @param done trials counted so far, this one and any resumed from an earlier journal included
     * @param total trials in the plan, resumed ones included
     */
    void finished(TrialResult result, int done, int total);

    /** A one-line remark about the run (where the emulator listens, its seed, …). */
    default void note(String line) {}

    /**
     * A line the person running Sonde must see before anything is sent (the live-run banner: where
     * requests go, what they may cost, which key pays): shown even when progress is quiet.
     */
    default void announce(String line) {}
}
