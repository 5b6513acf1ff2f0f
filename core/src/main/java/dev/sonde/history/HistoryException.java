package dev.sonde.history;

/**
 * A history store that cannot be used as asked: a store newer than this Sonde, a file that is not a
 * store, a native library that cannot load, a run folder that is not a finished run.
 * {@link #getMessage()} is one line for the user, beginning with {@code history:}.
 */
public final class HistoryException extends Exception {
    private final boolean busy;

    /** A refusal described in one line. */
    public HistoryException(String message) {
        this(message, false);
    }

    /** @param busy another program held the store past the caller's wait (see {@link #busy}) */
    public HistoryException(String message, boolean busy) {
        super(message);
        this.busy = busy;
    }

    /** Whether the store was held by another program past the wait: the same call may work later. */
    public boolean busy() {
        return busy;
    }
}
