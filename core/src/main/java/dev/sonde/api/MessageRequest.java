package dev.sonde.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;

/**
 * One Messages API call to make: the JSON body exactly as it will be sent (any API field passes
 * through), extra headers (e.g. {@code anthropic-beta}), and its time limits.
 */
public record MessageRequest(ObjectNode body, Map<String, String> headers, Timeouts timeouts) {

    public MessageRequest {
        headers = Map.copyOf(headers);
    }

    /** A request with only a total time limit. */
    public MessageRequest(ObjectNode body, Map<String, String> headers, Duration total) {
        this(body, headers, Timeouts.total(total));
    }

    public Duration timeout() {
        return timeouts.total();
    }

    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    public String model() {
        return body.path("model").asText(null);
    }

    /** The floor of {@link #maxResponseBytes()}: a response with little to say may still be this long. */
    public static final long MIN_RESPONSE_BYTES = 1 << 20;

    /**
     * The most bytes a response to this request may take before it is cut as a protocol error:
     * 8 times what its {@code max_tokens} could need, 1 MB at least. A token needs at most 256
     * bytes in a stream (an event of its own, its envelope and JSON-escaped text) and 32 in a whole
     * body. Without a limit, a server that never stops talking grows the process without bound.
     */
    public long maxResponseBytes() {
        return maxResponseBytes(maxOutputTokens(), stream());
    }

    /** {@link #maxResponseBytes()} of a request asking for {@code maxTokens}, streamed or whole. */
    static long maxResponseBytes(long maxTokens, boolean stream) {
        long perToken = 8L * (stream ? 256 : 32);
        if (maxTokens <= 0) {
            return MIN_RESPONSE_BYTES;
        }
        return maxTokens > Long.MAX_VALUE / perToken ? Long.MAX_VALUE : Math.max(MIN_RESPONSE_BYTES, maxTokens * perToken);
    }

    /**
     * The most output tokens the request allows ({@code max_tokens}, else {@code
     * max_completion_tokens}), or 0 when it names neither.
     */
    public long maxOutputTokens() {
        return Math.max(0, body.path("max_tokens").asLong(body.path("max_completion_tokens").asLong(0)));
    }
}
