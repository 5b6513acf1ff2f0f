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
}
