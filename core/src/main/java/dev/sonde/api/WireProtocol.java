package dev.sonde.api;

import dev.sonde.metrics.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Timings;

/** How one API family's responses read: streams, complete JSON bodies and error bodies. */
interface WireProtocol {

    StreamDecoder decoder(ObjectMapper json, long startNanos, String requestedModel);

    /** A complete 2xx JSON body, or null when it is not a response of this protocol. */
    Exchange message(int status, String requestId, ServerHints hints, JsonNode body, Timings timings,
            String requestedModel);

    /** An error body (which may not be JSON at all). */
    ApiFailure error(int status, byte[] body, ObjectMapper json);

    /**
     * Whether every successful answer carries {@code input_tokens} and {@code output_tokens}
     * (the Messages API, on any platform), so an answer without them fails ({@link UsageCheck}).
     */
    default boolean usageRequired() {
        return false;
    }

    /** The Anthropic Messages API. */
    WireProtocol ANTHROPIC = new WireProtocol() {
        @Override
        public StreamDecoder decoder(ObjectMapper json, long startNanos, String requestedModel) {
            return new StreamAssembler(json, startNanos, requestedModel);
        }

        @Override
        public Exchange message(int status, String requestId, ServerHints hints, JsonNode m, Timings t, String model) {
            if (!m.path("content").isArray()) {
                return null;
            }
            return new Exchange(status, requestId, m.path("model").asText(model), ContentBlocks.fromJson(m.path("content")),
                    m.path("stop_reason").asText(null), m.path("stop_sequence").asText(null),
                    Usage.fromJson(m.path("usage")), t, null, hints);
        }

        @Override
        public ApiFailure error(int status, byte[] body, ObjectMapper json) {
            return AnthropicClient.errorFrom(status, body, json);
        }

        @Override
        public boolean usageRequired() {
            return true;
        }
    };

    /**
     * The Messages API's count-tokens endpoint: a body {@code {"input_tokens": N}} reads as an
     * exchange with no content whose usage is that count.
     */
    WireProtocol COUNT_TOKENS = new WireProtocol() {
        @Override
        public StreamDecoder decoder(ObjectMapper json, long startNanos, String requestedModel) {
            return ANTHROPIC.decoder(json, startNanos, requestedModel);
        }

        @Override
        public Exchange message(int status, String requestId, ServerHints hints, JsonNode m, Timings t, String model) {
            if (!m.has("input_tokens")) {
                return null;
            }
            com.fasterxml.jackson.databind.node.ObjectNode usage =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            usage.set("input_tokens", m.get("input_tokens"));
            return new Exchange(status, requestId, model, java.util.List.of(), null, null, Usage.fromJson(usage), t, null,
                    hints);
        }

        @Override
        public ApiFailure error(int status, byte[] body, ObjectMapper json) {
            return AnthropicClient.errorFrom(status, body, json);
        }
    };
}
