package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.PlatformFields;
import dev.sonde.suite.RateLimitSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What {@code live} means per provider, and which hosts take a platform's credentials. */
class PlatformHostsTest {
    private static final EndpointPolicy STRICT = EndpointPolicy.strict();

    static ModelSpec model(String provider, PlatformFields fields) {
        return new ModelSpec("m", "claude-sonnet-4-5", provider, true, JsonNodeFactory.instance.objectNode(), Map.of(),
                null, null, RateLimitSpec.NONE, null, null, fields);
    }

    static PlatformFields region(String region) {
        return new PlatformFields(region, null, null, null, null, null, null);
    }

    @Test
    void live_is_each_providers_official_base() {
        assertThat(PlatformHosts.officialBase(model("anthropic", PlatformFields.NONE)))
                .isEqualTo(URI.create("https://api.anthropic.com"));
        assertThat(PlatformHosts.officialBase(model("openai-chat", PlatformFields.NONE)))
                .isEqualTo(URI.create("https://api.openai.com"));
        assertThat(PlatformHosts.officialBase(model("bedrock", region("us-east-1"))))
                .isEqualTo(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"));
        assertThat(PlatformHosts.officialBase(model("bedrock",
                new PlatformFields("eu-central-1", "mantle", null, null, null, null, null))))
                .isEqualTo(URI.create("https://bedrock-mantle.eu-central-1.api.aws"));
        assertThat(PlatformHosts.officialBase(model("claude-platform-aws", region("us-west-2"))))
                .isEqualTo(URI.create("https://aws-external-anthropic.us-west-2.api.aws"));
        assertThat(PlatformHosts.officialBase(model("vertex", region("global"))))
                .isEqualTo(URI.create("https://aiplatform.googleapis.com"));
        assertThat(PlatformHosts.officialBase(model("vertex", region("eu"))))
                .isEqualTo(URI.create("https://aiplatform.eu.rep.googleapis.com"));
        assertThat(PlatformHosts.officialBase(model("vertex", region("us-east5"))))
                .isEqualTo(URI.create("https://us-east5-aiplatform.googleapis.com"));
        assertThat(PlatformHosts.officialBase(model("foundry",
                new PlatformFields(null, null, null, null, null, "my-foundry", "claude-sonnet-4-5"))))
                .isEqualTo(URI.create("https://my-foundry.services.ai.azure.com"));
        assertThatThrownBy(() -> PlatformHosts.officialBase(model("bedrock", region("us-east-1.evil.example"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("model m (bedrock): a malformed region or resource");
    }

    @Test
    @Tag("hostile")
    void a_platforms_official_hosts_take_its_credentials_over_https_on_443_only() {
        for (String ok : List.of("https://bedrock-runtime.us-east-1.amazonaws.com", "https://bedrock-mantle.ap-southeast-2.api.aws/",
                "https://BEDROCK-RUNTIME.us-gov-west-1.amazonaws.com:443")) {
            assertThat(STRICT.refusal(URI.create(ok), "bedrock")).as(ok).isNull();
        }
        assertThat(STRICT.refusal(URI.create("https://aws-external-anthropic.us-east-1.api.aws"), "claude-platform-aws")).isNull();
        for (String ok : List.of("https://aiplatform.googleapis.com", "https://aiplatform.us.rep.googleapis.com",
                "https://europe-west1-aiplatform.googleapis.com")) {
            assertThat(STRICT.refusal(URI.create(ok), "vertex")).as(ok).isNull();
        }
        assertThat(STRICT.refusal(URI.create("https://my-foundry.services.ai.azure.com/anthropic"), "foundry")).isNull();
        for (String bad : List.of("http://bedrock-runtime.us-east-1.amazonaws.com",
                "https://bedrock-runtime.us-east-1.amazonaws.com:8443", "https://bedrock-runtime.us-east-1.evil.amazonaws.com",
                "https://bedrock-runtime.us-east-1.amazonaws.com.evil.example", "https://bedrock-runtime.amazonaws.com",
                "https://aws-external-anthropic.us-east-1.api.aws", "https://api.anthropic.com")) {
            assertThat(STRICT.refusal(URI.create(bad), "bedrock")).as(bad)
                    .startsWith("keys are sent only to https://bedrock-runtime.{region}.amazonaws.com");
        }
        // one provider's hosts never take another's credentials
        assertThat(STRICT.refusal(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"), "anthropic")).isNotNull();
        assertThat(STRICT.refusal(URI.create("https://global-aiplatform.googleapis.com"), "vertex")).isNotNull();
        assertThat(STRICT.refusal(URI.create("https://evil.example/x.services.ai.azure.com"), "foundry")).isNotNull();
        assertThat(STRICT.refusal(URI.create("https://a.b.services.ai.azure.com"), "foundry")).isNotNull();
    }

    @Test
    void a_platforms_bearer_key_is_its_own_and_cloud_secrets_are_never_keys_unless_allowed() {
        assertThat(STRICT.keyEnvRefusal("AWS_BEARER_TOKEN_BEDROCK")).isNull();
        assertThat(STRICT.keyProviderRefusal("AWS_BEARER_TOKEN_BEDROCK", "bedrock")).isNull();
        assertThat(STRICT.keyProviderRefusal("AWS_BEARER_TOKEN_BEDROCK", "anthropic"))
                .startsWith("AWS_BEARER_TOKEN_BEDROCK is bedrock's key and this model is anthropic");
        assertThat(STRICT.keyProviderRefusal("ANTHROPIC_AWS_API_KEY", "bedrock"))
                .startsWith("ANTHROPIC_AWS_API_KEY is claude-platform-aws's key");
        assertThat(STRICT.keyProviderRefusal("ANTHROPIC_FOUNDRY_API_KEY", "openai-chat"))
                .startsWith("ANTHROPIC_FOUNDRY_API_KEY is foundry's key");
        assertThat(STRICT.keyProviderRefusal("ANTHROPIC_API_KEY", "foundry")).startsWith("ANTHROPIC_API_KEY is anthropic's key");
        for (String secret : List.of("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID",
                "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_CLIENT_SECRET", "ANTHROPIC_FOUNDRY_AUTH_TOKEN")) {
            assertThat(STRICT.keyEnvRefusal(secret)).as(secret)
                    .startsWith(secret + " is a cloud credential, read by the platform's own credential chain");
        }
        EndpointPolicy allowed = EndpointPolicy.of(List.of(), List.of("AWS_SECRET_ACCESS_KEY,AWS_BEARER_TOKEN_BEDROCK"),
                Map.of());
        assertThat(allowed.keyEnvRefusal("AWS_SECRET_ACCESS_KEY")).isNull();
        assertThat(allowed.keyProviderRefusal("AWS_BEARER_TOKEN_BEDROCK", "anthropic")).isNull();
    }
}
