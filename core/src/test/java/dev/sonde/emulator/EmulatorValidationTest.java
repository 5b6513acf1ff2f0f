package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.body;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmulatorValidationTest {
    static Emulator open;
    static Emulator locked;

    @BeforeAll
    static void start() throws Exception {
        open = Emulator.start(EmulatorConfig.builder().latency(List.of(LatencyProfile.instant("*"))).build());
        locked = Emulator.start(EmulatorConfig.builder().acceptedKeys(Set.of("sk-good"))
                .latency(List.of(LatencyProfile.instant("*"))).build());
    }

    @AfterAll
    static void stop() {
        open.close();
        locked.close();
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String message) {
        assertThat(response.statusCode()).isEqualTo(status);
        String requestId = response.headers().firstValue("request-id").orElseThrow();
        assertThat(requestId).startsWith("req_");
        JsonNode body = json(response);
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo(type);
        assertThat(body.path("error").path("message").asText()).contains(message);
        assertThat(body.path("request_id").asText()).isEqualTo(requestId);
    }

    @Test
    void accepts_x_api_key_or_bearer_token() {
        String request = body("m", 5, "hi", "");
        assertThat(post(locked.baseUri(), "/v1/messages", request, "x-api-key", "sk-good",
                "anthropic-version", "2023-06-01").statusCode()).isEqualTo(200);
        assertThat(post(locked.baseUri(), "/v1/messages", request, "authorization", "Bearer sk-good",
                "anthropic-version", "2026-10-21").statusCode()).isEqualTo(200);
    }

    @Test
    void missing_key_is_401() {
        assertError(post(open.baseUri(), "/v1/messages", body("m", 5, "hi", ""), "anthropic-version", "2023-06-01"),
                401, "authentication_error", "x-api-key");
    }

    @Test
    void key_outside_the_accepted_set_is_401_invalid_x_api_key() {
        assertError(post(locked.baseUri(), "/v1/messages", body("m", 5, "hi", ""), "x-api-key", "sk-bad",
                "anthropic-version", "2023-06-01"), 401, "authentication_error", "invalid x-api-key");
        assertError(post(locked.baseUri(), "/v1/messages", body("m", 5, "hi", ""), "authorization", "Bearer sk-bad",
                "anthropic-version", "2023-06-01"), 401, "authentication_error", "invalid x-api-key");
    }

    @Test
    void missing_or_malformed_anthropic_version_is_400() {
        assertError(post(open.baseUri(), "/v1/messages", body("m", 5, "hi", ""), "x-api-key", "k"),
                400, "invalid_request_error", "anthropic-version: header is required");
        assertError(post(open.baseUri(), "/v1/messages", body("m", 5, "hi", ""), "x-api-key", "k",
                "anthropic-version", "latest"), 400, "invalid_request_error", "anthropic-version");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "missing model          | {\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}                 | model: Field required",
        "missing max_tokens     | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}                  | max_tokens: Field required",
        "missing messages       | {\"model\":\"m\",\"max_tokens\":5}                                                      | messages: Field required",
        "max_tokens not integer | {\"model\":\"m\",\"max_tokens\":\"5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | max_tokens: Input should be a valid integer",
        "negative max_tokens    | {\"model\":\"m\",\"max_tokens\":-1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}  | max_tokens: Input should be greater than or equal to 0",
        "model not string       | {\"model\":7,\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}      | model: Input should be a valid string",
        "empty messages         | {\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}                                      | messages: at least one message is required",
        "bad role               | {\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]} | messages.0.role: Input should be 'user' or 'assistant'",
        "empty content          | {\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}     | must have non-empty content",
        "unknown block type     | {\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"txt\",\"text\":\"hi\"}]}]} | messages.0.content.0.type: Input tag 'txt'",
        "text block sans text   | {\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]} | messages.0.content.0.text: Field required",
        "bad image media type   | {\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/bmp\",\"data\":\"x\"}}]}]} | messages.0.content.0.source.media_type",
        "stream not boolean     | {\"model\":\"m\",\"max_tokens\":5,\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | stream: Input should be a valid boolean",
        "temperature too high   | {\"model\":\"m\",\"max_tokens\":5,\"temperature\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | temperature: Input should be less than or equal to 1",
        "tool without schema    | {\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":\"t\"}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | tools.0.input_schema: Field required",
        "tool_choice unknown    | {\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":\"t\",\"input_schema\":{}}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"x\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | tool_choice.name: Tool 'x' not found",
        "blank stop sequence    | {\"model\":\"m\",\"max_tokens\":5,\"stop_sequences\":[\" \"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | stop_sequences",
        "thinking budget small  | {\"model\":\"m\",\"max_tokens\":5000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":100},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | budget_tokens: Input should be greater than or equal to 1024",
        "schema with minimum    | {\"model\":\"m\",\"max_tokens\":5,\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\",\"properties\":{\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1}}}}},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | output_config.format.schema: For 'number' type, property 'minimum' is not supported",
        "nested maxLength       | {\"model\":\"m\",\"max_tokens\":5,\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":9}}}}}},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | output_config.format.schema: For 'string' type, property 'maxLength' is not supported",
        "format not json_schema | {\"model\":\"m\",\"max_tokens\":5,\"output_config\":{\"format\":{\"type\":\"json\"}},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | output_config.format.type: Input should be 'json_schema'",
        "malformed json         | {\"model\":                                                                             | error parsing the body",
        "not an object          | [1,2]                                                                                   | valid dictionary",
    })
    void invalid_bodies_are_400_invalid_request_error(String name, String requestBody, String message) {
        assertError(post(open.baseUri(), "/v1/messages", requestBody, AUTH), 400, "invalid_request_error", message);
    }

    @Test
    void a_schema_without_bounds_is_accepted_even_with_a_property_named_like_a_bound() {
        String ok = "{\"model\":\"m\",\"max_tokens\":5,\"output_config\":{\"format\":{\"type\":\"json_schema\","
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"minimum\":{\"type\":\"number\"},"
                + "\"score\":{\"type\":\"number\",\"description\":\"from 0 to 1\"}},\"required\":[\"minimum\"],"
                + "\"additionalProperties\":false}}},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(post(open.baseUri(), "/v1/messages", ok, AUTH).statusCode()).isEqualTo(200);
    }

    @Test
    void errors_before_a_stream_are_json_not_sse() {
        HttpResponse<String> response = post(open.baseUri(), "/v1/messages",
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", AUTH);
        assertError(response, 400, "invalid_request_error", "max_tokens: Field required");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void unknown_path_is_404_and_wrong_method_is_405_with_error_bodies() {
        assertError(post(open.baseUri(), "/v1/nothing", "{}", AUTH), 404, "not_found_error", "/v1/nothing");
        HttpResponse<String> wrongMethod = Http.get(open.baseUri(), "/v1/messages", AUTH);
        assertError(wrongMethod, 405, "invalid_request_error", "GET");
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void request_ids_are_unique_per_request() {
        URI base = open.baseUri();
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/messages")).GET().build();
            ids.add(Http.send(request).headers().firstValue("request-id").orElseThrow());
        }
        assertThat(ids).hasSize(20);
    }
}
