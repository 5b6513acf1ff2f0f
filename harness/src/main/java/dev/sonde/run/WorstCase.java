package dev.sonde.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Jackson;
import dev.sonde.metrics.ModelPrice;
import dev.sonde.metrics.PricingTable;
import dev.sonde.suite.Trial;
import java.nio.charset.StandardCharsets;

/**
 * An upper bound on what one attempt of a trial can cost, for budget reservations: every two bytes
 * of the request body counted as a token (tokenizers average 3.5–4.5 bytes per token on English
 * and JSON and about 3 on CJK text, so this over-counts), plus 64 tokens of framing and 1,000 for
 * the system prompt the API adds when tools are defined; all of it priced as the most expensive
 * input kind the request can produce (a 1h cache write, 2×, if any block asks for a 1h TTL; a 5m
 * write, 1.25×, if any {@code cache_control}; else plain input), plus {@code max_tokens} of output.
 * The USD cap is exactly as safe as this bound.
 */
final class WorstCase {
    private static final ObjectMapper JSON = Jackson.plain();

    private WorstCase() {}

    /** USD, or null when the model is unpriced. */
    static Double usd(PricingTable pricing, Trial trial) {
        return usd(pricing, trial.model().model(), trial.body());
    }

    /** USD for one request {@code body} to {@code model}, or null when the model is unpriced. */
    static Double usd(PricingTable pricing, String model, JsonNode body) {
        return usd(pricing, model, body, json(body));
    }

    /** As {@link #usd(PricingTable, String, JsonNode)}, with the body's JSON text ({@link #json}) at hand. */
    static Double usd(PricingTable pricing, String model, JsonNode body, String json) {
        return pricing.priceOf(model).map(p -> usd(p, body, json)).orElse(null);
    }

    /** {@code body} as compact JSON text, as {@link JsonNode#toString()} writes it. */
    static String json(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static double usd(ModelPrice price, JsonNode body) {
        return usd(price, body, json(body));
    }

    private static double usd(ModelPrice price, JsonNode body, String json) {
        long inputTokens = json.getBytes(StandardCharsets.UTF_8).length / 2 + 64 + (body.has("tools") ? 1_000 : 0);
        double multiplier = json.contains("\"ttl\":\"1h\"") ? 2.0 : json.contains("\"cache_control\"") ? 1.25 : 1.0;
        long maxTokens = body.path("max_tokens").asLong(0);
        return (inputTokens * multiplier * price.inputPerMTok() + maxTokens * price.outputPerMTok()) / 1e6;
    }
}
