package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Receives one response body and turns it into an {@link Exchange}, completing the future it is
 * given. Created when the response headers arrive (that instant is TTFB, from the start the
 * transport gives: the request on the wire); each chunk is timestamped in {@link #onNext} before it
 * is parsed, so parsing cost never shifts a timing. An SSE body (status 200,
 * {@code text/event-stream}) goes through {@link SseParser} into the protocol's {@link StreamDecoder},
 * an AWS event stream (status 200, {@code application/vnd.amazon.eventstream}: Bedrock's
 * InvokeModelWithResponseStream) through {@link EventStreamFramer} into the same decoder; any
 * other body is buffered and parsed as a message or an error when complete (an error AWS answered,
 * with {@code x-amzn-ErrorType}, by {@link AwsErrors}). A body that breaks
 * off still yields an exchange with what arrived and a {@code stream_broken} failure. The body
 * callbacks and {@link #abort} are synchronized: a timeout may abort while a chunk is parsed; the
 * first outcome wins and later callbacks are ignored.
 */
final class ExchangeSubscriber {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final int status;
    private final String requestId;
    private final ServerHints hints;
    private volatile long lastChunkNanos;
    private final ObjectMapper json;
    private final Clock clock;
    private final long startNanos;
    private final long headersNanos;
    private final String requestedModel;
    private final WireProtocol protocol;
    private final SecretMask mask;
    private final StreamDecoder stream;
    private final SseParser parser;
    private final EventStreamFramer frames;
    /** The {@code x-amzn-ErrorType} header, which says AWS answered an error; null when absent. */
    private final String awsErrorType;
    private final ByteArrayOutputStream buffer;
    /** A successful response longer than this is cut ({@link MessageRequest#maxResponseBytes()}). */
    private final long maxBytes;
    /** The request's output limit, which a believable usage never passes ({@link UsageCheck}); 0 for none. */
    private final long maxOutput;
    private long received;
    private boolean cut;
    private final CompletableFuture<Exchange> result;
    /** Stops the response: the connection is closed (a cut body, a timeout). */
    private final Runnable cancel;

    /**
     * @param startNanos when the request went on the wire; every timing counts from it
     * @param headersNanos when the response headers arrived
     * @param loopback the server is on a loopback address, whose emulator-filler mark is believed ({@link ServerHints})
     * @param result completed with the exchange once, by whichever of the body's end, its failure
     *     or {@link #abort} comes first
     * @param cancel stops the response (closing its connection) when the body is cut
     */
    ExchangeSubscriber(int status, HttpHeaders headers, boolean loopback, WireProtocol protocol, ObjectMapper json, Clock clock,
            long startNanos, long headersNanos, String requestedModel, SecretMask mask, long maxBytes, long maxOutput,
            CompletableFuture<Exchange> result, Runnable cancel) {
        this.protocol = protocol;
        this.maxOutput = maxOutput;
        this.maxBytes = maxBytes;
        this.mask = mask;
        this.result = result;
        this.cancel = cancel;
        this.headersNanos = headersNanos;
        this.status = status;
        this.requestId = headers.firstValue("request-id")
                .or(() -> headers.firstValue("x-request-id"))
                .or(() -> headers.firstValue("x-amzn-requestid")).orElse(null); // AWS's own
        this.hints = ServerHints.from(headers, clock.now(), loopback);
        this.lastChunkNanos = headersNanos;
        this.json = json;
        this.clock = clock;
        this.startNanos = startNanos;
        this.requestedModel = requestedModel;
        this.awsErrorType = headers.firstValue("x-amzn-errortype").orElse(null);
        String type = headers.firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        boolean sse = type.startsWith("text/event-stream");
        if (status == 200 && (sse || type.startsWith("application/vnd.amazon.eventstream"))) {
            stream = protocol.decoder(json, startNanos, requestedModel);
            stream.headersAt(headersNanos);
            parser = sse ? new SseParser(stream) : null;
            frames = sse ? null : new EventStreamFramer(stream, json, mask);
            buffer = null;
        } else {
            stream = null;
            parser = null;
            frames = null;
            // sized to the body the server announced (within bounds), so a small answer is not copied twice
            long announced = announcedLength(headers);
            buffer = new ByteArrayOutputStream(announced > 0 ? (int) Math.min(announced, status == 200 ? 65_536 : 512)
                    : status == 200 ? 2048 : 512);
        }
    }

    /** The body's length as the server announced it, or -1 (none, or not a number: a hostile server's word). */
    private static long announcedLength(HttpHeaders headers) {
        try {
            return headers.firstValueAsLong("content-length").orElse(-1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One body chunk, read before this returns (the client reuses its buffer). */
    synchronized void onNext(ByteBuffer chunk) {
        long at = clock.nanoTime();
        lastChunkNanos = at;
        if (cut || result.isDone()) {
            return;
        }
        if (status == 200) {
            received += chunk.remaining();
            if (received > maxBytes) {
                cut = true;
                complete(abortedExchange(ErrorClass.PROTOCOL, "the response passed " + maxBytes
                        + " bytes, 8 times what its max_tokens could need: cut"));
                cancel.run();
                return;
            }
        }
        if (stream != null) {
            if (parser != null) {
                parser.feed(chunk, at);
            } else {
                frames.feed(chunk, at);
            }
            if (stream.finished()) {
                // message_stop or an error event ends the exchange even if the server keeps the body
                // open; the connection is left to end the body (kept alive when it does)
                complete(stream.toExchange(status, requestId, hints));
            }
            return;
        }
        int n = chunk.remaining();
        if (status != 200 && buffer.size() + n > MAX_ERROR_BODY) {
            n = Math.max(0, MAX_ERROR_BODY - buffer.size());
        }
        byte[] bytes = new byte[n];
        chunk.get(bytes);
        buffer.writeBytes(bytes);
    }

    /** The body failed: what arrived, as {@code stream_broken} (or a timeout the client's backstop fired). */
    synchronized void onError(Throwable t) {
        if (cut || result.isDone()) {
            return; // the cancel that cut the body, or the end of a finished stream, reports itself here
        }
        if (causedByTimeout(t)) {
            complete(abortedExchange(ErrorClass.TIMEOUT_TOTAL, "no complete response within the request timeout"));
        } else {
            complete(abortedExchange(ErrorClass.STREAM_BROKEN, "connection failed mid-body: " + t.getClass().getSimpleName()));
        }
    }

    /** The body ended. */
    synchronized void onComplete() {
        if (cut || result.isDone()) {
            return;
        }
        long at = clock.nanoTime();
        if (stream != null) {
            if (frames != null && frames.midFrame()) {
                stream.fail(ErrorClass.STREAM_BROKEN, null, "the event stream ended mid-frame");
            }
            complete(stream.toExchange(status, requestId, hints));
        } else {
            complete(fromBody(at));
        }
    }

    private static boolean causedByTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.http.HttpTimeoutException || c instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** When the last body chunk (or the headers) arrived, on the client's clock. */
    long lastChunkNanos() {
        return lastChunkNanos;
    }

    /** Whether this is a stream whose first content delta has arrived. */
    synchronized boolean streamHasContent() {
        return stream != null && stream.hasContent();
    }

    boolean isStream() {
        return stream != null;
    }

    /** Stops reading (timeout) and returns the exchange as far as it got, failed with {@code cls}. */
    synchronized Exchange abort(ErrorClass cls, String message) {
        if (!result.isDone()) {
            complete(abortedExchange(cls, message)); // first: cancelling reports an error of its own
        }
        cancel.run();
        return result.join();
    }

    private Exchange abortedExchange(ErrorClass cls, String message) {
        if (stream != null) {
            stream.fail(cls, null, message);
            return stream.toExchange(status, requestId, hints);
        }
        return new Exchange(status, requestId, requestedModel, List.of(), null, null, Usage.NONE,
                new Timings(headersNanos - startNanos, Timings.ABSENT, Timings.ABSENT, Timings.ABSENT, new long[0], 0),
                new ApiFailure(cls, status, null, message), hints);
    }

    private void complete(Exchange e) {
        result.complete(UsageCheck.checked(e, maxOutput, protocol.usageRequired()));
    }

    private Exchange fromBody(long at) {
        byte[] body = buffer.toByteArray();
        long ttfb = headersNanos - startNanos;
        if (status < 200 || status > 299) {
            Timings t = new Timings(ttfb, Timings.ABSENT, Timings.ABSENT, at - startNanos, new long[0], 0);
            if (!mask.isEmpty()) {
                // masked whole, before the error reader keeps only the start of a non-JSON page
                body = mask.mask(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            ApiFailure failure = awsErrorType != null ? AwsErrors.httpError(status, awsErrorType, body, json, mask)
                    : protocol.error(status, body, json);
            return new Exchange(status, requestId, requestedModel, List.of(), null, null, Usage.NONE, t, failure, hints);
        }
        Timings t = new Timings(ttfb, Timings.ABSENT, Timings.ABSENT, at - startNanos, new long[0], 0);
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (IOException e) {
            return new Exchange(status, requestId, requestedModel, List.of(), null, null, Usage.NONE, t,
                    new ApiFailure(ErrorClass.PROTOCOL, status, null, "response body is not JSON"), hints);
        }
        Exchange parsed = protocol.message(status, requestId, hints, message, t, requestedModel);
        if (parsed == null) {
            return new Exchange(status, requestId, requestedModel, List.of(), null, null, Usage.NONE, t,
                    new ApiFailure(ErrorClass.PROTOCOL, status, null, "response is not a message of this API"), hints);
        }
        return parsed;
    }
}
