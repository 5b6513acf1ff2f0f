package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.PlatformFields;
import dev.sonde.suite.RateLimitSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class BedrockClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MESSAGE_JSON = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Paris."}],\
            "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":3}}""";
    /** A Messages stream: text, a tool call, usage and a stop reason; its last event carries Bedrock's metrics. */
    static final List<String> EVENTS = List.of(
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_b\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":21,\"output_tokens\":1}}}",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"is.\"}}",
            "{\"type\":\"content_block_stop\",\"index\":0}",
            "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"lookup\",\"input\":{}}}",
            "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}",
            "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}",
            "{\"type\":\"content_block_stop\",\"index\":1}",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}",
            "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":21,\"outputTokenCount\":9,"
                    + "\"invocationLatency\":812,\"firstByteLatency\":304}}");

    private static final AwsAuth SIGV4 = AwsAuth.sigV4(AwsStub.ACCESS_KEY_ID, AwsStub.SECRET, AwsStub.SESSION_TOKEN);

    static MessageRequest request(String model, boolean stream, Map<String, String> headers) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("""
                {"max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");
        body.put("model", model);
        body.put("stream", stream);
        return new MessageRequest(body, headers, Duration.ofSeconds(5));
    }

    private static BedrockClient client(AwsStub server, BedrockClient.Route route, AwsAuth auth, Clock clock) {
        return new BedrockClient(server.base(), "us-east-1", route, auth, SecretMask.of(auth.secrets()), clock,
                Duration.ofSeconds(2));
    }

    /** The events as event-stream chunk frames, one write each. */
    private static AwsStub.Script frames(List<String> events) {
        return (r, a) -> {
            a.start(200, AwsStub.eventStreamHeaders());
            for (String e : events) {
                a.write(AwsStub.chunk(e));
            }
        };
    }

    @Test
    void the_route_defaults_to_invoke_for_arn_versioned_ids_and_to_messages_otherwise() {
        assertThat(BedrockClient.route(null, null, "us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .isEqualTo(BedrockClient.Route.INVOKE);
        assertThat(BedrockClient.route("runtime", null, "anthropic.claude-3-haiku-20240307-v1"))
                .isEqualTo(BedrockClient.Route.INVOKE);
        assertThat(BedrockClient.route(null, null, "arn:aws:bedrock:us-east-1:123456789012:inference-profile/x"))
                .isEqualTo(BedrockClient.Route.INVOKE);
        assertThat(BedrockClient.route(null, null, "claude-sonnet-4-5")).isEqualTo(BedrockClient.Route.RUNTIME_MESSAGES);
        assertThat(BedrockClient.route(null, "messages", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .isEqualTo(BedrockClient.Route.RUNTIME_MESSAGES);
        assertThat(BedrockClient.route("mantle", null, "us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .isEqualTo(BedrockClient.Route.MANTLE_MESSAGES);
        assertThat(BedrockClient.route(null, "invoke", "claude-sonnet-4-5")).isEqualTo(BedrockClient.Route.INVOKE);
        assertThatThrownBy(() -> BedrockClient.route("mantle", "invoke", "m"))
                .hasMessage("api invoke needs endpoint runtime (mantle serves the Messages API only)");
        assertThat(BedrockClient.Route.MANTLE_MESSAGES.signingName()).isEqualTo("bedrock-mantle");
    }

    @Test
    void the_route_and_the_suites_invoke_agree_on_every_id_and_field() {
        List<String> ids = List.of("us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-opus-4-6-v1",
                "longgeo.anthropic.claude-sonnet-4-5-v1:0", "anthropic.claude-3-haiku-20240307-v1",
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3",
                "arn:aws:bedrock:us-east-1:123456789012:guardrail/a1b2c3", "claude-sonnet-4-5");
        Arrays.asList(null, "runtime", "mantle").forEach(endpoint -> Arrays.asList(null,
                "messages", "invoke").forEach(api -> ids.forEach(id -> {
                    if ("mantle".equals(endpoint) && "invoke".equals(api)) {
                        return; // refused at the field when the suite loads
                    }
                    ModelSpec m = new ModelSpec("m", id, ModelSpec.BEDROCK, true, null, Map.of(), null, null,
                            RateLimitSpec.NONE, null, null,
                            new PlatformFields("us-east-1", endpoint, api, null, null, null, null));
                    assertThat(BedrockClient.route(endpoint, api, id) == BedrockClient.Route.INVOKE)
                            .as("%s %s %s", endpoint, api, id).isEqualTo(m.invoke());
                })));
        // a GovCloud profile is ARN-versioned: InvokeModel by default
        assertThat(BedrockClient.route(null, null, "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .isEqualTo(BedrockClient.Route.INVOKE);
    }

    @Test
    void runtime_messages_are_signed_for_bedrock_with_the_payload_hash_and_a_tampered_body_fails() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json")).write(MESSAGE_JSON));
                BedrockClient client = client(server, BedrockClient.Route.RUNTIME_MESSAGES, SIGV4, new ManualClock())) {
            Exchange ex = client.send(request("claude-sonnet-4-5", false, Map.of("anthropic-beta", "b1",
                    "x-amz-date", "19990101T000000Z", "Host", "evil.example", "content-type", "text/plain")));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris.");
            AwsStub.Received sent = server.received().get(0);
            assertThat(sent.rawPath()).isEqualTo("/anthropic/v1/messages");
            assertThat(sent.header("x-amz-date")).isEqualTo("20260101T000000Z"); // the injected clock, not the suite
            assertThat(sent.header("content-type")).isEqualTo("application/json");
            assertThat(sent.header("host")).startsWith("127.0.0.1:");
            assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(sent.header("anthropic-beta")).isEqualTo("b1");
            assertThat(sent.header("x-amz-security-token")).isEqualTo(AwsStub.SESSION_TOKEN);
            assertThat(sent.header("x-amz-content-sha256")).hasSize(64);
            assertThat(sent.header("authorization"))
                    .startsWith("AWS4-HMAC-SHA256 Credential=" + AwsStub.ACCESS_KEY_ID + "/20260101/us-east-1/bedrock/aws4_request")
                    .contains("anthropic-beta");
            JsonNode body = JSON.readTree(sent.body());
            assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
            assertThat(body.path("stream").asBoolean(true)).isFalse();
            assertThat(AwsStub.signatureValid(sent, sent.body(), AwsStub.SECRET, AwsStub.SESSION_TOKEN, "bedrock", "us-east-1"))
                    .isTrue();
            byte[] tampered = sent.text().replace("hi", "ho").getBytes(StandardCharsets.UTF_8);
            assertThat(AwsStub.signatureValid(sent, tampered, AwsStub.SECRET, AwsStub.SESSION_TOKEN, "bedrock", "us-east-1"))
                    .isFalse();
            assertThat(AwsStub.signatureValid(sent, sent.body(), "another-secret", AwsStub.SESSION_TOKEN, "bedrock", "us-east-1"))
                    .isFalse();
            assertThat(client.countTokens(request("claude-sonnet-4-5", false, Map.of()))).isNull();
        }
    }

    @Test
    void mantle_streams_sse_signed_for_bedrock_mantle_and_an_api_key_is_a_bearer() throws Exception {
        AwsAuth key = AwsAuth.bearer(ApiKey.of("ABSKc29uZGUtZW11bGF0b3I="));
        try (AwsStub server = new AwsStub((r, a) -> {
            a.start(200, Map.of("content-type", "text/event-stream"));
            for (String e : EVENTS) {
                a.write("event: " + JSON.readTree(e).path("type").asText() + "\ndata: " + e + "\n\n");
            }
        }); BedrockClient signed = client(server, BedrockClient.Route.MANTLE_MESSAGES, SIGV4, new ManualClock());
                BedrockClient bearer = client(server, BedrockClient.Route.MANTLE_MESSAGES, key, new ManualClock())) {
            Exchange ex = signed.send(request("anthropic.claude-sonnet-4-5-20250929-v1:0", true, Map.of()));
            bearer.send(request("anthropic.claude-sonnet-4-5-20250929-v1:0", true, Map.of()));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris.");
            assertThat(ex.toolUses().get(0).input().path("city").asText()).isEqualTo("Paris");
            AwsStub.Received sent = server.received().get(0);
            assertThat(sent.rawPath()).isEqualTo("/anthropic/v1/messages");
            assertThat(sent.header("accept")).isEqualTo("text/event-stream");
            assertThat(AwsStub.signatureValid(sent, sent.body(), AwsStub.SECRET, AwsStub.SESSION_TOKEN, "bedrock-mantle",
                    "us-east-1")).isTrue();
            AwsStub.Received byKey = server.received().get(1);
            assertThat(byKey.header("authorization")).isEqualTo("Bearer ABSKc29uZGUtZW11bGF0b3I=");
            assertThat(byKey.header("x-amz-content-sha256")).isNull();
        }
    }

    @Test
    void invoke_drops_model_and_stream_versions_the_body_and_moves_betas_into_it() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json",
                "x-amzn-bedrock-invocation-latency", "640")).write(MESSAGE_JSON));
                BedrockClient client = client(server, BedrockClient.Route.INVOKE, SIGV4, new ManualClock())) {
            Exchange ex = client.send(request("us.anthropic.claude-sonnet-4-5-20250929-v1:0", false,
                    Map.of("anthropic-beta", "a-1, b-2")));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris.");
            assertThat(ex.hints().serverLatencyMs()).isEqualTo(640.0);
            assertThat(ex.hints().serverFirstByteMs()).isNaN();
            AwsStub.Received sent = server.received().get(0);
            assertThat(sent.rawPath()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke");
            assertThat(sent.header("anthropic-beta")).isNull();
            assertThat(sent.header("anthropic-version")).isNull();
            JsonNode body = JSON.readTree(sent.body());
            assertThat(body.has("model")).isFalse();
            assertThat(body.has("stream")).isFalse();
            assertThat(body.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
            assertThat(body.path("anthropic_beta").toString()).isEqualTo("[\"a-1\",\"b-2\"]");
            assertThat(AwsStub.signatureValid(sent, sent.body(), AwsStub.SECRET, AwsStub.SESSION_TOKEN, "bedrock", "us-east-1"))
                    .isTrue();
        }
    }

    @Test
    void an_invoke_stream_reads_its_event_stream_frames_and_keeps_bedrocks_metrics() throws Exception {
        try (AwsStub server = new AwsStub(frames(EVENTS));
                BedrockClient client = client(server, BedrockClient.Route.INVOKE, SIGV4, Clock.system())) {
            Exchange ex = client.send(request("anthropic.claude-sonnet-4-5-20250929-v1:0", true, Map.of()));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris.");
            assertThat(ex.toolUses()).hasSize(1);
            assertThat(ex.stopReason()).isEqualTo("tool_use");
            assertThat(ex.usage().inputTokens()).isEqualTo(21);
            assertThat(ex.usage().outputTokens()).isEqualTo(9);
            assertThat(ex.timings().deltas()).isEqualTo(4);
            assertThat(ex.hints().serverFirstByteMs()).isEqualTo(304.0);
            assertThat(ex.hints().serverLatencyMs()).isEqualTo(812.0);
            assertThat(ex.requestId()).isEqualTo("req-aws-1");
            AwsStub.Received sent = server.received().get(0);
            assertThat(sent.rawPath()).isEqualTo("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
            assertThat(sent.header("accept")).isEqualTo("application/vnd.amazon.eventstream");
        }
    }

    @Test
    @Tag("hostile")
    void a_frame_failing_its_crc_breaks_the_stream_with_what_arrived() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> {
            a.start(200, AwsStub.eventStreamHeaders());
            for (int i = 0; i < 4; i++) {
                a.write(AwsStub.chunk(EVENTS.get(i)));
            }
            byte[] bad = AwsStub.chunk(EVENTS.get(4));
            bad[bad.length - 6] ^= 1; // in the payload: the message CRC no longer matches
            a.write(bad);
            a.write(AwsStub.chunk(EVENTS.get(5)));
        }); BedrockClient client = client(server, BedrockClient.Route.INVOKE, SIGV4, Clock.system())) {
            Exchange ex = client.send(request("anthropic.claude-x-v1", true, Map.of()));

            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.STREAM_BROKEN);
            assertThat(ex.failure().message()).contains("checksum");
            assertThat(ex.text()).isEqualTo("Paris.");
        }
    }

    @Test
    @Tag("hostile")
    void a_stream_that_ends_mid_frame_is_broken_with_what_arrived() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> {
            a.start(200, AwsStub.eventStreamHeaders());
            for (int i = 0; i < 3; i++) {
                a.write(AwsStub.chunk(EVENTS.get(i)));
            }
            byte[] next = AwsStub.chunk(EVENTS.get(3));
            a.write(Arrays.copyOf(next, next.length / 2));
        }); BedrockClient client = client(server, BedrockClient.Route.INVOKE, SIGV4, Clock.system())) {
            Exchange ex = client.send(request("anthropic.claude-x-v1", true, Map.of()));

            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.STREAM_BROKEN);
            assertThat(ex.failure().message()).isEqualTo("the event stream ended mid-frame");
            assertThat(ex.text()).isEqualTo("Par");
            assertThat(ex.failure().errorClass().retry()).isEqualTo(ErrorClass.Retry.RETRIED);
        }
    }

    @Test
    void exception_frames_read_as_the_messages_api_error_of_their_kind() throws Exception {
        Map<String, ErrorClass> kinds = Map.of("throttlingException", ErrorClass.RATE_LIMITED,
                "serviceUnavailableException", ErrorClass.OVERLOADED, "modelStreamErrorException", ErrorClass.SERVER_ERROR,
                "internalServerException", ErrorClass.SERVER_ERROR, "modelTimeoutException", ErrorClass.SERVER_ERROR,
                "validationException", ErrorClass.INVALID_REQUEST);
        for (Map.Entry<String, ErrorClass> kind : kinds.entrySet()) {
            try (AwsStub server = new AwsStub((r, a) -> {
                a.start(200, AwsStub.eventStreamHeaders());
                a.write(AwsStub.chunk(EVENTS.get(0)));
                a.write(AwsStub.chunk(EVENTS.get(1)));
                a.write(AwsStub.chunk(EVENTS.get(2)));
                a.write(AwsStub.exception(kind.getKey(), "Too many tokens, please wait"));
            }); BedrockClient client = client(server, BedrockClient.Route.INVOKE, SIGV4, Clock.system())) {
                Exchange ex = client.send(request("anthropic.claude-x-v1", true, Map.of()));

                assertThat(ex.failure().errorClass()).as(kind.getKey()).isEqualTo(kind.getValue());
                assertThat(ex.failure().type()).isEqualTo(kind.getKey());
                assertThat(ex.failure().message()).isEqualTo("Too many tokens, please wait");
                assertThat(ex.failure().status()).isEqualTo(200);
                assertThat(ex.text()).isEqualTo("Par");
                if (kind.getKey().equals("throttlingException")) {
                    assertThat(ex.failure().errorClass().retry()).isEqualTo(ErrorClass.Retry.RETRIED);
                }
            }
        }
    }

    @Test
    @Tag("hostile")
    void a_frame_over_sixteen_megabytes_is_refused_unread() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> {
            a.start(200, AwsStub.eventStreamHeaders());
            a.write(AwsStub.chunk(EVENTS.get(0)));
            a.write(new byte[] {0x01, 0x00, 0x00, 0x10, 0, 0, 0, 0}); // announces 16 MiB + 16 bytes
        }); BedrockClient client = client(server, BedrockClient.Route.INVOKE, SIGV4, Clock.system())) {
            Exchange ex = client.send(request("anthropic.claude-x-v1", true, Map.of()));

            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.PROTOCOL);
            assertThat(ex.failure().message()).contains("16777232 bytes");
        }
    }

    @Test
    void aws_error_bodies_are_classified_by_their_error_type_in_one_line() throws Exception {
        record Case(int status, String type, ErrorClass expected) {}
        List<Case> cases = List.of(new Case(403, "InvalidSignatureException:http://internal.amazon.com/coral/", ErrorClass.AUTH),
                new Case(403, "UnrecognizedClientException", ErrorClass.AUTH),
                new Case(403, "AccessDeniedException", ErrorClass.PERMISSION),
                new Case(429, "ThrottlingException", ErrorClass.RATE_LIMITED),
                new Case(400, "ValidationException", ErrorClass.INVALID_REQUEST),
                new Case(500, "InternalServerException", ErrorClass.SERVER_ERROR),
                new Case(503, "SomethingNew", ErrorClass.SERVER_ERROR));
        for (Case c : cases) {
            try (AwsStub server = new AwsStub((r, a) -> a.start(c.status(), Map.of("content-type", "application/json",
                    "x-amzn-ErrorType", c.type())).write("{\"message\":\"The request signature we calculated\\ndoes not match\"}"));
                    BedrockClient client = client(server, BedrockClient.Route.RUNTIME_MESSAGES, SIGV4, Clock.system())) {
                Exchange ex = client.send(request("claude-x", false, Map.of()));

                assertThat(ex.failure().errorClass()).as(c.type()).isEqualTo(c.expected());
                assertThat(ex.failure().status()).isEqualTo(c.status());
                assertThat(ex.failure().type()).isEqualTo(AwsErrors.bare(c.type()));
                assertThat(ex.failure().message()).isEqualTo("The request signature we calculated does not match");
            }
        }
        assertThat(ErrorClass.AUTH.stopsRun()).isTrue();
    }

    @Test
    @Tag("hostile")
    void secrets_the_server_echoes_never_reach_the_exchange() throws Exception {
        String echo = AwsStub.SECRET + " " + AwsStub.SESSION_TOKEN + " " + AwsStub.ACCESS_KEY_ID;
        try (AwsStub server = new AwsStub((r, a) -> {
            if (r.rawPath().contains("invoke")) {
                a.start(200, AwsStub.eventStreamHeaders());
                a.write(AwsStub.chunk(EVENTS.get(0)));
                a.write(AwsStub.chunk(EVENTS.get(1)));
                a.write(AwsStub.chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
                        + echo + "\"}}"));
                a.write(AwsStub.exception("throttlingException", "slow down " + echo));
            } else {
                a.start(403, Map.of("content-type", "application/json", "x-amzn-ErrorType", "InvalidSignatureException",
                        "anthropic-ratelimit-requests-remaining", AwsStub.SESSION_TOKEN))
                        .write("{\"message\":\"bad " + echo + "\"}");
            }
        }); BedrockClient invoke = client(server, BedrockClient.Route.INVOKE, SIGV4, Clock.system());
                BedrockClient messages = client(server, BedrockClient.Route.RUNTIME_MESSAGES, SIGV4, Clock.system())) {
            Exchange streamed = invoke.send(request("anthropic.claude-x-v1", true, Map.of()));
            Exchange refused = messages.send(request("claude-x", false, Map.of()));

            assertThat(streamed.failure().errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            for (Exchange ex : List.of(streamed, refused)) {
                assertThat(ex.toString()).doesNotContain(AwsStub.SECRET, AwsStub.SESSION_TOKEN, AwsStub.ACCESS_KEY_ID)
                        .contains(SecretMask.MARK);
            }
        }
    }

    @Test
    @Tag("hostile")
    void a_suite_never_sets_the_reserved_headers() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json")).write(MESSAGE_JSON));
                BedrockClient client = client(server, BedrockClient.Route.RUNTIME_MESSAGES, SIGV4, new ManualClock())) {
            client.send(request("claude-x", false, Map.of("Authorization", "AWS4-HMAC-SHA256 forged", "x-api-key", "k",
                    "X-Amz-Security-Token", "forged", "anthropic-workspace-id", "w", "Content-Encoding", "gzip",
                    "x-sonde-case", "c7")));

            AwsStub.Received sent = server.received().get(0);
            assertThat(sent.header("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=");
            assertThat(sent.header("x-api-key")).isNull();
            assertThat(sent.header("x-amz-security-token")).isEqualTo(AwsStub.SESSION_TOKEN);
            assertThat(sent.header("anthropic-workspace-id")).isNull();
            assertThat(sent.header("content-encoding")).isNull();
            assertThat(sent.header("x-sonde-case")).isEqualTo("c7");
            assertThat(AwsStub.signatureValid(sent, sent.body(), AwsStub.SECRET, AwsStub.SESSION_TOKEN, "bedrock", "us-east-1"))
                    .isTrue();
        }
    }

    @Test
    void the_default_chain_is_asked_per_request_and_one_it_cannot_refresh_fails_as_auth_unsent() throws Exception {
        String[] secret = {AwsStub.SECRET};
        boolean[] expired = {false};
        AwsCredentialsProvider chain = () -> {
            if (expired[0]) {
                throw new IllegalStateException("The SSO session has expired: token " + AwsStub.SESSION_TOKEN);
            }
            return AwsSessionCredentials.create(AwsStub.ACCESS_KEY_ID, secret[0], AwsStub.SESSION_TOKEN);
        };
        AwsAuth auth = AwsAuth.fromEnvironment("bedrock", "br", Map.of(), null, () -> chain);
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json")).write(MESSAGE_JSON));
                BedrockClient client = client(server, BedrockClient.Route.RUNTIME_MESSAGES, auth, new ManualClock())) {
            client.send(request("claude-x", false, Map.of()));
            secret[0] = "rotated-secret-0123456789";
            client.send(request("claude-x", false, Map.of()));
            expired[0] = true;
            Exchange refused = client.send(request("claude-x", false, Map.of()));

            List<AwsStub.Received> sent = server.received();
            assertThat(sent).hasSize(2);
            assertThat(AwsStub.signatureValid(sent.get(0), sent.get(0).body(), AwsStub.SECRET, AwsStub.SESSION_TOKEN,
                    "bedrock", "us-east-1")).isTrue();
            assertThat(AwsStub.signatureValid(sent.get(1), sent.get(1).body(), "rotated-secret-0123456789",
                    AwsStub.SESSION_TOKEN, "bedrock", "us-east-1")).isTrue();
            assertThat(refused.failure().errorClass()).isEqualTo(ErrorClass.AUTH);
            assertThat(refused.failure().message()).doesNotContain(AwsStub.SESSION_TOKEN).doesNotContain("\n");
        }
    }

    @Test
    @Tag("hostile")
    void a_secret_an_exception_frames_message_carries_at_the_cut_is_masked_before_the_cut() throws Exception {
        // the token straddles the 300th character, where the message is cut to one line
        try (AwsStub server = new AwsStub((r, a) -> {
            a.start(200, AwsStub.eventStreamHeaders());
            a.write(AwsStub.exception("throttlingException", "A".repeat(260) + AwsStub.SESSION_TOKEN));
        }); BedrockClient client = client(server, BedrockClient.Route.INVOKE, SIGV4, Clock.system())) {
            Exchange ex = client.send(request("anthropic.claude-x-v1", true, Map.of()));

            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(ex.failure().message()).isEqualTo("A".repeat(260) + SecretMask.MARK)
                    .doesNotContain(AwsStub.SESSION_TOKEN.substring(0, 12));
        }
    }

    @Test
    @Tag("hostile")
    void credentials_the_chain_refreshes_during_the_run_are_masked_when_echoed() throws Exception {
        String fresh = "FAKE-refreshed-secret-by-credential-process-42";
        String freshToken = "FAKE-refreshed-session-token-9876543210-abcdef";
        String freshId = "ASIAFAKEREFRESHED999";
        boolean[] refreshed = {false};
        AwsCredentialsProvider chain = () -> refreshed[0]
                ? AwsSessionCredentials.create(freshId, fresh, freshToken)
                : AwsSessionCredentials.create(AwsStub.ACCESS_KEY_ID, AwsStub.SECRET, AwsStub.SESSION_TOKEN);
        AwsAuth auth = AwsAuth.fromEnvironment("bedrock", "br", Map.of(), null, () -> chain);
        String echo = fresh + " " + freshToken + " " + freshId;
        try (AwsStub server = new AwsStub((r, a) -> {
            if (r.rawPath().contains("invoke")) {
                a.start(200, AwsStub.eventStreamHeaders());
                a.write(AwsStub.exception("throttlingException", "slow down " + r.header("x-amz-security-token")
                        + " " + echo));
            } else {
                a.start(403, Map.of("content-type", "application/json", "x-amzn-ErrorType", "InvalidSignatureException",
                        "anthropic-ratelimit-requests-remaining", r.header("x-amz-security-token")))
                        .write("{\"message\":\"bad " + r.header("authorization") + " " + echo + "\"}");
            }
        }); BedrockClient invoke = client(server, BedrockClient.Route.INVOKE, auth, Clock.system());
                BedrockClient messages = client(server, BedrockClient.Route.RUNTIME_MESSAGES, auth, Clock.system())) {
            refreshed[0] = true; // after the clients' masks were made, as a credential_process refresh would come
            Exchange streamed = invoke.send(request("anthropic.claude-x-v1", true, Map.of()));
            Exchange refused = messages.send(request("claude-x", false, Map.of()));

            assertThat(server.received()).allSatisfy(r -> assertThat(r.header("x-amz-security-token")).isEqualTo(freshToken));
            for (Exchange ex : List.of(streamed, refused)) {
                assertThat(ex.toString()).doesNotContain(fresh, freshToken, freshId).contains(SecretMask.MARK);
            }
            assertThat(auth.secrets().stream().map(ApiKey::reveal)).contains(fresh, freshToken, freshId);
        }
    }

    @Test
    void invoke_moves_the_user_profile_header_into_the_body_as_the_sdk_does() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json")).write(MESSAGE_JSON));
                BedrockClient client = client(server, BedrockClient.Route.INVOKE, SIGV4, new ManualClock())) {
            client.send(request("anthropic.claude-x-v1", false, Map.of("anthropic-user-profile-id", "up-42")));
            MessageRequest own = request("anthropic.claude-x-v1", false, Map.of("Anthropic-User-Profile-Id", "up-43"));
            ((ObjectNode) own.body()).put("user_profile_id", "from-body");
            client.send(own);

            AwsStub.Received first = server.received().get(0);
            assertThat(first.header("anthropic-user-profile-id")).isNull();
            assertThat(JSON.readTree(first.body()).path("user_profile_id").asText()).isEqualTo("up-42");
            assertThat(AwsStub.signatureValid(first, first.body(), AwsStub.SECRET, AwsStub.SESSION_TOKEN, "bedrock",
                    "us-east-1")).isTrue();
            AwsStub.Received second = server.received().get(1);
            assertThat(second.header("anthropic-user-profile-id")).isNull();
            assertThat(JSON.readTree(second.body()).path("user_profile_id").asText()).isEqualTo("from-body");
        }
    }

    @Test
    void mantle_moves_the_user_profile_header_into_the_body_as_the_sdks_mantle_backend_does() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json")).write(MESSAGE_JSON));
                BedrockClient client = client(server, BedrockClient.Route.MANTLE_MESSAGES, SIGV4, new ManualClock())) {
            client.send(request("anthropic.claude-x", false, Map.of("anthropic-user-profile-id", "up-42")));
            MessageRequest own = request("anthropic.claude-x", false, Map.of("Anthropic-User-Profile-Id", "up-43"));
            ((ObjectNode) own.body()).put("user_profile_id", "from-body");
            client.send(own);

            AwsStub.Received first = server.received().get(0);
            assertThat(first.rawPath()).isEqualTo("/anthropic/v1/messages");
            assertThat(first.header("anthropic-user-profile-id")).isNull();
            JsonNode body = JSON.readTree(first.body());
            assertThat(body.path("user_profile_id").asText()).isEqualTo("up-42");
            assertThat(body.path("model").asText()).isEqualTo("anthropic.claude-x");
            assertThat(first.header("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(AwsStub.signatureValid(first, first.body(), AwsStub.SECRET, AwsStub.SESSION_TOKEN, "bedrock-mantle",
                    "us-east-1")).isTrue();
            AwsStub.Received second = server.received().get(1);
            assertThat(second.header("anthropic-user-profile-id")).isNull();
            assertThat(JSON.readTree(second.body()).path("user_profile_id").asText()).isEqualTo("from-body");
        }
    }

    @Test
    void runtime_messages_keep_the_user_profile_header_as_a_header() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json")).write(MESSAGE_JSON));
                BedrockClient client = client(server, BedrockClient.Route.RUNTIME_MESSAGES, SIGV4, new ManualClock())) {
            client.send(request("anthropic.claude-x", false, Map.of("anthropic-user-profile-id", "up-42")));

            AwsStub.Received sent = server.received().get(0);
            assertThat(sent.header("anthropic-user-profile-id")).isEqualTo("up-42");
            assertThat(JSON.readTree(sent.body()).has("user_profile_id")).isFalse();
        }
    }

    @Test
    void invoke_puts_a_suites_anthropic_version_header_in_the_body_as_the_sdk_does() throws Exception {
        try (AwsStub server = new AwsStub((r, a) -> a.start(200, Map.of("content-type", "application/json")).write(MESSAGE_JSON));
                BedrockClient client = client(server, BedrockClient.Route.INVOKE, SIGV4, new ManualClock())) {
            client.send(request("anthropic.claude-x-v1", false, Map.of("Anthropic-Version", "bedrock-2099-01-01")));
            MessageRequest withBody = request("anthropic.claude-x-v1", false, Map.of("anthropic-version", "bedrock-2099-01-01"));
            ((ObjectNode) withBody.body()).put("anthropic_version", "from-body");
            client.send(withBody);
            MessageRequest bodyOnly = request("anthropic.claude-x-v1", false, Map.of());
            ((ObjectNode) bodyOnly.body()).put("anthropic_version", "from-body");
            client.send(bodyOnly);
            client.send(request("anthropic.claude-x-v1", false, Map.of()));

            assertThat(server.received()).extracting(r -> JSON.readTree(r.body()).path("anthropic_version").asText())
                    .containsExactly("bedrock-2099-01-01", "bedrock-2099-01-01", "from-body", "bedrock-2023-05-31");
            assertThat(server.received()).allSatisfy(r -> assertThat(r.header("anthropic-version")).isNull());
        }
    }
}
