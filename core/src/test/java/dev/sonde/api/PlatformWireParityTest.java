package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.foundry.backends.FoundryBackend;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.vertex.backends.VertexBackend;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.sonde.metrics.Clock;
import dev.sonde.testing.StubServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sonde's Vertex and Foundry clients put on the wire what the official SDK's {@code VertexBackend}
 * and {@code FoundryBackend} (anthropic-java 3.16) put there for the same call: the same paths and
 * bodies, streaming, whole and counting tokens. The SDK is told the Vertex body version Sonde
 * sends (its own default is the newest {@code anthropic-version}, which it copies into the body).
 */
class PlatformWireParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERTEX_MODEL = "claude-sonnet-4-5@20250929";
    private static final String TOKEN = "ya29.parity-token-0123456789";

    private static StubServer.Script answers() {
        return (request, response, out) -> {
            if (request.path().endsWith("count_tokens") || request.path().endsWith("count-tokens:rawPredict")) {
                response.getHeaders().put("content-type", "application/json");
                StubServer.write(out, "{\"input_tokens\":5}");
            } else if (JSON.readTree(request.body()).path("stream").asBoolean(false)) {
                StubServer.messagesStream(0).answer(request, response, out);
            } else {
                response.getHeaders().put("content-type", "application/json");
                StubServer.write(out, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"Paris\"}],\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}");
            }
        };
    }

    /** The three calls through the SDK: whole, streamed, count tokens. */
    private static void sdkCalls(AnthropicClient sdk, String model) {
        MessageCreateParams params = MessageCreateParams.builder().model(model).maxTokens(64).addUserMessage("hi").build();
        sdk.messages().create(params);
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
            stream.stream().forEach(event -> { });
        }
        sdk.messages().countTokens(MessageCountTokensParams.builder().model(model).addUserMessage("hi").build());
    }

    /** The same three calls through Sonde's provider. */
    private static void sondeCalls(Provider provider, String model) throws Exception {
        ObjectNode whole = (ObjectNode) JSON.readTree("{\"model\":\"" + model + "\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        ObjectNode streamed = whole.deepCopy().put("stream", true);
        ObjectNode count = (ObjectNode) JSON.readTree("{\"model\":\"" + model + "\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(provider.send(new MessageRequest(whole, Map.of(), Duration.ofSeconds(5))).failure()).isNull();
        assertThat(provider.send(new MessageRequest(streamed, Map.of(), Duration.ofSeconds(5))).failure()).isNull();
        assertThat(provider.countTokens(new MessageRequest(count, Map.of(), Duration.ofSeconds(5))).failure()).isNull();
    }

    /** One request as it matters here: a JSON body compares equal whatever its fields' order. */
    private record Sent(String method, String path, JsonNode body) {}

    private static List<Sent> wire(StubServer server) throws Exception {
        List<Sent> out = new java.util.ArrayList<>();
        for (StubServer.Received r : server.received()) {
            out.add(new Sent(r.method(), r.path(), JSON.readTree(r.body())));
        }
        return out;
    }

    @Test
    void vertex_paths_and_bodies_match_the_sdk() throws Exception {
        GoogleCredentials credentials = GoogleCredentials.create(new AccessToken(TOKEN,
                Date.from(Instant.now().plus(Duration.ofHours(1)))));
        try (StubServer sdkSide = StubServer.start(answers()); StubServer sondeSide = StubServer.start(answers())) {
            AnthropicClient sdk = AnthropicOkHttpClient.builder().backend(VertexBackend.builder()
                    .googleCredentials(credentials).region("us-east5").project("my-proj")
                    .baseUrl(sdkSide.baseUri().toString()).build())
                    .putHeader("anthropic-version", VertexClient.API_VERSION).maxRetries(0).build();
            sdkCalls(sdk, VERTEX_MODEL);
            sdk.close();
            try (VertexClient sonde = new VertexClient(sondeSide.baseUri(), "my-proj", "us-east5",
                    VertexAuth.of(credentials), SecretMask.NONE, Clock.system(), Duration.ofSeconds(2))) {
                sondeCalls(sonde, VERTEX_MODEL);
            }

            assertThat(wire(sondeSide)).hasSize(3).isEqualTo(wire(sdkSide));
            assertThat(sondeSide.received()).allSatisfy(r -> {
                assertThat(r.header("authorization")).isEqualTo("Bearer " + TOKEN);
                assertThat(r.header("anthropic-version")).isNull();
            });
            assertThat(sdkSide.received()).allSatisfy(r -> assertThat(r.header("anthropic-version")).isNull());
        }
    }

    @Test
    void foundry_paths_and_bodies_match_the_sdk() throws Exception {
        String key = "foundry-parity-key-0123";
        try (StubServer sdkSide = StubServer.start(answers()); StubServer sondeSide = StubServer.start(answers())) {
            AnthropicClient sdk = AnthropicOkHttpClient.builder().backend(FoundryBackend.builder().apiKey(key)
                    .baseUrl(sdkSide.baseUri().toString()).build()).maxRetries(0).build();
            sdkCalls(sdk, "my-deployment");
            sdk.close();
            try (FoundryClient sonde = new FoundryClient(sondeSide.baseUri(), FoundryAuth.apiKey(ApiKey.of(key)),
                    SecretMask.NONE, Clock.system(), Duration.ofSeconds(2))) {
                sondeCalls(sonde, "my-deployment");
            }

            assertThat(wire(sondeSide)).hasSize(3).isEqualTo(wire(sdkSide));
            for (List<StubServer.Received> side : List.of(sdkSide.received(), sondeSide.received())) {
                assertThat(side).allSatisfy(r -> assertThat(r.header("x-api-key")).isEqualTo(key));
            }
        }
    }
}
