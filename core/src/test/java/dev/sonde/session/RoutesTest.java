package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each model goes ({@code live}, a URL, the emulator), which key it reads, and what a platform model may not do. */
class RoutesTest {
    @TempDir
    Path dir;

    /** Not a real key: written in two pieces so no line looks like one. */
    private static final String KEY = "sk-ant-" + "api03-routes-test-0000000000000000";

    private static final String SUITE = """
            name: routes
            endpoint: live
            models:
              - id: first-party
                model: claude-sonnet-4-5
              - id: br
                provider: bedrock
                model: anthropic.claude-opus-4-1-20250805-v1:0
                region: us-east-1
              - id: vx
                provider: vertex
                model: claude-sonnet-4-5@20250929
                project: my-gcp-project
                region: global
              - id: fd
                provider: foundry
                model: my-deployment
                resource: my-foundry
                base_model: claude-sonnet-4-5
            cases:
              - id: hi
                prompt: "Say hi"
            """;

    private Suite load(String yaml) throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, yaml);
        return SuiteLoader.load(f);
    }

    private Routes resolve(Suite suite, String override) throws Exception {
        return Routes.resolve(suite, override, List.of(), List.of(), new Secrets(Map.of("ANTHROPIC_API_KEY", KEY), dir));
    }

    @Test
    void live_sends_each_model_to_its_providers_official_base_and_reads_keys_for_the_first_party_api_only()
            throws Exception {
        Routes routes = resolve(load(SUITE), null);
        assertThat(routes.endpoints()).containsExactly(Map.entry("first-party", "https://api.anthropic.com"),
                Map.entry("br", "https://bedrock-runtime.us-east-1.amazonaws.com"),
                Map.entry("vx", "https://aiplatform.googleapis.com"),
                Map.entry("fd", "https://my-foundry.services.ai.azure.com"));
        // a platform's credentials are its auth's to resolve: none is read here, and none is missing
        assertThat(routes.keys()).containsOnlyKeys("first-party");
        assertThat(routes.live()).isTrue();
        Routes flag = resolve(load(SUITE.replace("endpoint: live\n", "")), "live");
        assertThat(flag.endpoints()).isEqualTo(routes.endpoints());
        Routes emulated = resolve(load(SUITE), "emulator");
        assertThat(emulated.endpoints().values()).containsOnly(Routes.EMULATOR);
        assertThat(emulated.keys()).isEmpty();
    }

    @Test
    void live_with_a_foundry_model_named_only_by_its_base_url_is_a_suite_error_at_that_model() throws Exception {
        Suite suite = load(SUITE.replace("endpoint: live\n", "").replace("    resource: my-foundry\n",
                "    base_url: https://my-foundry.services.ai.azure.com/anthropic\n"));
        assertThatThrownBy(() -> resolve(suite, "live")).isInstanceOf(SuiteException.class)
                .hasMessage(suite.file() + ":17:15: models[3].resource: --endpoint live sends foundry model fd to "
                        + "https://{resource}.services.ai.azure.com, and it names its resource only in base_url: add "
                        + "resource (for example resource: my-foundry), or run it on its base_url without --endpoint live");
        // without --endpoint live its own base_url is where it goes
        assertThat(resolve(suite, null).endpoints()).containsEntry("fd", "https://my-foundry.services.ai.azure.com/anthropic");
    }

    @Test
    void a_platforms_base_url_elsewhere_is_refused_at_the_field() throws Exception {
        Suite suite = load(SUITE.replace("    region: us-east-1\n",
                "    region: us-east-1\n    base_url: https://bedrock-runtime.us-east-1.amazonaws.com.evil.example\n"));
        assertThatThrownBy(() -> resolve(suite, null)).isInstanceOf(SuiteException.class)
                .hasMessageContaining(":10:15: models[1].base_url: https://bedrock-runtime.us-east-1.amazonaws.com.evil."
                        + "example: keys are sent only to https://bedrock-runtime.{region}.amazonaws.com");
        Suite own = load(SUITE.replace("    region: us-east-1\n",
                "    region: us-east-1\n    base_url: https://bedrock-runtime.eu-west-1.amazonaws.com\n"));
        assertThat(resolve(own, null).endpoints()).containsEntry("br", "https://bedrock-runtime.eu-west-1.amazonaws.com");
        Suite crossed = load(SUITE.replace("    region: us-east-1\n",
                "    region: us-east-1\n    api_key_env: ANTHROPIC_FOUNDRY_API_KEY\n"));
        assertThatThrownBy(() -> resolve(crossed, null)).hasMessageContaining("models[1].api_key_env: "
                + "ANTHROPIC_FOUNDRY_API_KEY is foundry's key and this model is bedrock");
    }

    @Test
    void each_provider_reads_its_own_key_variable() throws Exception {
        Suite suite = load(SUITE);
        Map<String, String> vars = new java.util.HashMap<>();
        for (ModelSpec m : suite.models()) {
            vars.put(m.id(), String.valueOf(Routes.keyVariable(m)));
        }
        assertThat(vars).containsExactlyInAnyOrderEntriesOf(Map.of("first-party", "ANTHROPIC_API_KEY",
                "br", "AWS_BEARER_TOKEN_BEDROCK", "vx", "null", "fd", "ANTHROPIC_FOUNDRY_API_KEY"));
        ModelSpec cpa = load(SUITE.replace("provider: bedrock", "provider: claude-platform-aws")
                .replace("    region: us-east-1\n", "    region: us-east-1\n    workspace_id: wrkspc_01\n")).models().get(1);
        assertThat(Routes.keyVariable(cpa)).isEqualTo("ANTHROPIC_AWS_API_KEY");
        assertThat(Routes.platform(cpa)).isTrue();
        assertThat(Routes.platform(suite.models().get(0))).isFalse();
    }

    @Test
    void the_live_banner_names_a_platforms_credential_source_and_never_a_value() throws Exception {
        Suite suite = load(SUITE);
        List<String> lines = LiveBanner.lines(suite, resolve(suite, null), List.of());
        assertThat(lines).anyMatch(l -> l.startsWith("LIVE → https://bedrock-runtime.us-east-1.amazonaws.com: br (")
                && l.endsWith("; AWS credentials (AWS_BEARER_TOKEN_BEDROCK, AWS_ACCESS_KEY_ID or the AWS credential "
                        + "chain)"));
        assertThat(lines).anyMatch(l -> l.endsWith("vx (claude-sonnet-4-5@20250929); Google Application Default "
                + "Credentials"));
        assertThat(String.join("\n", lines)).doesNotContain(KEY.substring(8));
    }

    @Test
    void batches_invoke_and_vertex_recordings_are_refused_and_foundry_says_its_limits_do_not_adapt() throws Exception {
        Suite suite = load(SUITE);
        assertThat(PlatformChecks.batchRefusal(suite)).hasValue("--batch: model br runs on bedrock, and Message Batches "
                + "are not offered through the cloud platforms' Claude integrations: run it without --batch");
        assertThat(PlatformChecks.batchRefusal(load(SUITE.substring(0, SUITE.indexOf("  - id: br"))
                + SUITE.substring(SUITE.indexOf("cases:"))))).isEmpty();
        assertThat(PlatformChecks.recordRefusal(suite.models().get(1))).hasValueSatisfying(
                why -> assertThat(why).startsWith("model br runs on bedrock (InvokeModel), whose requests are not"));
        assertThat(PlatformChecks.recordRefusal(suite.models().get(2))).isPresent();
        assertThat(PlatformChecks.recordRefusal(suite.models().get(3))).isEmpty();
        assertThat(PlatformChecks.recordRefusal(suite.models().get(0))).isEmpty();
        assertThat(PlatformChecks.notes(suite)).containsExactly("foundry (fd): Foundry sends no anthropic-ratelimit-* "
                + "headers, so adaptive rate limits fall back to the configured rate_limits (none configured: 429s are "
                + "retried as usual)");
        assertThat(PlatformChecks.notes(load(SUITE.replace("    base_model: claude-sonnet-4-5\n",
                "    base_model: claude-sonnet-4-5\n    rate_limits: {requests_per_minute: 50, adaptive: false}\n"))))
                .isEmpty();
    }
}
