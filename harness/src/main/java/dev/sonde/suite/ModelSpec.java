package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One model entry of a suite.
 *
 * @param id the label used in reports and trial ids
 * @param model the API model id sent in requests
 * @param provider {@code anthropic} (Messages API) or {@code openai-chat} (chat completions)
 * @param params Messages API body fields passed through as given (max_tokens, temperature, …)
 * @param headers extra HTTP headers, e.g. {@code anthropic-beta}
 * @param baseUrl this model's endpoint, overriding the suite's; null to use the suite's
 * @param apiKeyEnv the environment variable with this model's key; null for the provider default
 * @param rateLimits client-side limits for this model
 * @param baseUrlAt where {@code base_url} is written, or null when it is not
 * @param apiKeyEnvAt where {@code api_key_env} is written, or null when it is not
 */
public record ModelSpec(String id, String model, String provider, boolean stream, ObjectNode params,
        Map<String, String> headers, String baseUrl, String apiKeyEnv, RateLimitSpec rateLimits, Location baseUrlAt,
        Location apiKeyEnvAt) {

    public ModelSpec(String id, String model, String provider, boolean stream, ObjectNode params,
            Map<String, String> headers) {
        this(id, model, provider, stream, params, headers, null, null, RateLimitSpec.NONE, null, null);
    }

    /**
     * The key this model is priced under in the pricing table: its API model id for the
     * first-party API and chat gateways (issue 22 extends it for the cloud platforms).
     */
    public String priceKey() {
        return model;
    }

    public boolean openAiChat() {
        return "openai-chat".equals(provider);
    }
}
