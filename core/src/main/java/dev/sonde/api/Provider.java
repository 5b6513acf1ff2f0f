package dev.sonde.api;

/**
 * Turns one request into one HTTP exchange. Implementations never throw for API or network
 * failures: those come back classified in {@link Exchange#failure()}, with whatever arrived
 * before them. Thread-safe: the runner calls one provider from many threads.
 */
public interface Provider extends AutoCloseable {

    Exchange send(MessageRequest request) throws InterruptedException;

    /**
     * Counts the input tokens of {@code request} (a body the count-tokens endpoint takes) without
     * sending it to the model: the exchange's {@code usage.input_tokens} is the count, its failure
     * why there is none. Null when this API has no such endpoint.
     */
    default Exchange countTokens(MessageRequest request) throws InterruptedException {
        return null;
    }

    /** Where requests go, for messages and reports (never contains a secret). */
    String endpoint();

    /**
     * Lets go of the connections and the threads that serve them, once nothing more will be sent.
     * A provider left open keeps a thread in a native wait, and the JVM's exit waits 300 ms for
     * such a thread before it gives up: close providers before the process ends.
     */
    @Override
    default void close() {}
}
