package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the schema cannot say about a cloud platform model (docs: README "Cloud platforms"): each
 * platform field belongs to some providers only, some are required per provider, a region is
 * spelled as its cloud spells it, InvokeModel is served by Bedrock's runtime endpoint only, and a
 * Foundry deployment needs the model it runs as. Each problem is a {@link SuiteException} at the
 * field ({@code file:line:column}), reported before anything is sent. Stateless.
 */
final class PlatformRules {
    /** Each platform field (as written in YAML) → the providers it belongs to. */
    private static final Map<String, List<String>> OWNERS = owners();

    private PlatformRules() {}

    private static Map<String, List<String>> owners() {
        Map<String, List<String>> owners = new LinkedHashMap<>();
        owners.put("region", List.of(ModelSpec.BEDROCK, ModelSpec.CLAUDE_PLATFORM_AWS, ModelSpec.VERTEX));
        owners.put("endpoint", List.of(ModelSpec.BEDROCK));
        owners.put("api", List.of(ModelSpec.BEDROCK));
        owners.put("project", List.of(ModelSpec.VERTEX));
        owners.put("workspace_id", List.of(ModelSpec.CLAUDE_PLATFORM_AWS));
        owners.put("resource", List.of(ModelSpec.FOUNDRY));
        owners.put("base_model", ModelSpec.PLATFORMS);
        return owners;
    }

    /**
     * The platform fields of {@code models[index]} ({@code m}), checked.
     *
     * @throws SuiteException at the first field in error
     */
    static PlatformFields bind(Path file, JsonNode m, int index) throws SuiteException {
        String provider = m.path("provider").asText(ModelSpec.ANTHROPIC);
        String at = "models[" + index + "]";
        for (Map.Entry<String, List<String>> owned : OWNERS.entrySet()) {
            JsonNode value = m.get(owned.getKey());
            if (value != null && !owned.getValue().contains(provider)) {
                throw new SuiteException(SuiteLoader.locate(file, value), at + "." + owned.getKey(), owned.getKey()
                        + " is a field of " + String.join(", ", owned.getValue()) + " models, and this model's provider is "
                        + provider + (m.has("provider") ? "" : " (the default)") + ": remove it, or set the provider");
            }
        }
        if (!ModelSpec.PLATFORMS.contains(provider)) {
            return PlatformFields.NONE;
        }
        // Vertex holds its model to the whole path-segment rule below, of which this is a part.
        JsonNode platformModel = m.get("model");
        Optional<String> control = platformModel == null || ModelSpec.VERTEX.equals(provider) ? Optional.empty()
                : PlatformFields.controlCharacterFault(platformModel.asText());
        if (control.isPresent()) {
            throw new SuiteException(SuiteLoader.locate(file, platformModel), at + ".model", "'"
                    + shown(platformModel.asText()) + "' " + control.get() + ", and a " + provider + " model id is "
                    + "one line sent in the request (for example model: " + exampleModel(provider) + ")");
        }
        switch (provider) {
            case ModelSpec.BEDROCK -> {
                awsHeaders(file, m, at, provider);
                require(file, m, at, provider, "region", "us-east-1");
                format(file, m, at, "region", PlatformFields.AWS_REGION, "an AWS region such as us-east-1");
                if ("invoke".equals(m.path("api").asText()) && "mantle".equals(m.path("endpoint").asText())) {
                    throw new SuiteException(SuiteLoader.locate(file, m.get("api")), at + ".api", "InvokeModel is served "
                            + "by the runtime endpoint only: use endpoint: runtime, or api: messages on mantle");
                }
            }
            case ModelSpec.CLAUDE_PLATFORM_AWS -> {
                awsHeaders(file, m, at, provider);
                require(file, m, at, provider, "region", "us-east-1");
                format(file, m, at, "region", PlatformFields.AWS_REGION, "an AWS region such as us-east-1");
                require(file, m, at, provider, "workspace_id", "wrkspc_01AbCdEf");
                format(file, m, at, "workspace_id", PlatformFields.WORKSPACE_ID, "letters, digits, _ and -");
            }
            case ModelSpec.VERTEX -> {
                if (m.has("api_key_env")) {
                    throw new SuiteException(SuiteLoader.locate(file, m.get("api_key_env")), at + ".api_key_env",
                            "a vertex model reads no key: it authenticates with Application Default Credentials "
                                    + "(GOOGLE_APPLICATION_CREDENTIALS or gcloud auth application-default login); "
                                    + "remove api_key_env");
                }
                require(file, m, at, provider, "project", "my-gcp-project");
                format(file, m, at, "project", PlatformFields.GCP_PROJECT,
                        "a Google Cloud project id (6 to 30 lower-case letters, digits and -)");
                require(file, m, at, provider, "region", "global");
                format(file, m, at, "region", PlatformFields.GCP_REGION, "global, us, eu or a GCP region such as us-east5");
                JsonNode model = m.get("model");
                Optional<String> fault = PlatformFields.pathSegmentFault(model.asText());
                if (fault.isPresent()) {
                    throw new SuiteException(SuiteLoader.locate(file, model), at + ".model", "'" + shown(model.asText())
                            + "' " + fault.get() + ", and a Vertex AI model id is one segment of the request's URL path "
                            + "(for example model: claude-sonnet-4-5@20250929)");
                }
            }
            default -> {
                require(file, m, at, provider, "base_model", "claude-sonnet-4-5");
                if (!m.has("resource") && !m.has("base_url")) {
                    throw new SuiteException(SuiteLoader.locate(file, m), at + ".resource", "a foundry model needs its "
                            + "Azure resource (for example resource: my-foundry) or a base_url");
                }
                if (!m.has("resource") && "live".equals(m.get("base_url").asText())) {
                    throw new SuiteException(SuiteLoader.locate(file, m.get("base_url")), at + ".resource", "base_url: "
                            + "live sends a foundry model to https://{resource}.services.ai.azure.com: add its resource "
                            + "(for example resource: my-foundry)");
                }
                format(file, m, at, "resource", PlatformFields.AZURE_RESOURCE,
                        "an Azure resource name: lower-case letters, digits and -, 2 to 63 characters");
            }
        }
        return new PlatformFields(text(m, "region"), text(m, "endpoint"), text(m, "api"), text(m, "project"),
                text(m, "workspace_id"), text(m, "resource"), text(m, "base_model"));
    }

