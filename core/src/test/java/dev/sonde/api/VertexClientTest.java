package dev.sonde.api;

import static dev.sonde.testing.StubServer.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.oauth2.GoogleCredentials;
import dev.sonde.metrics.Clock;
import dev.sonde.testing.StubServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VertexClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "claude-sonnet-4-5@20250929";
    private static final String ROUTE = "/v1/projects/my-proj/locations/us-east5/publishers/anthropic/models/";
    private static final String REFRESH = "sonde-emulator-refresh";
    private static final String CLIENT_SECRET = "sonde-emulator-secret";

    @TempDir
    Path dir;

    /** A token endpoint at /token issuing ya29-style tokens of {@code lifetimeSeconds}, then the Vertex routes of {@code vertex}. */
    private static final class Google {
        final List<String> tokens = new CopyOnWriteArrayList<>();
        final List<StubServer.Received> tokenPosts = new CopyOnWriteArrayList<>();
        final AtomicInteger issued = new AtomicInteger();
        final StubServer server;

        Google(int lifetimeSeconds, long tokenDelayMillis, StubServer.Script vertex) throws Exception {
            server = StubServer.start((request, response, out) -> {
                if (request.path().equals("/token")) {
                    tokenPosts.add(request);
                    Thread.sleep(tokenDelayMillis);
                    String token = "ya29.a0-test-token-" + issued.incrementAndGet() + "-Zq8xWv3";
                    tokens.add(token);
                    response.getHeaders().put("content-type", "application/json");
                    StubServer.write(out, "{\"access_token\":\"" + token + "\",\"expires_in\":" + lifetimeSeconds
                            + ",\"token_type\":\"Bearer\"}");
                } else {
                    vertex.answer(request, response, out);
                }
            });
        }

        URI base() {
            return server.baseUri();
        }

        List<StubServer.Received> vertexRequests() {
            return server.received().stream().filter(r -> !r.path().equals("/token")).toList();
        }
    }

    private static String pem() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        byte[] pkcs8 = gen.generateKeyPair().getPrivate().getEncoded();
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n";
    }

    private Path serviceAccount(URI base) throws Exception {
        ObjectNode adc = JSON.createObjectNode();
        adc.put("type", "service_account");
        adc.put("project_id", "my-proj");
        adc.put("private_key_id", "test-key-id");
        adc.put("private_key", pem());
        adc.put("client_email", "sonde-test@my-proj.iam.gserviceaccount.com");
        adc.put("client_id", "1234567890");
        adc.put("token_uri", base + "/token");
        Path file = dir.resolve("service-account.json");
        Files.writeString(file, JSON.writeValueAsString(adc));
        return file;
    }

    private Path authorizedUser(URI base) throws Exception {
        Path file = dir.resolve("authorized-user.json");
        Files.writeString(file, "{\"type\":\"authorized_user\",\"client_id\":\"sonde-emulator\",\"client_secret\":\""
                + CLIENT_SECRET + "\",\"refresh_token\":\"" + REFRESH + "\",\"token_uri\":\"" + base + "/token\"}");
        return file;
    }

    private static VertexAuth adc(Path file) throws MissingCredentials {
        return VertexAuth.fromEnvironment("vx", Map.of(VertexAuth.ENV, file.toString()), () -> {
            throw new AssertionError("google-auth's own search must not run when the file is named");
        });
    }

    private static VertexClient client(URI base, VertexAuth auth) {
        return new VertexClient(base, "my-proj", "us-east5", auth, SecretMask.NONE, Clock.system(), Duration.ofSeconds(2));
    }

    private static MessageRequest request(boolean stream) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"model\":\"" + MODEL + "\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        body.put("stream", stream);
        return new MessageRequest(body, Map.of("anthropic-beta", "feature-a", "anthropic-version", "2023-06-01",
                "Authorization", "Bearer suite-override", "x-api-key", "suite-key-override", "Content-Type", "text/plain"),
                Duration.ofSeconds(5));
    }

    private static StubServer.Script message(java.util.function.Function<StubServer.Received, String> text) {
        return (request, response, out) -> {
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + MODEL
                    + "\",\"content\":[{\"type\":\"text\",\"text\":" + JSON.writeValueAsString(text.apply(request))
                    + "}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                    + "\"usage\":{\"input_tokens\":9,\"output_tokens\":3}}");
        };
    }

    private static StubServer.Script stream() {
        return (request, response, out) -> StubServer.messagesStream(0).answer(request, response, out);
    }

    @Test
    void a_stream_goes_to_stream_raw_predict_with_the_vertex_body_and_a_service_account_token() throws Exception {
        Google google = new Google(3600, 0, stream());
        try (google.server; VertexClient client = client(google.base(), adc(serviceAccount(google.base())))) {
            Exchange ex = client.send(request(true));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris");
            assertThat(ex.usage().raw().path("input_tokens").asInt()).isEqualTo(12);
            assertThat(google.tokenPosts).hasSize(1);
            assertThat(google.tokenPosts.get(0).body())
                    .contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer").contains("assertion=");
            StubServer.Received sent = google.vertexRequests().get(0);
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo(ROUTE + MODEL + ":streamRawPredict");
            assertThat(sent.header("authorization")).isEqualTo("Bearer " + google.tokens.get(0));
            assertThat(sent.header("x-api-key")).isNull();
            assertThat(sent.header("anthropic-version")).isNull();
            assertThat(sent.header("anthropic-beta")).isEqualTo("feature-a");
            assertThat(sent.header("content-type")).isEqualTo("application/json");
            assertThat(sent.header("accept")).isEqualTo("text/event-stream");
            JsonNode body = JSON.readTree(sent.body());
            assertThat(body.has("model")).isFalse();
            assertThat(body.path("stream").asBoolean()).isTrue();
            // the suite's anthropic-version header goes into the body, as the SDK's VertexBackend moves it
            assertThat(body.path("anthropic_version").asText()).isEqualTo("2023-06-01");
            assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        }
    }

    @Test
    void a_whole_answer_goes_to_raw_predict_with_an_authorized_user_token() throws Exception {
        Google google = new Google(3600, 0, message(r -> "Paris."));
        try (google.server; VertexClient client = client(google.base(), adc(authorizedUser(google.base())))) {
            Exchange ex = client.send(request(false));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris.");
            assertThat(google.tokenPosts.get(0).body()).contains("grant_type=refresh_token")
                    .contains("refresh_token=" + REFRESH);
            StubServer.Received sent = google.vertexRequests().get(0);
            assertThat(sent.path()).isEqualTo(ROUTE + MODEL + ":rawPredict");
            assertThat(sent.header("accept")).isNull();
            assertThat(JSON.readTree(sent.body()).path("stream").asBoolean(true)).isFalse();
        }
    }

    @Test
    void count_tokens_keeps_the_model_in_the_body() throws Exception {
        Google google = new Google(3600, 0, (request, response, out) -> {
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"input_tokens\":17}");
        });
        try (google.server; VertexClient client = client(google.base(), adc(authorizedUser(google.base())))) {
            Exchange ex = client.countTokens(request(false));

            assertThat(ex.failure()).isNull();
            assertThat(ex.usage().raw().path("input_tokens").asInt()).isEqualTo(17);
            StubServer.Received sent = google.vertexRequests().get(0);
            assertThat(sent.path()).isEqualTo(ROUTE + "count-tokens:rawPredict");
            JsonNode body = JSON.readTree(sent.body());
            assertThat(body.path("model").asText()).isEqualTo(MODEL);
            assertThat(body.path("anthropic_version").asText()).isEqualTo("2023-06-01");
        }
    }

    @Test
    @Tag("hostile")
    void a_short_lived_token_is_refreshed_and_every_token_ever_used_is_masked() throws Exception {
        Google[] holder = new Google[1];
        // the server echoes every token it has issued, the current one as sent
        holder[0] = new Google(60, 0, message(r -> "got " + r.header("authorization") + " and "
                + String.join(",", holder[0].tokens) + " b64 " + Base64.getEncoder().encodeToString(
                        r.header("authorization").getBytes(StandardCharsets.UTF_8))));
        Google google = holder[0];
        try (google.server; VertexClient client = client(google.base(), adc(authorizedUser(google.base())))) {
            Exchange first = client.send(request(false));
            Exchange second = client.send(request(false));

            // 60 s is inside google-auth's 3-minute expiry margin: each request needs a new token
            assertThat(google.tokenPosts).hasSize(2);
            assertThat(google.tokens).doesNotHaveDuplicates();
            List<String> auths = google.vertexRequests().stream().map(r -> r.header("authorization")).toList();
            assertThat(auths).containsExactly("Bearer " + google.tokens.get(0), "Bearer " + google.tokens.get(1));
            for (Exchange ex : List.of(first, second)) {
                assertThat(ex.failure()).isNull();
                assertThat(ex.text()).startsWith("got Bearer [masked] and [masked]");
                for (String token : google.tokens) {
                    assertThat(ex.text()).doesNotContain(token);
                }
                assertThat(ex.text()).doesNotContain("ya29");
            }
        }
    }

    @Test
    void concurrent_requests_share_one_token_request() throws Exception {
        Google google = new Google(3600, 300, message(r -> "ok"));
        try (google.server; VertexClient client = client(google.base(), adc(serviceAccount(google.base())));
                ExecutorService pool = Executors.newFixedThreadPool(12)) {
            List<Future<Exchange>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> client.send(request(false))));
            }
            for (Future<Exchange> f : answers) {
                assertThat(f.get().failure()).isNull();
            }
            assertThat(google.tokenPosts).hasSize(1);
            assertThat(google.vertexRequests()).hasSize(12)
                    .allSatisfy(r -> assertThat(r.header("authorization")).isEqualTo("Bearer " + google.tokens.get(0)));
        }
    }

    @Test
    @Tag("hostile")
    void a_refused_token_request_is_an_auth_failure_with_no_secret_and_nothing_sent() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.setStatus(400);
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad token " + REFRESH
                    + " with " + CLIENT_SECRET + "\"}");
        }); VertexClient client = client(server.baseUri(), adc(authorizedUser(server.baseUri())))) {
            Exchange ex = client.send(request(false));

            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.AUTH);
            assertThat(ex.failure().status()).isZero();
            assertThat(ex.failure().message()).startsWith("vertex: no access token: ").doesNotContain("\n")
                    .doesNotContain(REFRESH).doesNotContain(CLIENT_SECRET);
            assertThat(ErrorClass.AUTH.retry()).isEqualTo(ErrorClass.Retry.NEVER);
            assertThat(server.received()).allSatisfy(r -> assertThat(r.path()).isEqualTo("/token"));
        }
    }

    @Test
    void google_shaped_errors_read_by_their_status_and_anthropic_shaped_ones_as_ever() throws Exception {
        Object[][] cases = {
            {429, "RESOURCE_EXHAUSTED", ErrorClass.RATE_LIMITED},
            {401, "UNAUTHENTICATED", ErrorClass.AUTH},
            {403, "PERMISSION_DENIED", ErrorClass.PERMISSION},
            {400, "INVALID_ARGUMENT", ErrorClass.INVALID_REQUEST},
            {404, "NOT_FOUND", ErrorClass.NOT_FOUND},
            {503, "UNAVAILABLE", ErrorClass.OVERLOADED},
            {500, "INTERNAL", ErrorClass.SERVER_ERROR},
            {502, "SOMETHING_NEW", ErrorClass.SERVER_ERROR},
        };
        for (Object[] c : cases) {
            String body = "{\"error\":{\"code\":" + c[0] + ",\"message\":\"said " + c[1] + "\",\"status\":\"" + c[1] + "\"}}";
            ApiFailure f = VertexClient.errorFrom((int) c[0], body.getBytes(StandardCharsets.UTF_8), JSON);
            assertThat(f).as(body).isEqualTo(new ApiFailure((ErrorClass) c[2], (int) c[0], (String) c[1], "said " + c[1]));
            ApiFailure inArray = VertexClient.errorFrom((int) c[0], ("[" + body + "]").getBytes(StandardCharsets.UTF_8), JSON);
            assertThat(inArray).isEqualTo(f);
        }
        ApiFailure statusOnly = VertexClient.errorFrom(503, "{\"error\":{\"code\":503,\"message\":\"busy\"}}"
                .getBytes(StandardCharsets.UTF_8), JSON);
        assertThat(statusOnly.errorClass()).isEqualTo(ErrorClass.OVERLOADED);
        ApiFailure anthropic = VertexClient.errorFrom(529, ("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}").getBytes(StandardCharsets.UTF_8), JSON);
        assertThat(anthropic).isEqualTo(new ApiFailure(ErrorClass.OVERLOADED, 529, "overloaded_error", "Overloaded"));
        ApiFailure page = VertexClient.errorFrom(502, "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8), JSON);
        assertThat(page).isEqualTo(new ApiFailure(ErrorClass.SERVER_ERROR, 502, null, "<html>bad gateway</html>"));
    }

    @Test
    @Tag("hostile")
    void an_error_body_echoing_the_token_reaches_the_exchange_masked() throws Exception {
        Google google = new Google(3600, 0, (request, response, out) -> {
            response.setStatus(429);
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"error\":{\"code\":429,\"message\":\"quota for " + request.header("authorization")
                    + "\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
        });
        try (google.server; VertexClient client = client(google.base(), adc(authorizedUser(google.base())))) {
            Exchange ex = client.send(request(false));

            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(ex.failure().type()).isEqualTo("RESOURCE_EXHAUSTED");
            assertThat(ex.failure().message()).isEqualTo("quota for Bearer [masked]");
        }
    }

    @Test
    void ids_that_would_leave_their_path_segment_are_refused_in_one_line() throws Exception {
        VertexAuth auth = VertexAuth.of(GoogleCredentials.create(null));
        for (String bad : List.of("a/b", "a?b", "a#b", "..", "a\nb")) {
            assertThatThrownBy(() -> new VertexClient(URI.create("http://127.0.0.1:9"), bad, "global", auth,
                    SecretMask.NONE, Clock.system(), Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("vertex: the project ").hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> VertexClient.segment("region", "us-east5/../x"))
                .hasMessage("vertex: the region \"us-east5/../x\" cannot go in a URL path: it holds '/'");
        assertThatThrownBy(() -> VertexClient.segment("model", " ")).hasMessage("vertex: the model is empty");
        assertThat(VertexClient.segment("model", MODEL)).isEqualTo(MODEL);
        assertThat(VertexClient.segment("model", "odd;id 1%")).isEqualTo("odd%3Bid%201%25");
    }

    @Test
    void missing_credentials_are_one_line_naming_what_to_set_and_no_value() throws Exception {
        assertThatThrownBy(() -> VertexAuth.fromEnvironment("vx-sonnet", Map.of(), () -> {
            throw new java.io.IOException("The Application Default Credentials are not available.");
        })).isInstanceOf(MissingCredentials.class).hasMessage("vertex (model vx-sonnet): no Google credentials: set "
                + "GOOGLE_APPLICATION_CREDENTIALS to a service-account or authorized-user JSON, or run "
                + "`gcloud auth application-default login`");
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> adc(missing)).isInstanceOf(MissingCredentials.class)
                .hasMessage("vertex (model vx): GOOGLE_APPLICATION_CREDENTIALS names " + missing + ", which does not exist");
        Path notAdc = dir.resolve("other.json");
        Files.writeString(notAdc, "{\"type\":\"mystery\",\"refresh_token\":\"" + REFRESH + "\"}");
        assertThatThrownBy(() -> adc(notAdc)).isInstanceOf(MissingCredentials.class)
                .hasMessageStartingWith("vertex (model vx): GOOGLE_APPLICATION_CREDENTIALS (" + notAdc + ") is not credentials")
                .hasMessageNotContaining(REFRESH).hasMessageNotContaining("\n");
        Path huge = dir.resolve("huge.json");
        Files.write(huge, new byte[(1 << 20) + 1]);
        assertThatThrownBy(() -> adc(huge)).isInstanceOf(MissingCredentials.class)
                .hasMessageContaining("at most 1048576 are read");
    }

    @Test
    void its_text_never_shows_a_secret() throws Exception {
        VertexAuth auth = adc(authorizedUser(URI.create("http://127.0.0.1:9")));
        assertThat(auth.toString()).doesNotContain(REFRESH).doesNotContain(CLIENT_SECRET);
        assertThat(auth.secrets()).extracting(ApiKey::reveal).containsExactlyInAnyOrder(REFRESH, CLIENT_SECRET);
        assertThat(GoogleCredentials.fromStream(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(
                "authorized-user.json")))).toString()).as("why VertexAuth never prints its credentials").contains(REFRESH);
    }

    @Test
    void a_401_forces_one_token_refresh_and_the_request_is_sent_once_more() throws Exception {
        Google[] holder = new Google[1];
        // the first token is refused (revoked early), every later one accepted
        holder[0] = new Google(3600, 0, (request, response, out) -> {
            if (request.header("authorization").equals("Bearer " + holder[0].tokens.get(0))) {
                response.setStatus(401);
                response.getHeaders().put("content-type", "application/json");
                StubServer.write(out, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication "
                        + "credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
            } else {
                message(r -> "Paris.").answer(request, response, out);
            }
        });
        Google google = holder[0];
        try (google.server; VertexClient client = client(google.base(), adc(authorizedUser(google.base())))) {
            Exchange ex = client.send(request(false));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris.");
            assertThat(google.tokenPosts).hasSize(2);
            assertThat(google.vertexRequests()).extracting(r -> r.header("authorization"))
                    .containsExactly("Bearer " + google.tokens.get(0), "Bearer " + google.tokens.get(1));
            client.send(request(false)); // the fresh token serves on: no third token request
            assertThat(google.tokenPosts).hasSize(2);
        }
    }

    @Test
    void a_401_to_the_fresh_token_too_stands_and_no_token_is_fetched_in_a_loop() throws Exception {
        Google google = new Google(3600, 0, (request, response, out) -> {
            response.setStatus(401);
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"error\":{\"code\":401,\"message\":\"no\",\"status\":\"UNAUTHENTICATED\"}}");
        });
        try (google.server; VertexClient client = client(google.base(), adc(serviceAccount(google.base())))) {
            Exchange ex = client.send(request(false));

            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.AUTH);
            assertThat(ex.failure().status()).isEqualTo(401);
            assertThat(google.vertexRequests()).hasSize(2);
            assertThat(google.tokenPosts).hasSize(2);
        }
    }

    @Test
    @Tag("hostile")
    void a_token_failure_is_masked_before_it_is_cut_to_one_line() throws Exception {
        String secret = "FAKE-gcp-secret-straddling-the-cut-0123456789";
        GoogleCredentials failing = new GoogleCredentials() {
            @Override
            public com.google.auth.oauth2.AccessToken refreshAccessToken() throws java.io.IOException {
                throw new java.io.IOException("x".repeat(190) + secret + " and more");
            }
        };
        VertexAuth auth = VertexAuth.of(failing);

        assertThatThrownBy(() -> auth.token(SecretMask.of(ApiKey.of(secret)))).isInstanceOf(MissingCredentials.class)
                .hasMessage("vertex: no access token: " + "x".repeat(190) + SecretMask.MARK + " a…")
                .hasMessageNotContaining(secret.substring(0, 12));
    }

    @Test
    void the_source_names_where_the_credentials_came_from_and_no_secret() throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:9");
        assertThat(adc(serviceAccount(nowhere)).source())
                .isEqualTo("GOOGLE_APPLICATION_CREDENTIALS service account sonde-test@my-proj.iam.gserviceaccount.com");
        assertThat(adc(authorizedUser(nowhere)).source()).isEqualTo("GOOGLE_APPLICATION_CREDENTIALS authorized user");
        GoogleCredentials gcloud = GoogleCredentials.fromStream(Files.newInputStream(authorizedUser(nowhere)));
        assertThat(VertexAuth.fromEnvironment("vx", Map.of(), () -> gcloud).source())
                .isEqualTo("gcloud ADC (authorized user)");
    }

    @Test
    void the_body_version_is_the_suites_header_else_the_bodys_else_vertexs_default() throws Exception {
        Google google = new Google(3600, 0, message(r -> "Paris."));
        try (google.server; VertexClient client = client(google.base(), adc(authorizedUser(google.base())))) {
            MessageRequest headerAndBody = request(false);
            ((ObjectNode) headerAndBody.body()).put("anthropic_version", "from-body");
            client.send(headerAndBody);
            ObjectNode plain = request(false).body().deepCopy();
            client.send(new MessageRequest(plain.deepCopy(), Map.of(), Duration.ofSeconds(5)));
            plain.put("anthropic_version", "from-body");
            client.send(new MessageRequest(plain, Map.of(), Duration.ofSeconds(5)));
            client.countTokens(new MessageRequest(request(false).body().deepCopy(), Map.of("ANTHROPIC-VERSION", "2099-01-01"),
                    Duration.ofSeconds(5)));

            assertThat(google.vertexRequests()).extracting(r -> JSON.readTree(r.body()).path("anthropic_version").asText())
                    .containsExactly("2023-06-01", "vertex-2023-10-16", "from-body", "2099-01-01");
            assertThat(google.vertexRequests()).allSatisfy(r -> assertThat(r.header("anthropic-version")).isNull());
        }
    }

    /** A token endpoint that refuses every grant with the OAuth error google-auth puts on a later line. */
    private static StubServer refusing(String error, String description) throws Exception {
        return StubServer.start((request, response, out) -> {
            response.setStatus(400);
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\n  \"error\": \"" + error + "\",\n  \"error_description\": \"" + description
                    + "\"\n}");
        });
    }

    @Test
    void a_refused_refresh_token_is_found_at_set_up_as_the_oauth_error_in_one_line() throws Exception {
        try (StubServer google = refusing("invalid_grant", "Token has been expired or revoked.")) {
            VertexAuth auth = adc(authorizedUser(google.baseUri()));

            assertThatThrownBy(() -> auth.check("vx", SecretMask.NONE)).isInstanceOf(MissingCredentials.class)
                    .hasMessage("vertex (model vx): no access token: invalid_grant: Token has been expired or revoked.; "
                            + "run `gcloud auth application-default login`")
                    .hasMessageNotContaining(REFRESH).hasMessageNotContaining(CLIENT_SECRET);
            assertThat(google.received()).hasSize(1);
        }
        try (StubServer google = refusing("invalid_rapt", "reauth related error (invalid_rapt)")) {
            assertThatThrownBy(() -> adc(authorizedUser(google.baseUri())).check("vx", SecretMask.NONE))
                    .hasMessage("vertex (model vx): no access token: invalid_rapt: reauth related error (invalid_rapt); "
                            + "run `gcloud auth application-default login`");
        }
        try (StubServer google = refusing("invalid_grant", "Invalid JWT Signature.")) {
            assertThatThrownBy(() -> adc(serviceAccount(google.baseUri())).check("vx", SecretMask.NONE))
                    .hasMessage("vertex (model vx): no access token: invalid_grant: Invalid JWT Signature.");
        }
    }

    @Test
    @Tag("hostile")
    void an_oauth_error_that_quotes_a_secret_is_masked_before_it_is_read() throws Exception {
        try (StubServer google = refusing("invalid_client", "client secret " + CLIENT_SECRET + " and \\u0007 refresh "
                + REFRESH + " refused")) {
            assertThatThrownBy(() -> adc(authorizedUser(google.baseUri())).check("vx", SecretMask.NONE))
                    .isInstanceOf(MissingCredentials.class)
                    .hasMessageStartingWith("vertex (model vx): no access token: invalid_client: client secret "
                            + SecretMask.MARK)
                    .hasMessageNotContaining(CLIENT_SECRET).hasMessageNotContaining(REFRESH)
                    .hasMessageNotContaining("\n").hasMessageNotContaining("\u0007");
        }
    }

    @Test
    void an_adc_file_from_dot_env_may_be_only_a_service_account_or_an_authorized_user() throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:9");
        Path external = dir.resolve("external.json");
        Files.writeString(external, "{\"type\":\"external_account\",\"audience\":\"//iam.googleapis.com/projects/1/"
                + "locations/global/workloadIdentityPools/p/providers/x\",\"subject_token_type\":"
                + "\"urn:ietf:params:oauth:token-type:jwt\",\"token_url\":\"https://sts.googleapis.com/v1/token\","
                + "\"credential_source\":{\"url\":\"" + nowhere + "/secret-subject-token\"}}");
        Map<String, String> env = Map.of(VertexAuth.ENV, external.toString());
        java.util.concurrent.Callable<GoogleCredentials> never = () -> {
            throw new AssertionError("google-auth's own search must not run when the file is named");
        };

        assertThatThrownBy(() -> VertexAuth.fromEnvironment("vx", env, true, never))
                .isInstanceOf(MissingCredentials.class)
                .hasMessage("vertex (model vx): GOOGLE_APPLICATION_CREDENTIALS from .env names a file of type "
                        + "external_account: from .env only service_account or authorized_user files are read (other "
                        + "types read files or URLs, or run programs, the file names and send what they get); set "
                        + "GOOGLE_APPLICATION_CREDENTIALS in the environment to use it")
                .hasMessageNotContaining("secret-subject-token");
        assertThat(VertexAuth.fromEnvironment("vx", env, false, never).source())
                .as("from the process environment every type google-auth reads is taken")
                .startsWith("GOOGLE_APPLICATION_CREDENTIALS ");
        Path odd = dir.resolve("odd.json");
        Files.writeString(odd, "{\"type\":\"x\\n" + REFRESH + "\"}");
        assertThatThrownBy(() -> VertexAuth.fromEnvironment("vx", Map.of(VertexAuth.ENV, odd.toString()), true, never))
                .hasMessageContaining("of type (not a plain name)").hasMessageNotContaining(REFRESH);
        assertThat(VertexAuth.fromEnvironment("vx", Map.of(VertexAuth.ENV, serviceAccount(nowhere).toString()), true, never)
                .source()).startsWith("GOOGLE_APPLICATION_CREDENTIALS service account");
        assertThat(VertexAuth.fromEnvironment("vx", Map.of(VertexAuth.ENV, authorizedUser(nowhere).toString()), true, never)
                .source()).isEqualTo("GOOGLE_APPLICATION_CREDENTIALS authorized user");
    }
}
