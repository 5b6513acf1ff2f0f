package dev.sonde.api;

/**
 * Turns one request into one HTTP exchange. Implementations never throw for API or network
 * failures: those come back classified in {@link Exchange#failure()}, with whatever arrived
 * before them. Thread-safe: the runner calls one provider from many threads.
 */
public interface Provider {

    Exchange send(MessageRequest request) throws InterruptedException;

    /** Where requests go, for messages and reports (never contains a secret). */
    String endpoint();
}
