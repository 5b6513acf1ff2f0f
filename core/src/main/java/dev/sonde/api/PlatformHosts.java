package dev.sonde.api;

import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.PlatformFields;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Each provider's official base URL (what {@code live} means) and whether a host is one of a
 * provider's official hosts (what {@link EndpointPolicy} lets a key of that provider reach without
 * an allowance). A base is the platform's root; the clients append their paths
 * ({@code /anthropic/v1/messages}, {@code /model/{id}/invoke}, {@code /v1/projects/…:rawPredict}).
 * Regions and resource names are checked with the suite's own syntax
 * ({@link PlatformFields#AWS_REGION}, {@link PlatformFields#GCP_REGION}, {@link PlatformFields#AZURE_RESOURCE}),
 * so no text a suite writes can make a host outside these patterns. Stateless.
 */
public final class PlatformHosts {
    private static final String AWS = "(?:" + PlatformFields.AWS_REGION.pattern() + ")";
    private static final String AZURE = "(?:" + PlatformFields.AZURE_RESOURCE.pattern() + ")";
    private static final Pattern BEDROCK = Pattern.compile("bedrock-runtime\\." + AWS + "\\.amazonaws\\.com"
            + "|bedrock-mantle\\." + AWS + "\\.api\\.aws");
    private static final Pattern CLAUDE_PLATFORM_AWS = Pattern.compile("aws-external-anthropic\\." + AWS + "\\.api\\.aws");
    private static final Pattern VERTEX = Pattern.compile("aiplatform\\.googleapis\\.com"
            + "|aiplatform\\.(?:us|eu)\\.rep\\.googleapis\\.com|[a-z]+-[a-z]+\\d{1,2}-aiplatform\\.googleapis\\.com");
    private static final Pattern FOUNDRY = Pattern.compile(AZURE + "\\.services\\.ai\\.azure\\.com");

    private PlatformHosts() {}

    /**
     * The official base {@code m} is sent to under {@code live}: {@code https://api.anthropic.com},
     * {@code https://bedrock-runtime.us-east-1.amazonaws.com}, {@code https://aiplatform.googleapis.com}, …
     *
     * @throws IllegalArgumentException when a field the host is made of is missing or malformed (the
     *     suite loader refuses such a model first, so only a hand-made {@link ModelSpec} meets it)
     */
    public static URI officialBase(ModelSpec m) {
        String region = m.region();
        String host = switch (m.provider()) {
            case ModelSpec.ANTHROPIC -> "api.anthropic.com";
            case ModelSpec.OPENAI_CHAT -> "api.openai.com";
            case ModelSpec.BEDROCK -> "mantle".equals(m.platformEndpoint())
                    ? "bedrock-mantle." + checked(region, PlatformFields.AWS_REGION, m) + ".api.aws"
                    : "bedrock-runtime." + checked(region, PlatformFields.AWS_REGION, m) + ".amazonaws.com";
            case ModelSpec.CLAUDE_PLATFORM_AWS ->
                    "aws-external-anthropic." + checked(region, PlatformFields.AWS_REGION, m) + ".api.aws";
            case ModelSpec.VERTEX -> switch (checked(region, PlatformFields.GCP_REGION, m)) {
                case "global" -> "aiplatform.googleapis.com";
                case "us", "eu" -> "aiplatform." + region + ".rep.googleapis.com";
                default -> region + "-aiplatform.googleapis.com";
            };
            case ModelSpec.FOUNDRY ->
                    checked(m.resource(), PlatformFields.AZURE_RESOURCE, m) + ".services.ai.azure.com";
            default -> throw new IllegalArgumentException("model " + m.id() + ": unknown provider " + m.provider());
        };
        return URI.create("https://" + host);
    }

    /**
     * Whether {@code host} (lower case, as written, never resolved) is one of {@code provider}'s
     * official API hosts. Scheme and port are {@link EndpointPolicy}'s to check (https, 443).
     */
    public static boolean official(String host, String provider) {
        String h = host.toLowerCase(Locale.ROOT);
        return switch (provider) {
            case ModelSpec.ANTHROPIC -> h.equals("api.anthropic.com");
            case ModelSpec.OPENAI_CHAT -> h.equals("api.openai.com");
            case ModelSpec.BEDROCK -> BEDROCK.matcher(h).matches();
            case ModelSpec.CLAUDE_PLATFORM_AWS -> CLAUDE_PLATFORM_AWS.matcher(h).matches();
            case ModelSpec.VERTEX -> VERTEX.matcher(h).matches();
            case ModelSpec.FOUNDRY -> FOUNDRY.matcher(h).matches();
            default -> false;
        };
    }

    /** How a provider's official hosts are written, for a refusal message. */
    static String described(String provider) {
        return switch (provider) {
            case ModelSpec.ANTHROPIC -> "https://api.anthropic.com";
            case ModelSpec.OPENAI_CHAT -> "https://api.openai.com";
            case ModelSpec.BEDROCK -> "https://bedrock-runtime.{region}.amazonaws.com, https://bedrock-mantle.{region}.api.aws";
            case ModelSpec.CLAUDE_PLATFORM_AWS -> "https://aws-external-anthropic.{region}.api.aws";
            case ModelSpec.VERTEX -> "https://aiplatform.googleapis.com, https://aiplatform.{us|eu}.rep.googleapis.com, "
                    + "https://{region}-aiplatform.googleapis.com";
            case ModelSpec.FOUNDRY -> "https://{resource}.services.ai.azure.com";
            default -> null;
        };
    }

    private static String checked(String value, Pattern syntax, ModelSpec m) {
        if (value == null || !syntax.matcher(value).matches()) {
            throw new IllegalArgumentException("model " + m.id() + " (" + m.provider() + "): "
                    + (value == null ? "no region or resource to make its host of" : "a malformed region or resource"));
        }
        return value;
    }
}
