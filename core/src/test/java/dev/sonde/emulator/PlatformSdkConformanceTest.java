package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.aws.backends.AwsBackend;
import com.anthropic.backends.Backend;
import com.anthropic.bedrock.backends.BedrockBackend;
import com.anthropic.bedrock.backends.BedrockMantleBackend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.foundry.backends.FoundryBackend;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.vertex.backends.VertexBackend;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * Issue 22 conformance: the Anthropic SDK's platform backends and the AWS SDK's Bedrock Runtime
 * clients talk to one started emulator as they would to the platforms, and every platform gets
 * the first-party answer (same text, same usage) for the same request and seed.
 */
class PlatformSdkConformanceTest {
    static final String PROMPT = "Name three rivers of Europe.";
    static final String MODEL = "claude-sonnet-4-5-20250929";
    static final String BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final AwsBasicCredentials AWS = AwsBasicCredentials.create(EmulatorCredentials.AWS_ACCESS_KEY_ID,
            EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
    static final String SERVICE_ACCOUNT = "sonde-test@sonde-emulator.iam.gserviceaccount.com";
    static KeyPair serviceAccountKey;
    static Emulator emu;
    static Message reference;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        serviceAccountKey = rsa.generateKeyPair();
        EmulatorCredentials credentials = EmulatorCredentials.builder()
                .serviceAccount(SERVICE_ACCOUNT, pem("PUBLIC KEY", serviceAccountKey.getPublic().getEncoded())).build();
        emu = Emulator.start(EmulatorConfig.builder().seed(22).credentials(credentials)
                .latency(List.of(LatencyProfile.instant("*"))).build());
        AnthropicClient firstParty = AnthropicOkHttpClient.builder().baseUrl(emu.baseUri().toString())
                .apiKey("sk-conf").maxRetries(0).build();
        try {
            reference = firstParty.messages().create(params(MODEL));
        } finally {
            firstParty.close();
        }
        assertThat(text(reference)).isNotBlank();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    static MessageCreateParams params(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(300).addUserMessage(PROMPT).build();
    }

    static String text(Message message) {
        return message.content().getFirst().text().orElseThrow().text();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** create and createStreaming through {@code client} give the first-party text and usage; the log names the route. */
    static void assertSameAnswer(AnthropicClient client, String model, String route) {
        try {
            Message json = client.messages().create(params(model));
            assertThat(text(json)).isEqualTo(text(reference));
            assertThat(json.usage().inputTokens()).isEqualTo(reference.usage().inputTokens());
            assertThat(json.usage().outputTokens()).isEqualTo(reference.usage().outputTokens());
            MessageAccumulator accumulator = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params(model))) {
                stream.stream().forEach(accumulator::accumulate);
            }
            Message streamed = accumulator.message();
            assertThat(text(streamed)).isEqualTo(text(reference));
            assertThat(streamed.usage().outputTokens()).isEqualTo(reference.usage().outputTokens());
            assertThat(streamed.usage().inputTokens()).isEqualTo(reference.usage().inputTokens());
        } finally {
            client.close();
        }
        List<EmulatorRequest> log = emu.requests();
        assertThat(log.subList(log.size() - 2, log.size())).allSatisfy(r -> {
            assertThat(r.route()).isEqualTo(route);
            assertThat(r.status()).isEqualTo(200);
        });
    }

    static AnthropicClient sdk(Backend backend, String anthropicVersion) {
        AnthropicOkHttpClient.Builder b = AnthropicOkHttpClient.builder().backend(backend).maxRetries(0);
        return anthropicVersion == null ? b.build() : b.putHeader("anthropic-version", anthropicVersion).build();
    }

    static String base() {
        return emu.baseUri().toString();
    }

