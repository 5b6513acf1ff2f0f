package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.sonde.metrics.PricingTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloud platforms' fields of {@code models[]}: bound, priced by key, and refused at the field when wrong. */
class PlatformModelsTest {
    @TempDir
    Path dir;

    private static final String MODELS = """
            name: platforms
            models:
              - id: first-party
                model: claude-sonnet-4-5
              - id: br-messages
                provider: bedrock
                model: us.anthropic.claude-sonnet-4-5-20250929-v1:0
                region: us-east-1
                api: messages
              - id: br-invoke
                provider: bedrock
                model: anthropic.claude-opus-4-1-20250805-v1:0
                region: eu-west-1
              - id: br-mantle
                provider: bedrock
                model: anthropic.claude-opus-4-1-20250805-v1:0
                region: us-west-2
                endpoint: mantle
                base_model: claude-opus-4-1
              - id: cpa
                provider: claude-platform-aws
                model: claude-sonnet-4-5
                region: us-east-1
                workspace_id: wrkspc_01AbCdEf
              - id: vx
                provider: vertex
                model: claude-sonnet-4-5@20250929
                project: my-gcp-project
                region: global
              - id: fd
                provider: foundry
                model: my-sonnet-deployment
                resource: my-foundry
                base_model: claude-sonnet-4-5
            cases:
              - id: hi
                prompt: "Say hi"
            """;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private ModelSpec model(Suite s, String id) {
        return s.models().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void binds_each_platforms_fields_and_prices_it_by_provider_region_and_id() throws Exception {
        Suite s = SuiteLoader.load(write(MODELS));
        assertThat(model(s, "first-party").priceKey()).isEqualTo("claude-sonnet-4-5");
        assertThat(model(s, "first-party").platform()).isFalse();
        assertThat(model(s, "first-party").platformFields()).isEqualTo(PlatformFields.NONE);
        ModelSpec br = model(s, "br-messages");
        assertThat(br.platform()).isTrue();
        assertThat(br.region()).isEqualTo("us-east-1");
        assertThat(br.bedrockApi()).isEqualTo("messages");
        assertThat(br.invoke()).isFalse();
        assertThat(br.messagesShaped()).isTrue();
        assertThat(br.priceKey()).isEqualTo("bedrock/us-east-1/us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        // an ARN-versioned id goes through InvokeModel by default on runtime, never on mantle
        assertThat(model(s, "br-invoke").invoke()).isTrue();
        assertThat(model(s, "br-invoke").messagesShaped()).isFalse();
        assertThat(model(s, "br-mantle").invoke()).isFalse();
        assertThat(model(s, "br-mantle").platformEndpoint()).isEqualTo("mantle");
        assertThat(model(s, "br-mantle").priceKey()).isEqualTo("bedrock/us-west-2/claude-opus-4-1");
        assertThat(model(s, "cpa").workspaceId()).isEqualTo("wrkspc_01AbCdEf");
        assertThat(model(s, "cpa").priceKey()).isEqualTo("claude-platform-aws/us-east-1/claude-sonnet-4-5");
        assertThat(model(s, "vx").project()).isEqualTo("my-gcp-project");
        assertThat(model(s, "vx").priceKey()).isEqualTo("vertex/global/claude-sonnet-4-5@20250929");
        assertThat(model(s, "vx").messagesShaped()).isFalse();
        assertThat(model(s, "fd").resource()).isEqualTo("my-foundry");
        assertThat(model(s, "fd").priceKey()).isEqualTo("foundry/-/claude-sonnet-4-5");
    }

    @Test
    void base_model_never_changes_the_bedrock_regional_premium() throws Exception {
        PricingTable prices = PricingTable.defaults();
        double list = prices.priceOf("claude-sonnet-4-5").orElseThrow().inputPerMTok();
        for (String geo : new String[] {"global", "us"}) {
            String model = geo + ".anthropic.claude-sonnet-4-5-20250929-v1:0";
            Suite bare = SuiteLoader.load(write(MODELS.replace("us.anthropic.claude-sonnet-4-5-20250929-v1:0", model)));
            Suite named = SuiteLoader.load(write(MODELS.replace("    api: messages\n",
                    "    api: messages\n    base_model: claude-sonnet-4-5\n")
                    .replace("us.anthropic.claude-sonnet-4-5-20250929-v1:0", model)));
            double expected = geo.equals("global") ? list : list * 1.1;
            assertThat(prices.priceOf(model(bare, "br-messages").priceKey()).orElseThrow().inputPerMTok())
                    .as(geo).isCloseTo(expected, offset(1e-9));
            assertThat(prices.priceOf(model(named, "br-messages").priceKey()).orElseThrow().inputPerMTok())
                    .as(geo + " with base_model").isCloseTo(expected, offset(1e-9));
        }
        Suite named = SuiteLoader.load(write(MODELS.replace("    api: messages\n",
                "    api: messages\n    base_model: claude-sonnet-4-5\n")
                .replace("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")));
        assertThat(model(named, "br-messages").priceKey()).isEqualTo("bedrock/us-east-1/global.claude-sonnet-4-5");
        assertThat(model(named, "br-mantle").priceKey()).isEqualTo("bedrock/us-west-2/claude-opus-4-1");
    }

    @Test
    void a_platform_field_on_another_provider_is_an_error_at_the_field() throws Exception {
        Path f = write(MODELS.replace("    model: claude-sonnet-4-5\n  - id: br-messages",
                "    model: claude-sonnet-4-5\n    region: us-east-1\n  - id: br-messages"));
        assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                .hasMessage(f + ":5:13: models[0].region: region is a field of bedrock, claude-platform-aws, vertex "
                        + "models, and this model's provider is anthropic (the default): remove it, or set the provider");
        Path g = write(MODELS.replace("    workspace_id: wrkspc_01AbCdEf\n", "    workspace_id: wrkspc_01AbCdEf\n"
                + "    project: p-123456\n"));
        assertThatThrownBy(() -> SuiteLoader.load(g)).hasMessageContaining(":25:14: models[4].project: project is a "
                + "field of vertex models, and this model's provider is claude-platform-aws");
    }

    @Test
    void required_fields_are_named_with_an_example() throws Exception {
        Path f = write(MODELS.replace("    region: eu-west-1\n", ""));
        assertThatThrownBy(() -> SuiteLoader.load(f))
                .hasMessage(f + ":10:5: models[2].region: a bedrock model needs region (for example region: us-east-1)");
        assertThatThrownBy(() -> SuiteLoader.load(write(MODELS.replace("    workspace_id: wrkspc_01AbCdEf\n", ""))))
                .hasMessageContaining("models[4].workspace_id: a claude-platform-aws model needs workspace_id");
        assertThatThrownBy(() -> SuiteLoader.load(write(MODELS.replace("    project: my-gcp-project\n", ""))))
                .hasMessageContaining("models[5].project: a vertex model needs project");
        assertThatThrownBy(() -> SuiteLoader.load(write(MODELS.replace("    base_model: claude-sonnet-4-5\n", ""))))
                .hasMessageContaining("models[6].base_model: a foundry model needs base_model");
        assertThatThrownBy(() -> SuiteLoader.load(write(MODELS.replace("    resource: my-foundry\n", ""))))
                .hasMessageContaining("models[6].resource: a foundry model needs its Azure resource");
        // a base_url stands for the resource
        Suite s = SuiteLoader.load(write(MODELS.replace("    resource: my-foundry\n",
                "    base_url: https://my-foundry.services.ai.azure.com/anthropic\n")));
        assertThat(model(s, "fd").resource()).isNull();
        // base_url: live is the official base, which is made of the resource
        Path live = write(MODELS.replace("    resource: my-foundry\n", "    base_url: live\n"));
        assertThatThrownBy(() -> SuiteLoader.load(live)).hasMessage(live + ":33:15: models[6].resource: base_url: live "
                + "sends a foundry model to https://{resource}.services.ai.azure.com: add its resource (for example "
                + "resource: my-foundry)");
    }

    @Test
    @Tag("hostile")
    void regions_projects_and_resources_are_spelled_as_their_cloud_spells_them() throws Exception {
        Path f = write(MODELS.replace("region: eu-west-1", "region: eu-west-1.evil.example"));
        assertThatThrownBy(() -> SuiteLoader.load(f))
                .hasMessage(f + ":13:13: models[2].region: 'eu-west-1.evil.example' is not an AWS region such as us-east-1");
        assertThatThrownBy(() -> SuiteLoader.load(write(MODELS.replace("region: global", "region: us-east-1"))))
                .hasMessageContaining("models[5].region: 'us-east-1' is not global, us, eu or a GCP region");
        for (String region : new String[] {"us-east5", "europe-west1", "us", "eu", "global"}) {
            assertThat(model(SuiteLoader.load(write(MODELS.replace("region: global", "region: " + region))), "vx")
                    .region()).isEqualTo(region);
        }
        assertThatThrownBy(() -> SuiteLoader.load(write(MODELS.replace("project: my-gcp-project", "project: ../x"))))
                .hasMessageContaining("models[5].project: '../x' is not a Google Cloud project id");
        assertThatThrownBy(() -> SuiteLoader.load(write(MODELS.replace("resource: my-foundry", "resource: a.b/c"))))
                .hasMessageContaining("models[6].resource: 'a.b/c' is not an Azure resource name");
        assertThatThrownBy(() -> SuiteLoader.load(write(MODELS.replace("wrkspc_01AbCdEf", "\"w\\r\\nx-evil: 1\""))))
                .hasMessageContaining("models[4].workspace_id: 'w??x-evil: 1' is not letters");
    }

    @Test
    @Tag("hostile")
    void a_vertex_model_id_that_would_leave_its_path_segment_is_refused_at_the_field() throws Exception {
        String[][] cases = {{"\"x/../../y\"", "holds '/'"}, {"\"a?b\"", "holds '?'"}, {"\"a#b\"", "holds '#'"},
                {"\"..\"", "holds '..'"}, {"\"a\\nb\"", "holds a control character (U+000A)"},
                {"\"  \"", "is empty"}};
        for (String[] c : cases) {
            Path f = write(MODELS.replace("model: claude-sonnet-4-5@20250929", "model: " + c[0]));
            assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                    .hasMessageStartingWith(f + ":27:12: models[5].model: '")
                    .hasMessageContaining("' " + c[1] + ", and a Vertex AI model id is one segment")
                    .hasMessageNotContaining("\n");
        }
        // the same ids are fine where they are not a path segment, and an odd but harmless one loads
        assertThat(model(SuiteLoader.load(write(MODELS.replace("model: my-sonnet-deployment", "model: a/b"))), "fd")
                .model()).isEqualTo("a/b");
        assertThat(model(SuiteLoader.load(write(MODELS.replace("model: claude-sonnet-4-5@20250929",
                "model: \"odd;id 1%\""))), "vx").model()).isEqualTo("odd;id 1%");
    }

    @Test
    @Tag("hostile")
    void a_control_character_in_any_platform_model_id_is_refused_at_the_field() throws Exception {
        String[][] models = {{"model: us.anthropic.claude-sonnet-4-5-20250929-v1:0", "models[1]", "bedrock"},
                {"model: anthropic.claude-opus-4-1-20250805-v1:0\n    region: eu-west-1", "models[2]", "bedrock"},
                {"model: claude-sonnet-4-5\n    region: us-east-1", "models[4]", "claude-platform-aws"},
                {"model: my-sonnet-deployment", "models[6]", "foundry"}};
        for (String[] m : models) {
            for (String bad : new String[] {"\"a\\nb\"", "\"a\\u007Fb\"", "\"a\\tb\""}) {
                String after = m[0].contains("\n") ? m[0].substring(m[0].indexOf('\n')) : "";
                Path f = write(MODELS.replace(m[0], "model: " + bad + after));
                assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                        .hasMessageContaining(m[1] + ".model: 'a?b' holds a control character (U+00")
                        .hasMessageContaining("a " + m[2] + " model id is one line")
                        .hasMessageNotContaining("\n").hasMessageNotContaining("\t");
            }
        }
        // the same ids without the control character load
        assertThat(model(SuiteLoader.load(write(MODELS)), "br-messages").model())
                .isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    }

    @Test
    @Tag("hostile")
    void a_credential_header_on_a_platform_model_is_refused_with_that_platforms_own_credentials() throws Exception {
        String[][] cases = {
                {"    api: messages\n", "models[1]", "AWS_BEARER_TOKEN_BEDROCK or the model's api_key_env, or AWS_ACCESS_KEY_ID"},
                {"    workspace_id: wrkspc_01AbCdEf\n", "models[4]", "ANTHROPIC_AWS_API_KEY or the model's api_key_env, or AWS_"},
                {"    project: my-gcp-project\n", "models[5]", "Google Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS"},
                {"    resource: my-foundry\n", "models[6]", "ANTHROPIC_FOUNDRY_API_KEY or the model's api_key_env, "
                        + "ANTHROPIC_FOUNDRY_AUTH_TOKEN, or SONDE_FOUNDRY_TOKEN_COMMAND"}};
        for (String[] c : cases) {
            for (String header : new String[] {"Authorization", "x-api-key", "api-key", "Api-Key"}) {
                Path f = write(MODELS.replace(c[0], c[0] + "    headers: {" + header + ": \"Bearer t0ken\"}\n"));
                assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                        .hasMessageContaining(c[1] + ".headers." + header + ": credentials come from the environment ("
                                + c[2])
                        .hasMessageNotContaining("ANTHROPIC_API_KEY").hasMessageNotContaining("t0ken");
            }
        }
    }

    @Test
    @Tag("hostile")
    void foundrys_api_key_header_is_refused_on_every_model_not_only_foundrys() throws Exception {
        Path f = write(MODELS.replace("    model: claude-sonnet-4-5\n  - id: br-messages",
                "    model: claude-sonnet-4-5\n    headers: {api-key: t0ken}\n  - id: br-messages"));
        assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                .hasMessageContaining("models[0].headers.api-key: credentials come from the environment "
                        + "(ANTHROPIC_API_KEY or the model's api_key_env), never from a suite file")
                .hasMessageNotContaining("t0ken");
    }

    @Test
    @Tag("hostile")
    void a_header_the_aws_client_sets_itself_is_refused_at_the_field_not_dropped() throws Exception {
        for (String header : new String[] {"X-Amz-Security-Token", "x-amz-date", "anthropic-workspace-id",
                "Content-Encoding"}) {
            Path f = write(MODELS.replace("    api: messages\n", "    api: messages\n    headers: {" + header + ": v}\n"));
            assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                    .hasMessageStartingWith(f + ":10:")
                    .hasMessageContaining("models[1].headers." + header + ": '" + header.toLowerCase(java.util.Locale.ROOT)
                            + "' is set by the bedrock client itself");
            Path g = write(MODELS.replace("    workspace_id: wrkspc_01AbCdEf\n",
                    "    workspace_id: wrkspc_01AbCdEf\n    headers: {" + header + ": v}\n"));
            assertThatThrownBy(() -> SuiteLoader.load(g)).hasMessageContaining("models[4].headers." + header + ": '")
                    .hasMessageContaining("is set by the claude-platform-aws client itself");
        }
        // other headers pass on AWS, and x-amz-* is no AWS header elsewhere
        Suite s = SuiteLoader.load(write(MODELS.replace("    api: messages\n",
                "    api: messages\n    headers: {anthropic-beta: b1}\n").replace("    resource: my-foundry\n",
                "    resource: my-foundry\n    headers: {x-amz-trace: t}\n")));
        assertThat(model(s, "br-messages").headers()).containsEntry("anthropic-beta", "b1");
        assertThat(model(s, "fd").headers()).containsEntry("x-amz-trace", "t");
    }

    @Test
    void invoke_needs_the_runtime_endpoint_and_vertex_takes_no_key_variable() throws Exception {
        Path f = write(MODELS.replace("    endpoint: mantle\n", "    endpoint: mantle\n    api: invoke\n"));
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessage(f + ":19:10: models[3].api: InvokeModel is served by "
                + "the runtime endpoint only: use endpoint: runtime, or api: messages on mantle");
        assertThatThrownBy(() -> SuiteLoader.load(write(MODELS.replace("    project: my-gcp-project\n",
                "    project: my-gcp-project\n    api_key_env: VERTEX_API_KEY\n"))))
                .hasMessageContaining("models[5].api_key_env: a vertex model reads no key");
    }

    @Test
    void a_misspelt_provider_gets_a_did_you_mean_and_batches_are_refused_on_platforms() throws Exception {
        Path f = write(MODELS.replace("provider: vertex", "provider: vertx"));
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessageStartingWith(f + ":26:15: models[5].provider: 'vertx' "
                + "is not one of").hasMessageEndingWith("(did you mean 'vertex'?)");
        Path batch = write(MODELS + "run: {mode: batch}\n");
        assertThatThrownBy(() -> SuiteLoader.load(batch)).hasMessageStartingWith(batch + ":38:13: run.mode: model "
                + "br-messages runs on bedrock, and Message Batches are not offered");
    }
}
