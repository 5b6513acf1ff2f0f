package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.BedrockIds;
import java.util.List;
import java.util.Map;

/**
 * One model entry of a suite.
 *
 * @param id the label used in reports and trial ids
 * @param model the API model id sent in requests (a platform's own id, or Foundry's deployment name)
 * @param provider {@code anthropic} (Messages API), {@code openai-chat} (chat completions), or one of the
 *     cloud platforms ({@link #PLATFORMS}), which speak the Messages API through their own routes
 * @param params Messages API body fields passed through as given (max_tokens, temperature, …)
 * @param headers extra HTTP headers, e.g. {@code anthropic-beta}
 * @param baseUrl this model's endpoint, overriding the suite's; null to use the suite's
 * @param apiKeyEnv the environment variable with this model's key; null for the provider default
 * @param rateLimits client-side limits for this model
 * @param baseUrlAt where {@code base_url} is written, or null when it is not
 * @param apiKeyEnvAt where {@code api_key_env} is written, or null when it is not
 * @param platformFields a cloud platform's fields ({@link PlatformFields#NONE} for the others)
 */
public record ModelSpec(String id, String model, String provider, boolean stream, ObjectNode params,
        Map<String, String> headers, String baseUrl, String apiKeyEnv, RateLimitSpec rateLimits, Location baseUrlAt,
        Location apiKeyEnvAt, PlatformFields platformFields) {
    public static final String ANTHROPIC = "anthropic";
    public static final String OPENAI_CHAT = "openai-chat";
    public static final String BEDROCK = "bedrock";
    public static final String CLAUDE_PLATFORM_AWS = "claude-platform-aws";
    public static final String VERTEX = "vertex";
    public static final String FOUNDRY = "foundry";
    /** The cloud platforms, in the order the README lists them. */
    public static final List<String> PLATFORMS = List.of(BEDROCK, CLAUDE_PLATFORM_AWS, VERTEX, FOUNDRY);
    /** Every provider a suite may name. */
    public static final List<String> PROVIDERS = List.of(ANTHROPIC, OPENAI_CHAT, BEDROCK, CLAUDE_PLATFORM_AWS, VERTEX,
            FOUNDRY);

    public ModelSpec {
        platformFields = platformFields == null ? PlatformFields.NONE : platformFields;
    }

    public ModelSpec(String id, String model, String provider, boolean stream, ObjectNode params,
            Map<String, String> headers, String baseUrl, String apiKeyEnv, RateLimitSpec rateLimits, Location baseUrlAt,
            Location apiKeyEnvAt) {
        this(id, model, provider, stream, params, headers, baseUrl, apiKeyEnv, rateLimits, baseUrlAt, apiKeyEnvAt,
                PlatformFields.NONE);
    }

    public ModelSpec(String id, String model, String provider, boolean stream, ObjectNode params,
            Map<String, String> headers) {
        this(id, model, provider, stream, params, headers, null, null, RateLimitSpec.NONE, null, null);
    }

    /**
     * The key this model is priced under in the pricing table: its API model id for the
     * first-party API and chat gateways; {@code {provider}/{region or -}/{id}} on a cloud platform,
     * the id being {@code base_model} when given (Foundry always gives it), else the platform's own
     * model id, e.g. {@code bedrock/us-east-1/us.anthropic.claude-sonnet-4-5-20250929-v1:0} or
     * {@code foundry/-/claude-sonnet-4-5}. On Bedrock the key keeps whether the model is a
     * {@code global.} inference profile (the global endpoint, priced without the regional premium)
     * when {@code base_model} names it: {@code bedrock/us-east-1/global.claude-sonnet-4-5}, so
     * {@code base_model} never changes the premium.
     */
    public String priceKey() {
        if (!platform()) {
            return model;
        }
        String region = FOUNDRY.equals(provider) || region() == null ? "-" : region();
        String id = model;
        if (baseModel() != null) {
            id = BEDROCK.equals(provider)
                    ? (BedrockIds.global(model) ? "global." : "") + BedrockIds.anthropicId(baseModel())
                    : baseModel();
        }
        return provider + "/" + region + "/" + id;
    }

    public boolean openAiChat() {
        return OPENAI_CHAT.equals(provider);
    }

    /** Whether this model runs on a cloud platform (Bedrock, Claude Platform on AWS, Vertex AI, Foundry). */
    public boolean platform() {
        return PLATFORMS.contains(provider);
    }

    /**
     * Whether requests go to the Messages API as the first-party API shapes it (body with
     * {@code model} and {@code stream}, SSE): the first-party API, Bedrock's messages routes, Claude
     * Platform on AWS and Foundry; not Bedrock's InvokeModel nor Vertex AI, which reshape the body.
     */
    public boolean messagesShaped() {
        return switch (provider) {
            case ANTHROPIC, CLAUDE_PLATFORM_AWS, FOUNDRY -> true;
            case BEDROCK -> !invoke();
            default -> false;
        };
    }

    /**
     * Whether this is a Bedrock model served by InvokeModel: {@code api: invoke}, or by default an
     * ARN-versioned id on the runtime endpoint ({@link BedrockIds#invoke}, the rule the client's
     * route applies too).
     */
    public boolean invoke() {
        return BEDROCK.equals(provider) && BedrockIds.invoke(platformEndpoint(), bedrockApi(), model);
    }

    public String region() {
        return platformFields.region();
    }

    /** Bedrock's {@code endpoint:} ({@code runtime} or {@code mantle}; null when not written). */
    public String platformEndpoint() {
        return platformFields.endpoint();
    }

    /** Bedrock's {@code api:} ({@code messages} or {@code invoke}; null when not written). */
    public String bedrockApi() {
        return platformFields.api();
    }

    public String project() {
        return platformFields.project();
    }

    public String workspaceId() {
        return platformFields.workspaceId();
    }

    public String resource() {
        return platformFields.resource();
    }

    public String baseModel() {
        return platformFields.baseModel();
    }
}