    @Test
    void bedrock_invoke_signed_with_sigv4_answers_as_first_party() {
        assertSameAnswer(sdk(BedrockBackend.builder().awsCredentials(AWS).region(Region.US_EAST_1).baseUrl(base())
                .build(), Platforms.BEDROCK_VERSION), BEDROCK_MODEL, "bedrock-invoke");
    }

    @Test
    void bedrock_invoke_with_an_api_key_and_the_sdks_default_version_date() {
        assertSameAnswer(sdk(BedrockBackend.builder().apiKey(EmulatorCredentials.BEDROCK_API_KEY)
                .region(Region.US_EAST_1).baseUrl(base()).build(), null), BEDROCK_MODEL, "bedrock-invoke");
    }

    @Test
    void bedrock_mantle_signed_with_sigv4_answers_as_first_party() {
        assertSameAnswer(sdk(BedrockMantleBackend.builder().awsCredentials(AWS).region(Region.US_EAST_1)
                .baseUrl(base() + "/anthropic").build(), null), "anthropic.claude-sonnet-4-5-20250929-v1:0",
                "bedrock-mantle");
    }

    @Test
    void claude_platform_on_aws_with_sigv4_and_with_an_api_key() {
        assertSameAnswer(sdk(AwsBackend.builder().awsCredentials(AWS).region(Region.US_EAST_1)
                .workspaceId("wrkspc_sonde").baseUrl(base()).build(), null), MODEL, "claude-platform-aws");
        assertSameAnswer(sdk(AwsBackend.builder().apiKey("sk-aws-conf").workspaceId("wrkspc_sonde").baseUrl(base())
                .build(), null), MODEL, "claude-platform-aws");
    }

    @Test
    void vertex_with_an_authorized_user_adc_whose_token_uri_is_the_emulator() throws Exception {
        String adc = Json.object().put("type", "authorized_user").put("client_id", EmulatorCredentials.VERTEX_CLIENT_ID)
                .put("client_secret", EmulatorCredentials.VERTEX_CLIENT_SECRET)
                .put("refresh_token", EmulatorCredentials.VERTEX_REFRESH_TOKEN)
                .put("token_uri", base() + OAuthTokens.PATH).toString();
        assertSameAnswer(sdk(vertex(adc), Platforms.VERTEX_VERSION), "claude-sonnet-4-5@20250929", "vertex");
        AnthropicClient client = sdk(vertex(adc), Platforms.VERTEX_VERSION);
        try {
            long counted = client.messages().countTokens(MessageCountTokensParams.builder()
                    .model("claude-sonnet-4-5@20250929").addUserMessage(PROMPT).build()).inputTokens();
            assertThat(counted).isEqualTo(reference.usage().inputTokens());
        } finally {
            client.close();
        }
        assertThat(emu.requests().getLast().path()).endsWith("/models/count-tokens:rawPredict");
    }

    @Test
    void vertex_with_a_service_account_adc_whose_jwt_the_emulator_verifies() throws Exception {
        String adc = serviceAccountAdc(serviceAccountKey);
        assertSameAnswer(sdk(vertex(adc), null), "claude-sonnet-4-5@20250929", "vertex");
    }

