package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.ManualClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaudePlatformAwsClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static MessageRequest request(boolean stream, Map<String, String> headers) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("""
                {"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");
        body.put("stream", stream);
        return new MessageRequest(body, headers, Duration.ofSeconds(5));
    }

    @Test
    void signs_the_workspace_header_for_aws_external_anthropic_on_first_party_paths() throws Exception {
        AwsAuth auth = AwsAuth.sigV4(AwsStub.ACCESS_KEY_ID, AwsStub.SECRET, null);
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json"))
                .write(r.rawPath().endsWith("count_tokens") ? "{\"input_tokens\":9}" : BedrockClientTest.MESSAGE_JSON));
                var client = new ClaudePlatformAwsClient(server.base(), "us-east-1", "wrkspc_01test", auth,
                        SecretMask.of(auth.secrets()), new ManualClock(), Duration.ofSeconds(2))) {
            Exchange ex = client.send(request(false, Map.of("anthropic-workspace-id", "wrkspc_other", "x-sonde-case", "c1")));
            Exchange count = client.countTokens(request(false, Map.of()));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris.");
            assertThat(count.usage().inputTokens()).isEqualTo(9);
            AwsStub.Received sent = server.received().get(0);
            assertThat(sent.rawPath()).isEqualTo("/v1/messages");
            assertThat(server.received().get(1).rawPath()).isEqualTo("/v1/messages/count_tokens");
            assertThat(sent.header("anthropic-workspace-id")).isEqualTo("wrkspc_01test");
            assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(sent.header("authorization")).contains("/us-east-1/aws-external-anthropic/aws4_request")
                    .contains("anthropic-workspace-id").contains("x-sonde-case");
            assertThat(JSON.readTree(sent.body()).path("model").asText()).isEqualTo("claude-sonnet-4-5");
            assertThat(AwsStub.signatureValid(sent, sent.body(), AwsStub.SECRET, null, "aws-external-anthropic",
                    "us-east-1")).isTrue();
            assertThat(AwsStub.signatureValid(sent, sent.body(), AwsStub.SECRET, null, "bedrock", "us-east-1")).isFalse();
        }
    }

    @Test
    void an_api_key_goes_as_a_bearer_with_the_workspace() throws Exception {
        AwsAuth auth = AwsAuth.bearer(ApiKey.of("cp-aws-key-0123456789"));
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json"))
                .write(BedrockClientTest.MESSAGE_JSON));
                var client = new ClaudePlatformAwsClient(server.base(), "eu-west-1", "wrkspc_01test", auth,
                        SecretMask.of(auth.secrets()), new ManualClock(), Duration.ofSeconds(2))) {
            assertThat(client.send(request(false, Map.of("authorization", "Bearer not-mine"))).failure()).isNull();

            AwsStub.Received sent = server.received().get(0);
            assertThat(sent.header("authorization")).isEqualTo("Bearer cp-aws-key-0123456789");
            assertThat(sent.header("anthropic-workspace-id")).isEqualTo("wrkspc_01test");
            assertThat(sent.header("x-amz-date")).isNull();
        }
    }
}
