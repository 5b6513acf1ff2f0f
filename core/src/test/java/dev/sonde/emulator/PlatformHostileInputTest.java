package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Issue 22: hostile requests to the platform routes get one clear refusal in the platform's shape, never a secret. */
@Tag("hostile")
class PlatformHostileInputTest {
    static final String INVOKE = "/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke";
    static Emulator emu;

    @BeforeAll
    static void start() throws Exception {
        emu = Emulator.start(EmulatorConfig.builder().latency(List.of(LatencyProfile.instant("*"))).build());
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    static HttpResponse<String> post(String path, String body, String... headers) {
        return Http.post(emu.baseUri(), path, body, headers);
    }

    @Test
    void a_malformed_or_incomplete_sigv4_header_is_a_403_that_echoes_no_secret() {
        HttpResponse<String> garbage = post(INVOKE, "{}", "authorization", "AWS4-HMAC-SHA256 Credential=x");
        assertThat(garbage.statusCode()).isEqualTo(403);
        assertThat(garbage.headers().firstValue("x-amzn-ErrorType")).hasValue("IncompleteSignatureException");
        String header = "AWS4-HMAC-SHA256 Credential=" + EmulatorCredentials.AWS_ACCESS_KEY_ID
                + "/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date;x-not-sent, Signature="
                + "a".repeat(64);
        HttpResponse<String> unsent = post(INVOKE, "{}", "authorization", header, "x-amz-date",
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                        .format(Instant.now()));
        assertThat(unsent.statusCode()).isEqualTo(403);
        assertThat(Http.json(unsent).path("message").asText()).contains("x-not-sent");
        for (HttpResponse<String> r : List.of(garbage, unsent)) {
            assertThat(r.body()).doesNotContain(EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
        }
    }

    @Test
    void a_wrong_bedrock_api_key_and_a_missing_one_are_refused_without_echoing_them() {
        HttpResponse<String> wrong = post(INVOKE, "{}", "authorization", "Bearer ABSKd3Jvbmcta2V5");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain("ABSKd3Jvbmcta2V5");
        assertThat(post(INVOKE, "{}").statusCode()).isEqualTo(403);
    }

    @Test
    void invoke_bodies_that_are_not_what_bedrock_takes_are_validation_exceptions() {
        String key = "Bearer " + EmulatorCredentials.BEDROCK_API_KEY;
        for (String body : List.of("[1,2]", "not json", "{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":\"x\","
                + "\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                "{\"anthropic_version\":\"v9\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"stream\":true,\"max_tokens\":5,\"messages\":[]}")) {
            HttpResponse<String> r = post(INVOKE, body, "authorization", key);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.headers().firstValue("x-amzn-ErrorType")).as(body).hasValue("ValidationException");
            assertThat(Http.json(r).path("message").asText()).as(body).isNotBlank();
        }
    }

    @Test
    void the_token_endpoint_bounds_its_form_and_refuses_junk_grants_in_the_oauth_shape() {
        HttpResponse<String> huge = Http.send(HttpRequest.newBuilder(emu.baseUri().resolve(OAuthTokens.PATH))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&x=" + "a".repeat(OAuthTokens.MAX_FORM_BYTES)))
                .build());
        assertThat(huge.statusCode()).isEqualTo(413);
        for (String form : List.of("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c",
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=%25%25",
                "grant_type=password&username=x", "")) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(emu.baseUri().resolve(OAuthTokens.PATH))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
            assertThat(r.statusCode()).as(form).isBetween(400, 401);
            assertThat(Http.json(r).path("error").asText()).as(form).isNotBlank();
            assertThat(Http.json(r).path("error_description").asText()).as(form).isNotBlank();
        }
    }

    @Test
    void a_vertex_request_without_a_token_or_with_a_get_is_refused() {
        String path = "/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict";
        HttpResponse<String> none = post(path, "{}");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Http.json(none).path("error").path("status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(Http.get(emu.baseUri(), path).statusCode()).isEqualTo(405);
    }
}
