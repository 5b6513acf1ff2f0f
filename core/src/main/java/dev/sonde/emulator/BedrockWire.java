package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * The AWS side of the wire (docs/platforms-survey.md §2): Bedrock's {@code
 * invoke-with-response-stream} framing — each Messages stream event as an event-stream {@code
 * chunk} frame ({@code {"bytes":base64,"p":padding}}, both CRCs, written by the AWS library's
 * {@link Message}) whose last one ({@code message_stop}) carries {@code
 * amazon-bedrock-invocationMetrics} measured as it is written; error faults as exception frames;
 * a {@code malformed_*} fault as a chunk whose message CRC is wrong — and the AWS error shape of
 * HTTP errors ({@code x-amzn-ErrorType} and {@code {"message":…}}). Stateless but for the one
 * stream's framing, which is confined to its request's thread.
 */
final class BedrockWire {
    static final String EVENT_STREAM_TYPE = "application/vnd.amazon.eventstream";
    static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    /** The {@code :exception-type} values of Bedrock's ResponseStream (aws-sdk-java-v2 customization.config). */
    static final Set<String> EXCEPTION_TYPES = Set.of("internalServerException", "modelStreamErrorException",
            "validationException", "throttlingException", "modelTimeoutException", "serviceUnavailableException");
    private static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private BedrockWire() {}

    /**
     * Frames one stream whose final {@code usage} is {@code usage}, timing its invocation metrics on
     * {@code clock} from when the request was received whole ({@link Trace#receivedNanos}: its body
     * read), never from its headers' arrival, which can come before the client has written the body.
     */
    static Delivery.Framing framing(JsonNode usage, Trace trace, Clock clock) {
        return new Delivery.Framing() {
            private int frames;
            private long firstByteNanos = -1;

            @Override
            public String contentType() {
                return EVENT_STREAM_TYPE;
            }

            /**
             * Runs just before the event's frame is written (Delivery writes each frame as it encodes
             * it, after the event's delay): the first content delta stamps {@code firstByteLatency}
             * (the model's first token, after the modelled time to it — not the early {@code
             * message_start}); {@code message_stop}, the final frame, carries {@code invocationLatency}
             * measured up to its own write, which is the stream's last flush: the frame cannot hold
             * the time it took to send itself.
             */
            @Override
            public byte[] encode(Wire.Event event) {
                long now = clock.nanoTime();
                if (firstByteNanos < 0 && (event.isDelta() || event.name().equals("message_stop"))) {
                    firstByteNanos = now; // a stream without a delta has its first byte of output at its end
                }
                ObjectNode json = eventJson(event);
                if (event.name().equals("message_stop")) {
                    json.putObject("amazon-bedrock-invocationMetrics")
                            .put("inputTokenCount", usage.path("input_tokens").asInt())
                            .put("outputTokenCount", usage.path("output_tokens").asInt())
                            .put("invocationLatency", (now - trace.receivedNanos()) / 1_000_000)
                            .put("firstByteLatency", (firstByteNanos - trace.receivedNanos()) / 1_000_000);
                }
                return chunk(json, frames++);
            }

            @Override
            public byte[] error(ApiError error) {
                return exception(exceptionType(error), error.getMessage());
            }

            @Override
            public byte[] malformed() {
                byte[] frame = chunk(Json.object().put("type", "ping"), frames++);
                frame[frame.length - 1] ^= 0x5a; // the message CRC no longer matches
                return frame;
            }
        };
    }

    /** A {@code chunk} event frame carrying {@code json}, padded by a length that varies with {@code index}. */
    static byte[] chunk(ObjectNode json, int index) {
        String base64 = Base64.getEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
        String padding = PADDING.substring(0, 1 + Math.floorMod(index * 7 + base64.length(), PADDING.length() - 1));
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString("chunk"));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return frame(headers, Json.object().put("bytes", base64).put("p", padding));
    }

    /** An exception frame ({@code :message-type exception}) of {@code type} with {@code {"message":…}}. */
    static byte[] exception(String type, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return frame(headers, Json.object().put("message", message));
    }

    private static byte[] frame(Map<String, HeaderValue> headers, ObjectNode payload) {
        ByteBuffer buffer = new Message(headers, payload.toString().getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** The JSON of one rendered SSE event ({@code event: …\ndata: {json}\n\n}). */
    private static ObjectNode eventJson(Wire.Event event) {
        String sse = new String(event.bytes(), StandardCharsets.UTF_8);
        int data = sse.indexOf("data: ");
        try {
            return (ObjectNode) Json.MAPPER.readTree(sse.substring(data + "data: ".length()).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stream exception type of an error fault: its own when it names one, else the nearest. */
    static String exceptionType(ApiError error) {
        if (EXCEPTION_TYPES.contains(error.type)) {
            return error.type;
        }
        return switch (error.type) {
            case "rate_limit_error" -> "throttlingException";
            case "api_error" -> "internalServerException";
            case "timeout_error" -> "modelTimeoutException";
            case "invalid_request_error" -> "validationException";
            case "overloaded_error" -> "serviceUnavailableException";
            default -> "modelStreamErrorException";
        };
    }

    /** The HTTP status an error has on an AWS route (AWS has no 529: it is a 503 there). */
    static int httpStatus(ApiError error) {
        return error.status == 529 ? 503 : error.status;
    }

    /** The {@code x-amzn-ErrorType} of an error on an AWS route. */
    static String httpErrorType(ApiError error) {
        if (error.type.endsWith("Exception")) {
            return Character.toUpperCase(error.type.charAt(0)) + error.type.substring(1);
        }
        return switch (httpStatus(error)) {
            case 400, 413, 422 -> "ValidationException";
            case 401, 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 408, 504 -> "ModelTimeoutException";
            case 429 -> "ThrottlingException";
            case 503 -> "ServiceUnavailableException";
            default -> "InternalServerException";
        };
    }
}