    @Test
    void vertex_refuses_a_service_account_jwt_signed_by_another_key() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        AnthropicClient client = sdk(vertex(serviceAccountAdc(rsa.generateKeyPair())), null);
        try {
            assertThatThrownBy(() -> client.messages().create(params("claude-sonnet-4-5@20250929")))
                    .hasMessageContaining("Invalid JWT Signature");
        } finally {
            client.close();
        }
    }

    static VertexBackend vertex(String adc) throws Exception {
        GoogleCredentials credentials = GoogleCredentials.fromStream(new ByteArrayInputStream(
                adc.getBytes(StandardCharsets.UTF_8))).createScoped("https://www.googleapis.com/auth/cloud-platform");
        return VertexBackend.builder().googleCredentials(credentials).region("global").project("sonde-test")
                .baseUrl(base()).build();
    }

    static String serviceAccountAdc(KeyPair key) {
        return Json.object().put("type", "service_account").put("project_id", "sonde-test")
                .put("private_key_id", "k1").put("private_key", pem("PRIVATE KEY", key.getPrivate().getEncoded()))
                .put("client_email", SERVICE_ACCOUNT).put("client_id", "1").put("token_uri", base() + OAuthTokens.PATH)
                .toString();
    }

    @Test
    void foundry_with_a_key_and_with_a_bearer_supplier() {
        assertSameAnswer(sdk(FoundryBackend.builder().apiKey(EmulatorCredentials.FOUNDRY_API_KEY).baseUrl(base())
                .build(), null), MODEL, "foundry");
        assertSameAnswer(sdk(FoundryBackend.builder().bearerTokenSupplier(() -> EmulatorCredentials.FOUNDRY_API_KEY)
                .baseUrl(base()).build(), null), MODEL, "foundry");
    }

    static BedrockRuntimeClient syncClient(AwsBasicCredentials credentials) {
        return BedrockRuntimeClient.builder().endpointOverride(URI.create(base())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
    }

    static BedrockRuntimeAsyncClient asyncClient() {
        return BedrockRuntimeAsyncClient.builder().endpointOverride(URI.create(base())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AWS))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
    }

    static String invokeBody() {
        ObjectNode body = Json.object().put("anthropic_version", Platforms.BEDROCK_VERSION).put("max_tokens", 300);
        body.putArray("messages").addObject().put("role", "user").put("content", PROMPT);
        return body.toString();
    }

    @Test
    void aws_sdk_invoke_model_gets_the_first_party_message_and_bedrock_usage_headers() throws Exception {
        try (BedrockRuntimeClient client = syncClient(AWS)) {
            InvokeModelResponse response = client.invokeModel(r -> r.modelId(BEDROCK_MODEL)
                    .contentType("application/json").body(SdkBytes.fromUtf8String(invokeBody())));
            JsonNode message = Json.MAPPER.readTree(response.body().asUtf8String());
            assertThat(message.path("content").get(0).path("text").asText()).isEqualTo(text(reference));
            assertThat(message.path("usage").path("output_tokens").asLong()).isEqualTo(reference.usage().outputTokens());
            assertThat(response.responseMetadata().requestId()).isNotNull();
        }
        assertThat(emu.requests().getLast().route()).isEqualTo("bedrock-invoke");
    }

    @Test
    void aws_sdk_with_a_wrong_secret_gets_403_invalid_signature() {
        try (BedrockRuntimeClient client = syncClient(AwsBasicCredentials.create(EmulatorCredentials.AWS_ACCESS_KEY_ID,
                "not-the-emulator-secret"))) {
            assertThatThrownBy(() -> client.invokeModel(r -> r.modelId(BEDROCK_MODEL).contentType("application/json")
                    .body(SdkBytes.fromUtf8String(invokeBody())))).isInstanceOfSatisfying(BedrockRuntimeException.class,
                    e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"429:ThrottlingException", "400:ValidationException", "500:InternalServerException",
        "503:ServiceUnavailableException", "529:ServiceUnavailableException"})
    void api_errors_reach_the_aws_sdk_as_its_typed_exceptions(String statusAndType) {
        String[] expected = statusAndType.split(":");
        try (BedrockRuntimeClient client = syncClient(AWS)) {
            assertThatThrownBy(() -> client.invokeModel(r -> r.modelId(BEDROCK_MODEL).contentType("application/json")
                    .body(SdkBytes.fromUtf8String(invokeBody()))
                    .overrideConfiguration(c -> c.putHeader(Faults.HEADER, "status=" + expected[0]))))
                    .isInstanceOfSatisfying(BedrockRuntimeException.class, e -> {
                        assertThat(e.getClass().getSimpleName()).isEqualTo(expected[1]);
                        assertThat(e.statusCode()).isEqualTo(expected[0].equals("529") ? 503 : Integer.parseInt(expected[0]));
                    });
        }
    }

    /** The stream's chunks, decoded, and the error it ended with (null when none). */
    record Streamed(List<JsonNode> events, Throwable error) {}

    static Streamed invokeStreaming(String fault) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        InvokeModelWithResponseStreamRequest.Builder request = InvokeModelWithResponseStreamRequest.builder()
                .modelId(BEDROCK_MODEL).contentType("application/json").body(SdkBytes.fromUtf8String(invokeBody()));
        if (fault != null) {
            request.overrideConfiguration(c -> c.putHeader(Faults.HEADER, fault));
        }
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder().onChunk((PayloadPart part) -> {
                    try {
                        events.add(Json.MAPPER.readTree(part.bytes().asByteArray()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).build()).build();
        try (BedrockRuntimeAsyncClient client = asyncClient()) {
            CompletableFuture<Void> done = client.invokeModelWithResponseStream(request.build(), handler);
            try {
                done.get(30, TimeUnit.SECONDS);
                return new Streamed(events, null);
            } catch (ExecutionException e) {
                return new Streamed(events, e.getCause());
            }
        }
    }

    @Test
    void aws_sdk_stream_decodes_every_event_and_the_invocation_metrics() throws Exception {
        Streamed streamed = invokeStreaming(null);
        assertThat(streamed.error()).isNull();
        StringBuilder text = new StringBuilder();
        streamed.events().stream().filter(e -> e.path("type").asText().equals("content_block_delta"))
                .forEach(e -> text.append(e.path("delta").path("text").asText()));
        assertThat(text.toString()).isEqualTo(text(reference));
        JsonNode last = streamed.events().getLast();
        assertThat(last.path("type").asText()).isEqualTo("message_stop");
        JsonNode metrics = last.path("amazon-bedrock-invocationMetrics");
        assertThat(metrics.path("inputTokenCount").asLong()).isEqualTo(reference.usage().inputTokens());
        assertThat(metrics.path("outputTokenCount").asLong()).isEqualTo(reference.usage().outputTokens());
        assertThat(metrics.path("invocationLatency").asLong()).isGreaterThanOrEqualTo(metrics.path("firstByteLatency").asLong());
        assertThat(emu.requests().getLast().route()).isEqualTo("bedrock-invoke");
    }

    @Test
    void an_exception_frame_reaches_the_aws_sdk_as_its_throttling_exception() throws Exception {
        Streamed streamed = invokeStreaming("error_after_deltas=2; type=throttlingException");
        assertThat(streamed.error()).isInstanceOf(ThrottlingException.class);
        assertThat(streamed.events()).isNotEmpty();
    }

    @Test
    void a_corrupted_frame_makes_the_aws_sdk_fail() throws Exception {
        Streamed streamed = invokeStreaming("malformed_after_deltas=1");
        assertThat(streamed.error()).isNotNull();
    }

    @Test
    void an_exception_frame_reaches_the_anthropic_sdk_as_a_throttling_error_and_a_bad_crc_fails_it() {
        for (String fault : List.of("error_after_deltas=2; type=throttlingException", "malformed_after_deltas=1")) {
            AnthropicClient client = sdk(BedrockBackend.builder().awsCredentials(AWS).region(Region.US_EAST_1)
                    .baseUrl(base()).build(), Platforms.BEDROCK_VERSION);
            try {
                MessageCreateParams request = params(BEDROCK_MODEL).toBuilder().putAdditionalHeader(Faults.HEADER, fault)
                        .build();
                assertThatThrownBy(() -> {
                    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(request)) {
                        stream.stream().forEach(e -> { });
                    }
                }).satisfies(e -> {
                    if (fault.startsWith("error")) {
                        assertThat(e).hasMessageContaining("throttlingException");
                    }
                });
            } finally {
                client.close();
            }
        }
    }
}
