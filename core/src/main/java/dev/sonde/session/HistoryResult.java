package dev.sonde.session;

import java.util.List;

/**
 * What a run's add to the run history store came to, as the lines to print: the run imported or
 * queued ({@code recorded}; runs the store's inbox held come first), or not recorded, with where the
 * run's rows are kept and how to add it later. Never changes the run's exit code.
 *
 * @param recorded the run is in the store or queued in its inbox
 * @param lines one line per run the add touched, this run's last
 */
public record HistoryResult(boolean recorded, List<String> lines) {
    /** Copies the lines unmodifiable. */
    public HistoryResult {
        lines = List.copyOf(lines);
    }
}
