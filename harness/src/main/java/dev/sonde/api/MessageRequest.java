package dev.sonde.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;

/**
 * One Messages API call to make: the JSON body exactly as it will be sent (any API field passes
 * through), extra headers (e.g. {@code anthropic-beta}), and the total time allowed from send to
 * the last byte.
 */
public record MessageRequest(ObjectNode body, Map<String, String> headers, Duration timeout) {

    public MessageRequest {
        headers = Map.copyOf(headers);
    }

    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    public String model() {
        return body.path("model").asText(null);
    }
}
