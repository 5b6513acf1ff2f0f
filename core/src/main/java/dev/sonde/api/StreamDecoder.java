package dev.sonde.api;

/**
 * Turns the SSE events of one streamed response into an {@link Exchange}, timing each event from
 * its arrival. One implementation per wire protocol; not thread-safe (the subscriber serialises).
 */
interface StreamDecoder extends SseParser.Listener {

    void headersAt(long nanos);

    /** The stream reached its end marker or an error event: nothing more is needed. */
    boolean finished();

    /** A content delta with a payload has arrived (the first-token deadline no longer applies). */
    boolean hasContent();

    void fail(ErrorClass errorClass, String type, String message);

    /** The exchange as far as it got; a stream that ended before its end marker is broken. */
    Exchange toExchange(int status, String requestId, ServerHints hints);
}