    /** Refuses a header the AWS client sets itself ({@link PlatformFields#awsClientHeader}) instead of dropping it unsent. */
    private static void awsHeaders(Path file, JsonNode m, String at, String provider) throws SuiteException {
        JsonNode headers = m.get("headers");
        if (headers == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (PlatformFields.awsClientHeader(h.getKey())) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                throw new SuiteException(SuiteLoader.locate(file, h.getValue()), at + ".headers." + h.getKey(), "'"
                        + name + "' is set by the " + provider + " client itself (the AWS signer's x-amz-* and content-*"
                        + " headers, and anthropic-workspace-id from workspace_id): remove this header");
            }
        }
    }

    private static void require(Path file, JsonNode m, String at, String provider, String key, String example)
            throws SuiteException {
        if (!m.has(key)) {
            throw new SuiteException(SuiteLoader.locate(file, m), at + "." + key, "a " + provider + " model needs "
                    + key + " (for example " + key + ": " + example + ")");
        }
    }

    private static void format(Path file, JsonNode m, String at, String key, Pattern pattern, String expected)
            throws SuiteException {
        JsonNode value = m.get(key);
        if (value != null && !pattern.matcher(value.asText()).matches()) {
            throw new SuiteException(SuiteLoader.locate(file, value), at + "." + key, "'" + shown(value.asText())
                    + "' is not " + expected);
        }
    }

    /** {@code value} printable on one line: control characters as {@code ?}, at most 40 characters. */
    private static String shown(String value) {
        String raw = value.replaceAll("\\p{Cntrl}", "?");
        return raw.length() > 40 ? raw.substring(0, 37) + "..." : raw;
    }

    private static String exampleModel(String provider) {
        return switch (provider) {
            case ModelSpec.BEDROCK -> "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
            case ModelSpec.VERTEX -> "claude-sonnet-4-5@20250929";
            case ModelSpec.FOUNDRY -> "my-sonnet-deployment";
            default -> "claude-sonnet-4-5";
        };
    }

    private static String text(JsonNode m, String key) {
        return m.has(key) ? m.get(key).asText() : null;
    }
}
