package dev.sonde.history;

import java.time.Duration;

/**
 * How {@link HistoryStore#view} serves a store.
 *
 * @param port the loopback port to listen on, 0 for any free one
 * @param readWait how long a page waits while another program writes the store before it shows an error
 */
public record ViewOptions(int port, Duration readWait) {
    /** A page waits this long for a writer by default: an import holds the store for about a second. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    public ViewOptions {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free one) to 65535: " + port);
        }
        if (readWait == null || readWait.isNegative()) {
            throw new IllegalArgumentException("readWait must be 0 or more: " + readWait);
        }
    }

    /** Any free port, the default wait. */
    public static ViewOptions anyPort() {
        return new ViewOptions(0, DEFAULT_WAIT);
    }
}
