package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.VirtualClock;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Issue 22: the platform routes' wire behaviour on the emulator's clock, with plain HTTP. */
class PlatformRoutesTest {
    static final String MODEL_PATH = "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke";
    final ManualClock clock = new ManualClock();
    Emulator emu;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (emu != null) {
            emu.close();
        }
    }

    Emulator start(EmulatorConfig.Builder config) throws Exception {
        emu = Emulator.start(config.clock(clock).latency(List.of(LatencyProfile.instant("*"))).build());
        return emu;
    }

    static String invokeBody() {
        ObjectNode body = Json.object().put("anthropic_version", Platforms.BEDROCK_VERSION).put("max_tokens", 50);
        body.putArray("messages").addObject().put("role", "user").put("content", "Hello");
        return body.toString();
    }

    HttpResponse<String> signedAt(Instant at, String path, String body) {
        return sign(at, path, body, "bedrock", EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
    }

    /** A POST signed with SigV4 at the emulator clock's time, {@code extra} headers signed too. */
    HttpResponse<String> signed(String path, String body, String service, String secret, String... extra) {
        return sign(clock.now(), path, body, service, secret, extra);
    }

    HttpResponse<String> sign(Instant at, String path, String body, String service, String secret,
                              String... extra) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().uri(emu.baseUri().resolve(path))
                .method(SdkHttpMethod.POST).putHeader("content-type", "application/json");
        for (int i = 0; i < extra.length; i += 2) {
            request.putHeader(extra[i], extra[i + 1]);
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(EmulatorCredentials.AWS_ACCESS_KEY_ID, secret))
                .request(request.build()).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, java.time.Clock.fixed(at, ZoneOffset.UTC))).request();
        HttpRequest.Builder http = HttpRequest.newBuilder(emu.baseUri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                http.header(name, values.getFirst());
            }
        });
        return Http.send(http.build());
    }

    @Test
    void a_signature_older_than_fifteen_minutes_is_refused_as_expired() throws Exception {
        start(EmulatorConfig.builder());
        assertThat(signed(MODEL_PATH, invokeBody(), "bedrock", EmulatorCredentials.AWS_SECRET_ACCESS_KEY).statusCode())
                .isEqualTo(200);
        Instant signedAt = clock.now();
        clock.advanceMillis(16 * 60_000L);
        HttpResponse<String> late = signedAt(signedAt, MODEL_PATH, invokeBody());
        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        assertThat(Http.json(late).path("message").asText()).startsWith("Signature expired");
    }

    @Test
    void credentials_are_judged_on_the_credential_clock_not_on_a_clock_skipped_ahead_for_cache_ttls()
            throws Exception {
        VirtualClock skipping = new VirtualClock(clock); // what an offline cache-variant run gives the emulator
        emu = Emulator.start(EmulatorConfig.builder().clock(skipping).credentialClock(clock)
                .credentials(EmulatorCredentials.builder().tokenLifetimeSeconds(60).build())
                .latency(List.of(LatencyProfile.instant("*"))).build());
        String token = token(refreshGrant(EmulatorCredentials.VERTEX_REFRESH_TOKEN));
        skipping.advanceNanos(2 * 3_600_000_000_000L); // two hours of cache TTLs skipped, none of them lived
        HttpResponse<String> signedNow = signed(MODEL_PATH, invokeBody(), "bedrock", EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
        assertThat(signedNow.statusCode()).as(signedNow.body()).isEqualTo(200);
        assertThat(vertex(token, false).statusCode()).isEqualTo(200);
        // the clients' own clock still ages them
        Instant signedAt = clock.now();
        clock.advanceMillis(16 * 60_000L);
        assertThat(signedAt(signedAt, MODEL_PATH, invokeBody()).statusCode()).isEqualTo(403);
        assertThat(vertex(token, false).statusCode()).isEqualTo(401);
    }

    @Test
    void an_unknown_access_key_and_a_wrong_service_are_refused_in_the_aws_shape() throws Exception {
        start(EmulatorConfig.builder().credentials(EmulatorCredentials.builder().awsAccessKeyId("AKIAOTHERKEY0000000")
                .build()));
        HttpResponse<String> unknown = signed(MODEL_PATH, invokeBody(), "bedrock", EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
        emu.close();
        start(EmulatorConfig.builder());
        HttpResponse<String> wrongService = signed(MODEL_PATH, invokeBody(), "bedrock-mantle",
                EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
        assertThat(wrongService.statusCode()).isEqualTo(403);
        assertThat(emu.requests().getLast().route()).isEqualTo("bedrock-invoke");
    }

    @Test
    void invoke_refuses_a_model_in_the_body_and_a_missing_version_as_validation_exceptions() throws Exception {
        start(EmulatorConfig.builder());
        ObjectNode withModel = (ObjectNode) Json.MAPPER.readTree(invokeBody());
        withModel.put("model", "claude-sonnet-4-5");
        HttpResponse<String> model = signed(MODEL_PATH, withModel.toString(), "bedrock",
                EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
        assertThat(model.statusCode()).isEqualTo(400);
        assertThat(model.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
        assertThat(Http.json(model).path("message").asText()).contains("extraneous key [model]");
        ObjectNode noVersion = (ObjectNode) Json.MAPPER.readTree(invokeBody());
        noVersion.remove("anthropic_version");
        HttpResponse<String> version = signed(MODEL_PATH, noVersion.toString(), "bedrock",
                EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
        assertThat(version.statusCode()).isEqualTo(400);
        assertThat(Http.json(version).path("message").asText()).contains("anthropic_version");
        ObjectNode beta = (ObjectNode) Json.MAPPER.readTree(invokeBody());
        beta.putArray("anthropic_beta").add("context-1m-2025-08-07");
        HttpResponse<String> ok = signed(MODEL_PATH, beta.toString(), "bedrock", EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("x-amzn-bedrock-input-token-count")).hasValue(
                Http.json(ok).path("usage").path("input_tokens").asText());
        assertThat(ok.headers().firstValue("x-amzn-bedrock-output-token-count")).isPresent();
        assertThat(ok.headers().firstValue("x-amzn-bedrock-invocation-latency")).isPresent();
        assertThat(Http.json(ok).path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void an_arn_model_id_in_the_invoke_path_is_read_whole_and_as_its_anthropic_id() throws Exception {
        start(EmulatorConfig.builder());
        String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0";
        HttpResponse<String> r = Http.post(emu.baseUri(), "/model/" + URLEncoder.encode(arn, StandardCharsets.UTF_8)
                + "/invoke", invokeBody(), "authorization", "Bearer " + EmulatorCredentials.BEDROCK_API_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Http.json(r).path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    /**
     * Bedrock's invocation latency counts from the request received whole, not from its headers: a
     * client that sends the headers, then the body 5 s later on the emulator's clock, is told the
     * answer's own time (0 ms on an instant profile), not the 5 s it spent writing.
     */
    @Test
    void invocation_latency_counts_from_the_body_read_not_the_headers_arrival() throws Exception {
        start(EmulatorConfig.builder());
        byte[] body = invokeBody().getBytes(StandardCharsets.UTF_8);
        String head = "POST " + MODEL_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + EmulatorCredentials.BEDROCK_API_KEY + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket(emu.baseUri().getHost(), emu.baseUri().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300); // the handler starts on the headers alone and waits for the body
            clock.advanceMillis(5_000);
            out.write(body);
            out.flush();
            String response = new String(socket.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("x-amzn-bedrock-invocation-latency: 0\r\n");
        }
    }

    /** The frames of an invoke-with-response-stream answer, decoded with the AWS library (CRCs checked). */
    static List<Message> frames(byte[] body) {
        List<Message> frames = new ArrayList<>();
        new MessageDecoder(frames::add).feed(body);
        return frames;
    }

    HttpResponse<byte[]> invokeStream(String fault) {
        String path = MODEL_PATH.replace("/invoke", "/invoke-with-response-stream");
        return Http.CLIENT.sendAsync(HttpRequest.newBuilder(emu.baseUri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(invokeBody()))
                .header("authorization", "Bearer " + EmulatorCredentials.BEDROCK_API_KEY)
                .header(Faults.HEADER, fault).build(), HttpResponse.BodyHandlers.ofByteArray()).join();
    }

    @Test
    void error_faults_on_an_event_stream_are_exception_frames_of_the_named_or_nearest_type() throws Exception {
        start(EmulatorConfig.builder());
        for (String[] fault : new String[][] {{"type=modelStreamErrorException", "modelStreamErrorException"},
                {"type=api_error", "internalServerException"}, {"type=rate_limit_error", "throttlingException"}}) {
            HttpResponse<byte[]> r = invokeStream("error_after_deltas=1; " + fault[0]);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue(BedrockWire.EVENT_STREAM_TYPE);
            assertThat(r.headers().firstValue("x-amzn-bedrock-content-type")).hasValue("application/json");
            List<Message> frames = frames(r.body());
            Message last = frames.getLast();
            assertThat(last.getHeaders().get(":message-type").getString()).isEqualTo("exception");
            assertThat(last.getHeaders().get(":exception-type").getString()).isEqualTo(fault[1]);
            assertThat(frames.getFirst().getHeaders().get(":event-type").getString()).isEqualTo("chunk");
        }
    }

    @Test
    void a_malformed_fault_on_an_event_stream_is_a_frame_whose_message_crc_fails() throws Exception {
        start(EmulatorConfig.builder());
        byte[] body = invokeStream("malformed_after_deltas=1").body();
        List<Message> before = new ArrayList<>();
        assertThatThrownBy(() -> new MessageDecoder(before::add).feed(body)).hasMessageContaining("checksum");
        // the frames before it decode whole: the stream's start and its first delta
        assertThat(before).hasSizeGreaterThanOrEqualTo(2);
        JsonNode first = Json.MAPPER.readTree(Base64.getDecoder().decode(
                Json.MAPPER.readTree(before.getFirst().getPayload()).path("bytes").asText()));
        assertThat(first.path("type").asText()).isEqualTo("message_start");
    }

    @Test
    void bedrock_rate_limits_answer_429_throttling_in_the_aws_shape() throws Exception {
        start(EmulatorConfig.builder().rateLimits(List.of(new RateLimit("*", 1, 0, 0))));
        assertThat(signed(MODEL_PATH, invokeBody(), "bedrock", EmulatorCredentials.AWS_SECRET_ACCESS_KEY).statusCode())
                .isEqualTo(200);
        HttpResponse<String> limited = signed(MODEL_PATH, invokeBody(), "bedrock", EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("x-amzn-ErrorType")).hasValue("ThrottlingException");
        assertThat(Http.json(limited).has("message")).isTrue();
    }

    @Test
    void claude_platform_on_aws_requires_the_workspace_header() throws Exception {
        start(EmulatorConfig.builder());
        String body = Json.MAPPER.readTree(invokeBody()).deepCopy().toString().replace(
                "\"anthropic_version\":\"bedrock-2023-05-31\"", "\"model\":\"claude-sonnet-4-5\"");
        HttpResponse<String> missing = signed("/v1/messages", body, "aws-external-anthropic",
                EmulatorCredentials.AWS_SECRET_ACCESS_KEY, "anthropic-version", "2023-06-01");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(Http.json(missing).path("message").asText()).contains("anthropic-workspace-id");
        HttpResponse<String> ok = signed("/v1/messages", body, "aws-external-anthropic",
                EmulatorCredentials.AWS_SECRET_ACCESS_KEY, "anthropic-version", "2023-06-01",
                "anthropic-workspace-id", "wrkspc_x");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(emu.requests().getLast().route()).isEqualTo("claude-platform-aws");
    }

    @Test
    void foundry_answers_carry_no_rate_limit_headers_and_accept_the_api_key_header() throws Exception {
        start(EmulatorConfig.builder().rateLimits(List.of(new RateLimit("*", 100, 0, 0))));
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        HttpResponse<String> foundry = Http.post(emu.baseUri(), "/anthropic/v1/messages", body, "api-key",
                EmulatorCredentials.FOUNDRY_API_KEY, "anthropic-version", "2023-06-01");
        assertThat(foundry.statusCode()).isEqualTo(200);
        assertThat(foundry.headers().map().keySet()).noneMatch(h -> h.startsWith("anthropic-ratelimit-"));
        HttpResponse<String> firstParty = Http.post(emu.baseUri(), "/v1/messages", body, Http.AUTH);
        assertThat(firstParty.headers().map().keySet()).anyMatch(h -> h.startsWith("anthropic-ratelimit-"));
        HttpResponse<String> wrong = Http.post(emu.baseUri(), "/anthropic/v1/messages", body, "x-api-key", "nope",
                "anthropic-version", "2023-06-01");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(emu.requests().getLast().route()).isEqualTo("foundry");
    }

    String token(String form) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(emu.baseUri().resolve(OAuthTokens.PATH))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        return response.statusCode() == 200 ? Http.json(response).path("access_token").asText()
                : "error " + response.statusCode() + " " + Http.json(response).path("error").asText();
    }

    static String refreshGrant(String refreshToken) {
        return "grant_type=refresh_token&client_id=" + EmulatorCredentials.VERTEX_CLIENT_ID + "&client_secret="
                + EmulatorCredentials.VERTEX_CLIENT_SECRET + "&refresh_token="
                + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
    }

    HttpResponse<String> vertex(String token, boolean stream) {
        String body = "{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":20,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        return Http.post(emu.baseUri(), "/v1/projects/p/locations/global/publishers/anthropic/models/"
                + "claude-sonnet-4-5@20250929:" + (stream ? "streamRawPredict" : "rawPredict"), body,
                "authorization", "Bearer " + token);
    }

    @Test
    void vertex_tokens_expire_after_their_configured_lifetime_with_a_google_shaped_401() throws Exception {
        start(EmulatorConfig.builder().credentials(EmulatorCredentials.builder().tokenLifetimeSeconds(60).build()));
        assertThat(token(refreshGrant("not-the-refresh-token"))).isEqualTo("error 400 invalid_grant");
        String token = token(refreshGrant(EmulatorCredentials.VERTEX_REFRESH_TOKEN));
        HttpResponse<String> ok = vertex(token, false);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(Http.json(ok).path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        HttpResponse<String> streamed = vertex(token, true);
        assertThat(streamed.headers().firstValue("content-type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        clock.advanceMillis(61_000);
        HttpResponse<String> expired = vertex(token, false);
        assertThat(expired.statusCode()).isEqualTo(401);
        JsonNode error = Http.json(expired).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(401);
        assertThat(error.path("status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(vertex("ya29.made-up", false).statusCode()).isEqualTo(401);
        assertThat(emu.requests().getLast().route()).isEqualTo("vertex");
    }

    @Test
    void a_vertex_model_id_holding_a_colon_reaches_the_route_with_the_method_after_the_last_colon() throws Exception {
        start(EmulatorConfig.builder());
        String token = token(refreshGrant(EmulatorCredentials.VERTEX_REFRESH_TOKEN));
        String body = "{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":20,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        // as VertexClient.segment writes it: ':' is kept in a path segment, unescaped
        for (String method : List.of("rawPredict", "streamRawPredict")) {
            HttpResponse<String> r = Http.post(emu.baseUri(), "/v1/projects/p/locations/global/publishers/anthropic/"
                    + "models/my-tuned:claude@20250929:" + method, body, "authorization", "Bearer " + token);
            assertThat(r.statusCode()).as(method + ": " + r.body()).isEqualTo(200);
            assertThat(emu.requests().getLast().route()).isEqualTo("vertex");
            assertThat(r.body()).contains("my-tuned:claude");
        }
    }

    @Test
    void a_platforms_latency_profile_replaces_the_models_for_its_requests_only() throws Exception {
        emu = Emulator.start(EmulatorConfig.builder().latency(List.of(LatencyProfile.instant("*")))
                .platformLatency(Map.of("foundry", List.of(new LatencyProfile("*", 300, 0, 0, 0)))).build());
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        Clock real = Clock.system();
        long start = real.nanoTime();
        Http.post(emu.baseUri(), "/v1/messages", body, Http.AUTH);
        long firstParty = real.nanoTime() - start;
        start = real.nanoTime();
        assertThat(Http.post(emu.baseUri(), "/anthropic/v1/messages", body, "x-api-key", EmulatorCredentials.FOUNDRY_API_KEY,
                "anthropic-version", "2023-06-01").statusCode()).isEqualTo(200);
        long foundry = real.nanoTime() - start;
        assertThat(foundry).isGreaterThanOrEqualTo(300_000_000L);
        assertThat(firstParty).isLessThan(300_000_000L);
    }

    @Test
    void the_config_file_overrides_credentials_and_refuses_an_unknown_platform() throws Exception {
        Path config = dir.resolve("emulator.yaml");
        Files.writeString(config, """
                credentials:
                  foundry_api_key: my-foundry-key
                  token_lifetime_s: 120
                platforms:
                  vertex: {latency: [{model: "*", ttft_base_ms: 500}]}
                """);
        EmulatorConfig loaded = EmulatorConfig.load(config);
        assertThat(loaded.credentials().foundryApiKey()).isEqualTo("my-foundry-key");
        assertThat(loaded.credentials().tokenLifetimeSeconds()).isEqualTo(120);
        assertThat(loaded.credentials().awsAccessKeyId()).isEqualTo(EmulatorCredentials.AWS_ACCESS_KEY_ID);
        assertThat(loaded.platformLatency().get("vertex")).containsExactly(new LatencyProfile("*", 500, 0, 0, 0));
        Files.writeString(config, "seed: 1\nplatforms:\n  azure: {latency: []}\n");
        assertThatThrownBy(() -> EmulatorConfig.load(config)).hasMessage(config + ":3:3: platforms.azure: unknown platform "
                + "(expected one of [bedrock, claude-platform-aws, foundry, vertex])");
        Files.writeString(config, "credentials:\n  foundry_api_key: k\n  token_lifetime_s: 0\n");
        assertThatThrownBy(() -> EmulatorConfig.load(config)).hasMessage(config
                + ":3:3: credentials.token_lifetime_s: must be 1 to 86400, was 0");
        Files.writeString(config, "credentials:\n  aws_secret: x\n");
        assertThatThrownBy(() -> EmulatorConfig.load(config)).hasMessageStartingWith(config
                + ":2:3: credentials.aws_secret: unknown key");
        Files.writeString(config, "credentials:\n  bedrock_api_key: [x]\n");
        assertThatThrownBy(() -> EmulatorConfig.load(config)).hasMessage(config
                + ":2:3: credentials.bedrock_api_key: expected a string");
    }

    @Test
    void a_payload_hash_that_does_not_match_the_body_is_refused() throws Exception {
        start(EmulatorConfig.builder());
        SdkHttpRequest request = SdkHttpRequest.builder().uri(emu.baseUri().resolve(MODEL_PATH)).method(SdkHttpMethod.POST)
                .putHeader("content-type", "application/json").putHeader("x-amz-content-sha256", SigV4.sha256(new byte[0]))
                .build();
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(emu.baseUri() + MODEL_PATH))
                .POST(HttpRequest.BodyPublishers.ofString(invokeBody()))
                .header("x-amz-content-sha256", request.firstMatchingHeader("x-amz-content-sha256").orElseThrow())
                .header("x-amz-date", "20260101T000000Z")
                .header("authorization", "AWS4-HMAC-SHA256 Credential=" + EmulatorCredentials.AWS_ACCESS_KEY_ID
                        + "/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                        + "Signature=" + "0".repeat(64)).build());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Http.json(response).path("message").asText()).contains("x-amz-content-sha256");
    }
}
