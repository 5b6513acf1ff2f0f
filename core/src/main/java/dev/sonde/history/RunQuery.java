package dev.sonde.history;

import java.time.Instant;

/**
 * Which runs {@link HistoryStore#runs} lists; a null field does not filter.
 *
 * @param suite the suite's name as {@code run.json} gives it
 * @param verdict {@code pass}, {@code compared}, {@code fail} or {@code partial} ({@code results.json}'s verdict)
 * @param commit a prefix of the git commit (at least 4 hex digits)
 * @param since runs started at or after this instant
 * @param last at most this many runs, the newest ones; 0 for all
 */
public record RunQuery(String suite, String verdict, String commit, Instant since, int last) {
    /** Every run of the store. */
    public static final RunQuery ALL = new RunQuery(null, null, null, null, 0);

    public RunQuery {
        if (last < 0) {
            throw new IllegalArgumentException("last must be 0 (all) or positive: " + last);
        }
    }

    /** The newest {@code last} runs of {@code suite} (0 for all). */
    public static RunQuery suite(String suite, int last) {
        return new RunQuery(suite, null, null, null, last);
    }
}
