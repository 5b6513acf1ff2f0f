package dev.sonde.metrics;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reading of an Amazon Bedrock model id, for every room: which route serves it by default
 * (the suite's {@code invoke()}, the client's route, {@code --record}'s refusal), whether it names
 * the global endpoint (pricing), and the Anthropic model id it runs as (pricing, the emulator).
 *
 * <p>An id is a foundation model ({@code anthropic.claude-opus-4-1-20250805-v1:0}), a
 * cross-region inference profile (that id behind a geography: {@link #GEOGRAPHIES}, e.g.
 * {@code us.}, GovCloud's {@code us-gov.}, {@code global.}), any other name (an id the Messages API
 * routes take as is, e.g. {@code claude-sonnet-4-5}), or an ARN
 * {@code arn:aws[-partition]:bedrock:<region>:<account>:<type>/<id>} whose type is one of
 * {@link #ARN_TYPES}. Stateless.
 */
public final class BedrockIds {
    /** The geographies of cross-region inference profiles, as their ids' prefixes spell them (AWS CDK's list). */
    public static final List<String> GEOGRAPHIES = List.of("us", "eu", "apac", "jp", "au", "us-gov", "global");
    /** The ARN resource types InvokeModel takes for an Anthropic model. */
    public static final List<String> ARN_TYPES = List.of("foundation-model", "inference-profile",
            "application-inference-profile", "provisioned-model");

    private static final Pattern GEO = Pattern.compile("^(?:" + String.join("|", GEOGRAPHIES) + ")\\.");
    private static final Pattern ARN = Pattern.compile("arn:aws(?:-[a-z]+)*:bedrock:[a-z0-9-]*:\\d*:(?:"
            + String.join("|", ARN_TYPES) + ")/([A-Za-z0-9._:-]+)");
    private static final Pattern VERSIONED = Pattern.compile("(?:(?:" + String.join("|", GEOGRAPHIES)
            + ")\\.)?anthropic\\.[A-Za-z0-9._-]+-v\\d+(?::\\d+)?");
    private static final Pattern VERSION = Pattern.compile("-v\\d+(?::\\d+)?$");

    private BedrockIds() {}

    /**
     * Whether {@code id} is ARN-versioned: {@code [geo.]anthropic.<name>-v<N>[:<M>]} or a Bedrock
     * ARN of one of {@link #ARN_TYPES}. InvokeModel serves such an id by default; the Messages API
     * routes serve any other.
     */
    public static boolean arnVersioned(String id) {
        return id != null && (VERSIONED.matcher(id).matches() || ARN.matcher(id).matches());
    }

    /**
     * Whether a Bedrock model goes to InvokeModel: {@code api: invoke}; with no {@code api}, an
     * {@linkplain #arnVersioned ARN-versioned} id on the runtime endpoint (mantle serves the
     * Messages API only). The one rule the suite and the client both apply.
     *
     * @param endpoint {@code runtime}, {@code mantle} or null (runtime)
     * @param api {@code messages}, {@code invoke} or null (by the id)
     */
    public static boolean invoke(String endpoint, String api, String id) {
        if (api != null) {
            return api.equals("invoke");
        }
        return !"mantle".equals(endpoint) && arnVersioned(id);
    }

    /** The id an ARN names ({@code global.anthropic.…} in {@code arn:…:inference-profile/global.anthropic.…}); any other id as is. */
    public static String profile(String id) {
        Matcher arn = ARN.matcher(id);
        return arn.matches() ? arn.group(1) : id;
    }

    /** Whether {@code id} (or the id its ARN names) is a {@code global.} inference profile: the global endpoint. */
    public static boolean global(String id) {
        return profile(id).startsWith("global.");
    }

    /**
     * The Anthropic model id {@code id} runs as: the ARN's id, without its geography prefix,
     * {@code anthropic.} and the {@code -vN[:M]} version
     * ({@code arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0}
     * → {@code claude-sonnet-4-5-20250929}). An application inference profile or a provisioned model
     * is named by an opaque id, returned as is (give {@code base_model} to price it).
     */
    public static String anthropicId(String id) {
        String s = GEO.matcher(profile(id)).replaceFirst("");
        s = s.startsWith("anthropic.") ? s.substring("anthropic.".length()) : s;
        return VERSION.matcher(s).replaceFirst("");
    }
}
