package dev.sonde.history;

import java.net.URI;

/**
 * A running {@code sonde view}: a web server on the loopback interface that reads a history store
 * for each page it serves and holds no connection between pages, so writers are never blocked by
 * an open viewer. Thread-safe; {@link #close} may be called from a shutdown hook while another
 * thread is in {@link #join}.
 */
public interface Viewer extends AutoCloseable {
    /** {@code http://127.0.0.1:<port>/}, the address to open. */
    URI uri();

    /** Blocks until the server has stopped ({@link #close}). */
    void join() throws InterruptedException;

    /** Stops the server; pages being served get up to a second to finish. Idempotent. */
    @Override
    void close();
}
