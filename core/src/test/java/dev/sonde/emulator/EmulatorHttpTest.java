package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.body;
import static dev.sonde.emulator.Http.events;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmulatorHttpTest {
    static Emulator emu;

    @BeforeAll
    static void start() throws Exception {
        emu = Emulator.start(EmulatorConfig.builder().seed(42).rules(List.of(Http.examples()))
                .latency(List.of(LatencyProfile.instant("*"))).build());
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void binds_loopback_on_an_ephemeral_port() {
        assertThat(emu.baseUri().getHost()).isEqualTo("127.0.0.1");
        assertThat(emu.port()).isPositive();
    }

    @Test
    void json_answer_has_the_messages_api_shape() {
        HttpResponse<String> response = post(emu.baseUri(), "/v1/messages", body("claude-sonnet-4-6", 300, "Hello", ""), AUTH);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.headers().firstValue("request-id")).hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
        JsonNode message = json(response);
        assertThat(message.path("id").asText()).matches("msg_01[0-9A-Za-z]{22}");
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("model").asText()).isEqualTo("claude-sonnet-4-6");
        assertThat(message.path("content").get(0).path("type").asText()).isEqualTo("text");
        assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.get("stop_sequence").isNull()).isTrue();
        JsonNode usage = message.path("usage");
        assertThat(usage.path("input_tokens").asInt()).isPositive();
        assertThat(usage.path("output_tokens").asInt()).isEqualTo(Tokens.count(message.path("content").get(0).path("text").asText()));
        assertThat(usage.path("cache_creation_input_tokens").isInt()).isTrue();
        assertThat(usage.path("cache_read_input_tokens").asInt()).isZero();
        assertThat(usage.path("cache_creation").path("ephemeral_5m_input_tokens").isInt()).isTrue();
        assertThat(usage.path("cache_creation").path("ephemeral_1h_input_tokens").isInt()).isTrue();
        assertThat(usage.path("service_tier").asText()).isEqualTo("standard");
    }

    @Test
    void text_stream_follows_the_event_grammar_and_adds_up_to_the_json_answer() {
        String request = body("claude-sonnet-4-6", 300, "Tell me something", "");
        JsonNode expected = json(post(emu.baseUri(), "/v1/messages", request, AUTH));
        HttpResponse<String> response = post(emu.baseUri(), "/v1/messages",
                request.replace("{\"model\"", "{\"stream\":true,\"model\""), AUTH);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("request-id")).isPresent();
        List<Http.Event> events = events(response.body());
        assertThat(events).allSatisfy(e -> assertThat(e.data().path("type").asText()).isEqualTo(e.name()));
        List<String> names = events.stream().map(Http.Event::name).toList();
        assertThat(names.subList(0, 3)).containsExactly("message_start", "content_block_start", "ping");
        assertThat(names.subList(names.size() - 3, names.size())).containsExactly("content_block_stop", "message_delta", "message_stop");
        assertThat(names.subList(3, names.size() - 3)).isNotEmpty().containsOnly("content_block_delta");

        JsonNode start = events.getFirst().data().path("message");
        assertThat(start.path("content").isEmpty()).isTrue();
        assertThat(start.get("stop_reason").isNull()).isTrue();
        assertThat(start.path("usage").path("input_tokens").asInt()).isEqualTo(expected.path("usage").path("input_tokens").asInt());
        assertThat(start.path("usage").path("cache_creation").has("ephemeral_5m_input_tokens")).isTrue();
        assertThat(start.path("usage").path("service_tier").asText()).isEqualTo("standard");

        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.name().equals("content_block_delta")).forEach(e -> {
            assertThat(e.data().path("delta").path("type").asText()).isEqualTo("text_delta");
            text.append(e.data().path("delta").path("text").asText());
        });
        assertThat(text.toString()).isEqualTo(expected.path("content").get(0).path("text").asText());
        JsonNode delta = events.get(events.size() - 2).data();
        assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo(expected.path("stop_reason").asText());
        assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(expected.path("usage").path("output_tokens").asInt());
        assertThat(delta.path("usage").path("input_tokens").asInt()).isEqualTo(expected.path("usage").path("input_tokens").asInt());
        assertThat(start.path("id").asText()).isEqualTo(expected.path("id").asText());
    }

    @Test
    void tool_use_stream_has_well_formed_tool_blocks() {
        String tools = ",\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":"
                + "{\"location\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\"}},\"required\":[\"location\"]}}]";
        String request = body("claude-haiku-4-5", 500, "What's the weather in Paris?", tools);
        JsonNode expected = json(post(emu.baseUri(), "/v1/messages", request, AUTH));
        assertThat(expected.path("stop_reason").asText()).isEqualTo("tool_use");
        JsonNode tool = expected.path("content").get(1);
        assertThat(tool.path("id").asText()).startsWith("toolu_");
        assertThat(tool.path("name").asText()).isEqualTo("get_weather");
        assertThat(tool.path("input").path("location").asText()).isEqualTo("San Francisco, CA");
        assertThat(tool.path("caller").path("type").asText()).isEqualTo("direct");

        List<Http.Event> events = events(post(emu.baseUri(), "/v1/messages",
                request.replace("{\"model\"", "{\"stream\":true,\"model\""), AUTH).body());
        JsonNode toolStart = events.stream().filter(e -> e.name().equals("content_block_start")
                && e.data().path("index").asInt() == 1).findFirst().orElseThrow().data().path("content_block");
        assertThat(toolStart.path("input").isEmpty()).isTrue();
        assertThat(toolStart.path("id").asText()).isEqualTo(tool.path("id").asText());
        assertThat(toolStart.path("caller").path("type").asText()).isEqualTo("direct");
        List<String> partials = events.stream().filter(e -> e.name().equals("content_block_delta")
                && e.data().path("index").asInt() == 1).map(e -> {
                    assertThat(e.data().path("delta").path("type").asText()).isEqualTo("input_json_delta");
                    return e.data().path("delta").path("partial_json").asText();
                }).toList();
        assertThat(partials.getFirst()).isEmpty();
        assertThat(parse(String.join("", partials))).isEqualTo(tool.path("input"));
        assertThat(events.get(events.size() - 2).data().path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void rule_errors_answer_with_status_type_message_and_retry_after() {
        HttpResponse<String> response = post(emu.baseUri(), "/v1/messages", body("m", 10, "go [rate-limit]", ""), AUTH);
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        JsonNode error = json(response);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.path("error").path("message").asText()).contains("rate limit");
        assertThat(error.path("request_id").asText()).isEqualTo(response.headers().firstValue("request-id").orElseThrow());
    }

    @Test
    void mid_stream_error_rule_sends_an_error_event_after_n_events_and_ends_the_body() {
        HttpResponse<String> response = post(emu.baseUri(), "/v1/messages",
                body("m", 500, "[mid-stream-error] please", ",\"stream\":true"), AUTH);
        assertThat(response.statusCode()).isEqualTo(200);
        List<Http.Event> events = events(response.body());
        assertThat(events).hasSize(7);
        assertThat(events.getFirst().name()).isEqualTo("message_start");
        Http.Event error = events.getLast();
        assertThat(error.name()).isEqualTo("error");
        assertThat(error.data().path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(error.data().path("request_id").asText()).isEqualTo(response.headers().firstValue("request-id").orElseThrow());

        HttpResponse<String> plain = post(emu.baseUri(), "/v1/messages", body("m", 500, "[mid-stream-error] please", ""), AUTH);
        assertThat(plain.statusCode()).isEqualTo(529);
    }

    @Test
    void refusal_rule_answers_200_with_stop_reason_refusal() {
        JsonNode message = json(post(emu.baseUri(), "/v1/messages", body("m", 100, "How to build a weapon?", ""), AUTH));
        assertThat(message.path("stop_reason").asText()).isEqualTo("refusal");
        assertThat(message.path("stop_details").path("type").asText()).isEqualTo("refusal");
        assertThat(message.path("content").get(0).path("text").asText()).isEqualTo("I can't help with that.");
    }

    @Test
    void count_tokens_agrees_with_usage_input_tokens() {
        String request = body("claude-sonnet-4-6", 100, "How many tokens is this sentence, exactly?",
                ",\"system\":\"You are terse.\"");
        int usage = json(post(emu.baseUri(), "/v1/messages", request, AUTH)).path("usage").path("input_tokens").asInt();
        HttpResponse<String> counted = post(emu.baseUri(), "/v1/messages/count_tokens",
                request.replace("\"max_tokens\":100,", ""), AUTH);
        assertThat(counted.statusCode()).isEqualTo(200);
        assertThat(json(counted).path("input_tokens").asInt()).isEqualTo(usage).isPositive();
    }

    @Test
    void models_list_pages_and_answers_the_java_pager_with_an_empty_page() {
        JsonNode first = json(Http.get(emu.baseUri(), "/v1/models?limit=2", AUTH));
        assertThat(first.path("data")).hasSize(2);
        assertThat(first.path("has_more").asBoolean()).isTrue();
        assertThat(first.path("data").get(0).path("type").asText()).isEqualTo("model");
        JsonNode all = json(Http.get(emu.baseUri(), "/v1/models?limit=1000", AUTH));
        String last = all.path("last_id").asText();
        JsonNode after = json(Http.get(emu.baseUri(), "/v1/models?after_id=" + last, AUTH));
        assertThat(after.path("data").isEmpty()).isTrue();
        assertThat(after.path("has_more").asBoolean()).isFalse();
        assertThat(after.get("last_id").isNull()).isTrue();
        assertThat(json(Http.get(emu.baseUri(), "/v1/models/" + last, AUTH)).path("id").asText()).isEqualTo(last);
        assertThat(Http.get(emu.baseUri(), "/v1/models/claude-nope-1", AUTH).statusCode()).isEqualTo(404);
    }

    @Test
    void anthropic_beta_is_accepted_comma_separated_or_repeated() {
        String request = body("m", 5, "hi", "");
        assertThat(post(emu.baseUri(), "/v1/messages", request, "x-api-key", "k", "anthropic-version", "2026-10-21",
                "anthropic-beta", "a-2025-01-01, b-2025-02-02").statusCode()).isEqualTo(200);
        assertThat(post(emu.baseUri(), "/v1/messages", request, "x-api-key", "k", "anthropic-version", "2023-06-01",
                "anthropic-beta", "a-2025-01-01", "anthropic-beta", "b-2025-02-02").statusCode()).isEqualTo(200);
    }

    @Test
    void request_log_counts_requests_and_never_holds_keys() {
        long before = emu.requestCount();
        post(emu.baseUri(), "/v1/messages", body("claude-opus-4-7", 5, "hi", ""),
                "x-api-key", "sk-secret-123", "anthropic-version", "2023-06-01", "x-stainless-retry-count", "2");
        assertThat(emu.requestCount()).isEqualTo(before + 1);
        EmulatorRequest last = emu.requests().stream().filter(r -> "claude-opus-4-7".equals(r.model())).reduce((a, b) -> b).orElseThrow();
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.retryCount()).isEqualTo(2);
        assertThat(last.path()).isEqualTo("/v1/messages");
        assertThat(emu.requests().toString()).doesNotContain("sk-secret-123");
    }

    static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

}
