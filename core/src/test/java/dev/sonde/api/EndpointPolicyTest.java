package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.PlatformFields;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointPolicyTest {
    private static final EndpointPolicy STRICT = EndpointPolicy.strict();

    private static boolean allowed(EndpointPolicy p, String url, String provider) {
        return p.refusal(URI.create(url), provider) == null;
    }

    @Test
    void each_providers_default_key_variable_is_one_list_the_aws_auth_and_the_policy_share() {
        assertThat(EndpointPolicy.defaultKeyVariable(ModelSpec.ANTHROPIC)).isEqualTo(ApiKey.ENV);
        assertThat(EndpointPolicy.defaultKeyVariable(ModelSpec.OPENAI_CHAT)).isEqualTo("OPENAI_API_KEY");
        assertThat(EndpointPolicy.defaultKeyVariable(ModelSpec.FOUNDRY)).isEqualTo("ANTHROPIC_FOUNDRY_API_KEY");
        assertThat(EndpointPolicy.defaultKeyVariable(ModelSpec.VERTEX)).isNull();
        for (String aws : List.of(ModelSpec.BEDROCK, ModelSpec.CLAUDE_PLATFORM_AWS)) {
            assertThat(AwsAuth.apiKeyVariable(aws)).isEqualTo(EndpointPolicy.defaultKeyVariable(aws)).isNotNull();
        }
        // every default variable belongs to its provider alone
        EndpointPolicy policy = EndpointPolicy.of(List.of(), List.of(), Map.of());
        for (String owner : ModelSpec.PROVIDERS) {
            String variable = EndpointPolicy.defaultKeyVariable(owner);
            for (String other : ModelSpec.PROVIDERS) {
                if (variable != null) {
                    assertThat(policy.keyProviderRefusal(variable, other) == null).as(variable + " on " + other)
                            .isEqualTo(owner.equals(other));
                }
            }
        }
    }

    @Test
    void the_aws_clients_take_a_region_by_the_suites_own_pattern() {
        for (String region : List.of("us-east-1", "us-gov-west-1", "ap-southeast-2", "eu-west-1.evil.example", "US-EAST-1",
                "us-east-1\n", "useast1")) {
            boolean accepted;
            try {
                accepted = AwsRequests.region(region).equals(region);
            } catch (IllegalArgumentException refused) {
                accepted = false;
            }
            assertThat(accepted).as(region).isEqualTo(PlatformFields.AWS_REGION.matcher(region).matches());
        }
    }

    @Test
    void the_official_hosts_over_https_and_loopback_need_no_allowing() {
        assertThat(allowed(STRICT, "https://api.anthropic.com", "anthropic")).isTrue();
        assertThat(allowed(STRICT, "https://API.Anthropic.com:443/", "anthropic")).isTrue();
        assertThat(allowed(STRICT, "https://api.openai.com/v1", "openai-chat")).isTrue();
        for (String loopback : List.of("http://127.0.0.1:8089", "http://127.9.8.7", "http://localhost:1234",
                "https://LOCALHOST", "http://[::1]:8080")) {
            assertThat(allowed(STRICT, loopback, "anthropic")).as(loopback).isTrue();
        }
    }

    @Test
    void anything_else_is_refused_unless_the_person_running_sonde_allows_it() {
        for (String other : List.of("http://api.anthropic.com", "https://api.anthropic.com:8443",
                "https://api.anthropic.com.evil.example", "https://api.openai.com", "https://collector.invalid",
                "http://127.0.0.1.nip.io", "http://localhost.", "http://0.0.0.0:80", "http://127.1", "http://[::2]",
                "http://10.0.0.1", "http://999.0.0.1")) {
            assertThat(STRICT.refusal(URI.create(other), "anthropic")).as(other)
                    .contains("keys are sent only to https://api.anthropic.com").contains("--allow-endpoint");
        }
        assertThat(allowed(STRICT, "https://api.anthropic.com", "openai-chat")).isFalse();
    }

    @Test
    void allowed_hosts_come_from_the_flag_and_the_environment() {
        EndpointPolicy p = EndpointPolicy.of(List.of("gateway.example.com,*.corp.example", "https://llm.example.org:8443"),
                List.of(), Map.of(EndpointPolicy.ENDPOINTS_ENV, "proxy.example.net:8080 other.example"));
        assertThat(allowed(p, "https://gateway.example.com", "anthropic")).isTrue();
        assertThat(allowed(p, "https://gateway.example.com:9000/base", "anthropic")).isTrue();
        // a bare host is https only: an allowance never sends a key in clear text by accident
        assertThat(allowed(p, "http://gateway.example.com:9000/base", "anthropic")).isFalse();
        assertThat(allowed(p, "https://a.b.corp.example", "anthropic")).isTrue();
        assertThat(allowed(p, "https://corp.example", "anthropic")).isFalse();
        assertThat(allowed(p, "https://llm.example.org:8443/v1", "openai-chat")).isTrue();
        assertThat(allowed(p, "http://llm.example.org:8443", "openai-chat")).isFalse();
        assertThat(allowed(p, "https://llm.example.org", "openai-chat")).isFalse();
        assertThat(allowed(p, "https://proxy.example.net:8080", "anthropic")).isTrue();
        assertThat(allowed(p, "http://proxy.example.net:8080", "anthropic")).isFalse();
        assertThat(allowed(p, "https://proxy.example.net:8081", "anthropic")).isFalse();
        EndpointPolicy clear = EndpointPolicy.of(List.of("http://llm.lan.example:8080"), List.of(), Map.of());
        assertThat(allowed(clear, "http://llm.lan.example:8080/v1", "openai-chat")).isTrue();
        assertThat(allowed(p, "https://other.example", "anthropic")).isTrue();
        assertThat(allowed(p, "https://gateway.example.com.evil.example", "anthropic")).isFalse();
    }

    @Test
    void a_bad_allow_entry_is_an_error_naming_it_and_its_source() {
        assertThatThrownBy(() -> EndpointPolicy.of(List.of("ftp://x.example"), List.of(), Map.of()))
                .hasMessageStartingWith("--allow-endpoint: 'ftp://x.example'");
        assertThatThrownBy(() -> EndpointPolicy.of(List.of(), List.of(), Map.of(EndpointPolicy.ENDPOINTS_ENV, "a b:99999")))
                .hasMessageStartingWith(EndpointPolicy.ENDPOINTS_ENV + ": 'b:99999'");
        assertThatThrownBy(() -> EndpointPolicy.of(List.of(), List.of("GITHUB-TOKEN"), Map.of()))
                .hasMessageStartingWith("--allow-key-env: 'GITHUB-TOKEN'");
    }

    @Test
    void key_variables_end_in_api_key_unless_allowed() {
        assertThat(STRICT.keyEnvRefusal("ANTHROPIC_API_KEY")).isNull();
        assertThat(STRICT.keyEnvRefusal("MY_GATEWAY_API_KEY")).isNull();
        assertThat(STRICT.keyEnvRefusal("GITHUB_TOKEN")).contains("--allow-key-env GITHUB_TOKEN");
        assertThat(STRICT.keyEnvRefusal("AWS_SECRET_ACCESS_KEY")).isNotNull();
        EndpointPolicy p = EndpointPolicy.of(List.of(), List.of("GATEWAY_TOKEN"),
                Map.of(EndpointPolicy.KEY_ENVS_ENV, "OTHER_TOKEN,THIRD"));
        assertThat(p.keyEnvRefusal("GATEWAY_TOKEN")).isNull();
        assertThat(p.keyEnvRefusal("OTHER_TOKEN")).isNull();
        assertThat(p.keyEnvRefusal("THIRD")).isNull();
        assertThat(p.keyEnvRefusal("GITHUB_TOKEN")).isNotNull();
    }

    @Test
    void a_providers_default_key_is_not_sent_by_another_provider_unless_allowed() {
        assertThat(STRICT.keyProviderRefusal("ANTHROPIC_API_KEY", "openai-chat"))
                .startsWith("ANTHROPIC_API_KEY is anthropic's key and this model is openai-chat");
        assertThat(STRICT.keyProviderRefusal("OPENAI_API_KEY", "anthropic")).isNotNull();
        assertThat(STRICT.keyProviderRefusal("ANTHROPIC_API_KEY", "anthropic")).isNull();
        assertThat(STRICT.keyProviderRefusal("GATEWAY_API_KEY", "openai-chat")).isNull();
        EndpointPolicy allowed = EndpointPolicy.of(List.of(), List.of("ANTHROPIC_API_KEY"), Map.of());
        assertThat(allowed.keyProviderRefusal("ANTHROPIC_API_KEY", "openai-chat")).isNull();
    }
}
