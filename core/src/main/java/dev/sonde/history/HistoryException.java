package dev.sonde.history;

/**
 * A history store that cannot be used as asked: a store newer than this Sonde, a file that is not a
 * store, a native library that cannot load, a run folder that is not a finished run.
 * {@link #getMessage()} is one line for the user, beginning with {@code history:}.
 */
public final class HistoryException extends Exception {
    /** A refusal described in one line. */
    public HistoryException(String message) {
        super(message);
    }
}
