package dev.sonde.suite;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cloud platform model's own fields ({@code models[]} entries with {@code provider: bedrock},
 * {@code claude-platform-aws}, {@code vertex} or {@code foundry}), as written; every one null when
 * not written. The loader has already refused each field on a provider it does not belong to, a
 * missing required one and a malformed region (so a platform model's fields are usable as they are).
 *
 * @param region the AWS region (bedrock, claude-platform-aws) or the Vertex location ({@code global},
 *     {@code us}, {@code eu} or a GCP region)
 * @param endpoint bedrock only: {@code runtime} or {@code mantle}; null for runtime
 * @param api bedrock only: {@code messages} or {@code invoke}; null for the default by model id
 * @param project vertex only: the GCP project
 * @param workspaceId claude-platform-aws only: the workspace the requests bill to
 * @param resource foundry only: the Azure resource name
 * @param baseModel the Anthropic model id the platform model runs as (pricing, comparison)
 */
public record PlatformFields(String region, String endpoint, String api, String project, String workspaceId,
        String resource, String baseModel) {
    /** A first-party or chat-gateway model: no platform fields. */
    public static final PlatformFields NONE = new PlatformFields(null, null, null, null, null, null, null);

    /** An AWS region as its hosts spell it: {@code us-east-1}, {@code ap-southeast-2}, {@code us-gov-west-1}. */
    public static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    /** A Vertex AI location: a GCP region ({@code us-east5}, {@code europe-west1}) or {@code global}, {@code us}, {@code eu}. */
    public static final Pattern GCP_REGION = Pattern.compile("[a-z]+-[a-z]+\\d{1,2}|global|us|eu");
    /** An Azure resource name as it appears in {@code {resource}.services.ai.azure.com}. */
    public static final Pattern AZURE_RESOURCE = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    /** A GCP project id (it is a segment of every Vertex AI path). */
    public static final Pattern GCP_PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    /** A workspace id (it is sent as a header): letters, digits, {@code _} and {@code -}. */
    public static final Pattern WORKSPACE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /**
     * Whether {@code name} (any case) is a header the AWS clients (Bedrock, Claude Platform on AWS)
     * set themselves: the signer's {@code x-amz-*}, {@code content-*}, {@code host},
     * {@code authorization}, {@code x-api-key} and {@code anthropic-workspace-id} (from
     * {@code workspace_id}). A suite may set none of them on an AWS model (refused at the field when
     * it loads); the clients never send a suite's value for one.
     */
    public static boolean awsClientHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return AWS_CLIENT_HEADERS.contains(n) || n.startsWith("content-") || n.startsWith("x-amz-");
    }

    private static final Set<String> AWS_CLIENT_HEADERS = Set.of("authorization", "x-api-key", "host",
            "anthropic-workspace-id");

    /**
     * Why {@code value} cannot be one segment of a URL path (a Vertex AI model id is one): it is
     * empty, or holds {@code /}, {@code ?}, {@code #}, {@code ..} or a control character, any of which
     * would leave its segment or the path ({@code "holds '/'"}); empty when it can (the client
     * percent-encodes what else needs it). The one rule the suite checks at load and the Vertex
     * client applies when it builds the path.
     */
    public static Optional<String> pathSegmentFault(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of("is empty");
        }
        Optional<String> control = controlCharacterFault(value);
        if (control.isPresent()) {
            return control;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return Optional.of("holds '" + c + "'");
            }
        }
        return value.contains("..") ? Optional.of("holds '..'") : Optional.empty();
    }

    /**
     * Whether {@code value} holds a control character (U+0000–U+001F or U+007F), which would break a
     * lint, banner or log line in two or leave a URL path ({@code "holds a control character
     * (U+000A)"}); empty when it holds none. The part of {@link #pathSegmentFault} every platform
     * {@code model} is held to when the suite loads.
     */
    public static Optional<String> controlCharacterFault(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return Optional.of(String.format(Locale.ROOT, "holds a control character (U+%04X)", (int) c));
            }
        }
        return Optional.empty();
    }
}
