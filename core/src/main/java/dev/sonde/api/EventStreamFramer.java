package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Reads an {@code application/vnd.amazon.eventstream} body (Bedrock's InvokeModelWithResponseStream)
 * into a Messages {@link StreamDecoder}: each {@code chunk} event's payload {@code {"bytes": base64}}
 * is one Messages stream event's JSON, given to the decoder with the arrival time of the chunk that
 * completed its frame (the same timing as an SSE event). Frames are decoded by the AWS SDK's
 * {@link MessageDecoder}, which checks the prelude and message CRCs.
 *
 * <p>What fails the stream, with what arrived kept: a CRC failure or a frame that cannot be read
 * ({@code stream_broken}, retried like a broken SSE stream); a frame announced longer than
 * {@value #MAX_FRAME_BYTES} bytes ({@code protocol}, read no further); an exception frame
 * ({@code :message-type exception}) or error frame, classed by {@link AwsErrors} with its message.
 * The decoder buffers a truncated last frame silently, so this class counts each frame's bytes
 * itself: {@link #midFrame()} says whether a body that ended now was cut. Not thread-safe (the
 * subscriber serialises).
 */
final class EventStreamFramer {
    /** The longest frame read; AWS's own decoder would buffer up to 24 MiB of payload. */
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** total length, headers length, prelude CRC, message CRC */
    private static final int MIN_FRAME_BYTES = 16;

    private final StreamDecoder stream;
    private final ObjectMapper json;
    private final SecretMask mask;
    private final MessageDecoder decoder = new MessageDecoder(this::onMessage);
    private final byte[] lengthBytes = new byte[4];
    private int lengthRead;
    /** Bytes of the current frame still to come after its 4-byte length; -1 between frames. */
    private long frameLeft = -1;
    private long arrival;
    private boolean failed;

    /** @param mask the run's secrets, removed from an exception frame's message before it is cut */
    EventStreamFramer(StreamDecoder stream, ObjectMapper json, SecretMask mask) {
        this.stream = stream;
        this.json = json;
        this.mask = mask;
    }

    /** Consumes all of {@code chunk}, which arrived at {@code arrivalNanos}. */
    void feed(ByteBuffer chunk, long arrivalNanos) {
        arrival = arrivalNanos;
        while (chunk.hasRemaining() && !failed && !stream.finished()) {
            if (frameLeft < 0) {
                int n = Math.min(4 - lengthRead, chunk.remaining());
                chunk.get(lengthBytes, lengthRead, n);
                lengthRead += n;
                if (lengthRead < 4) {
                    return;
                }
                long total = ByteBuffer.wrap(lengthBytes).getInt() & 0xFFFF_FFFFL;
                if (total > MAX_FRAME_BYTES) {
                    fail(ErrorClass.PROTOCOL, "an event-stream frame of " + total + " bytes, over the "
                            + MAX_FRAME_BYTES + "-byte limit: not read");
                    return;
                }
                if (total < MIN_FRAME_BYTES) {
                    fail(ErrorClass.STREAM_BROKEN, "an event-stream frame announced " + total + " bytes, fewer than a frame has");
                    return;
                }
                if (!decode(ByteBuffer.wrap(lengthBytes.clone()))) {
                    return;
                }
                frameLeft = total - 4;
                lengthRead = 0;
            }
            int n = (int) Math.min(frameLeft, chunk.remaining());
            ByteBuffer part = chunk.slice(chunk.position(), n);
            chunk.position(chunk.position() + n);
            frameLeft -= n;
            if (frameLeft == 0) {
                frameLeft = -1;
            }
            if (!decode(part)) {
                return;
            }
        }
    }

    /** Feeds the SDK's decoder; false (and the stream failed) when a frame did not pass its checks. */
    private boolean decode(ByteBuffer bytes) {
        try {
            decoder.feed(bytes);
            return true;
        } catch (IllegalArgumentException | IllegalStateException | java.nio.BufferUnderflowException e) {
            fail(ErrorClass.STREAM_BROKEN, "an event-stream frame failed its checks ("
                    + AwsErrors.oneLine(String.valueOf(e.getMessage()), mask) + ")");
            return false;
        }
    }

    /** Whether the body so far ends inside a frame (a body that ended here was cut). */
    boolean midFrame() {
        return lengthRead > 0 || frameLeft > 0;
    }

    private void fail(ErrorClass cls, String message) {
        failed = true;
        stream.fail(cls, null, message);
    }

    private void onMessage(Message message) {
        if (failed || stream.finished()) {
            return;
        }
        String kind = header(message, ":message-type");
        JsonNode payload;
        try {
            payload = json.readTree(message.getPayload());
        } catch (IOException e) {
            payload = null;
        }
        if ("exception".equals(kind)) {
            String type = header(message, ":exception-type");
            String text = payload == null ? null : payload.path("message").asText(payload.path("Message").asText(null));
            failed = true;
            stream.fail(AwsErrors.classOf(type, 200, ErrorClass.STREAM_BROKEN), type, AwsErrors.oneLine(text, mask));
            return;
        }
        if ("error".equals(kind)) {
            String type = header(message, ":error-code");
            failed = true;
            stream.fail(AwsErrors.classOf(type, 200, ErrorClass.STREAM_BROKEN), type,
                    AwsErrors.oneLine(header(message, ":error-message"), mask));
            return;
        }
        if (!"chunk".equals(header(message, ":event-type"))) {
            return; // initial-response and event types added later carry no Messages event
        }
        String event;
        try {
            if (payload == null || !payload.path("bytes").isTextual()) {
                throw new IllegalArgumentException("no bytes");
            }
            event = new String(Base64.getDecoder().decode(payload.get("bytes").asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            fail(ErrorClass.STREAM_BROKEN, "an event-stream chunk carried no base64 'bytes'");
            return;
        }
        stream.onEvent(null, event, arrival);
    }

    private static String header(Message message, String name) {
        HeaderValue v = message.getHeaders().get(name);
        if (v == null) {
            return null;
        }
        try {
            return v.getString();
        } catch (IllegalStateException | UnsupportedOperationException notString) {
            return null;
        }
    }
}
