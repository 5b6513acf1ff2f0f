package dev.sonde.session;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Whether a run adds itself to the run history store, and to which: {@code --history[=PATH]},
 * {@code --no-history} and {@code --history-wait}, over the suite's {@code history:}.
 *
 * @param choice {@link Choice#SUITE}: as the suite's {@code history:} says; {@link Choice#ON} even
 *     when it says nothing; {@link Choice#OFF} even when it says true
 * @param store with {@link Choice#ON}, the store file (relative to the run's working directory), or
 *     null for the suite's store, else the default one
 * @param lockWait how long the add waits for another writer before it queues the run in the store's inbox
 */
public record HistorySetting(Choice choice, Path store, Duration lockWait) {
    /** The wait when none is given. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    /** As the suite says, with the default wait. */
    public static final HistorySetting AS_SUITE = new HistorySetting(Choice.SUITE, null, DEFAULT_WAIT);

    /** Who decides. */
    public enum Choice { SUITE, ON, OFF }

    /** Refuses a null choice and a negative wait; a null wait is the default one. */
    public HistorySetting {
        if (choice == null) {
            throw new IllegalArgumentException("a history setting needs a choice");
        }
        lockWait = lockWait == null ? DEFAULT_WAIT : lockWait;
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("the history wait must be 0 or more, not " + lockWait);
        }
    }

    /** On, into {@code store} (null: the suite's store, else the default one). */
    public static HistorySetting on(Path store) {
        return new HistorySetting(Choice.ON, store, DEFAULT_WAIT);
    }

    /** Off, whatever the suite says. */
    public static HistorySetting off() {
        return new HistorySetting(Choice.OFF, null, DEFAULT_WAIT);
    }

    /** This setting with another wait. */
    public HistorySetting waiting(Duration lockWait) {
        return new HistorySetting(choice, store, lockWait);
    }
}
