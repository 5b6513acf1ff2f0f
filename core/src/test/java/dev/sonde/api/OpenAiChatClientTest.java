package dev.sonde.api;

import dev.sonde.testing.StubServer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiChatClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiKey KEY = ApiKey.of("sk-openai-test-secret");

    private static ObjectNode messagesBody(boolean stream) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("""
                {"model":"gpt-x","max_tokens":50,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
                 "temperature":0,"metadata":{"user_id":"u1"},"seed":7,"stop_sequences":["END"],
                 "tools":[{"name":"lookup","description":"Find","input_schema":{"type":"object","properties":{"q":{"type":"string"}}}}],
                 "tool_choice":{"type":"tool","name":"lookup"},
                 "messages":[{"role":"user","content":[{"type":"text","text":"Find "},{"type":"text","text":"cats"}]},
                             {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"lookup","input":{"q":"cats"}}]},
                             {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"3 cats"}]}]}""");
        body.put("stream", stream);
        return body;
    }

    private static void chunk(OutputStream out, String json) throws Exception {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void translates_a_messages_body_into_a_chat_completions_body() throws Exception {
        JsonNode chat = ChatRequests.translate(messagesBody(true));

        assertThat(chat.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(chat.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
        assertThat(chat.path("messages").get(1).path("content").asText()).isEqualTo("Find cats");
        assertThat(chat.path("messages").get(2).path("tool_calls").get(0).path("function").path("arguments").asText())
                .isEqualTo("{\"q\":\"cats\"}");
        assertThat(chat.path("messages").get(3).path("role").asText()).isEqualTo("tool");
        assertThat(chat.path("messages").get(3).path("tool_call_id").asText()).isEqualTo("t1");
        assertThat(chat.path("stop").get(0).asText()).isEqualTo("END");
        assertThat(chat.path("tools").get(0).path("function").path("parameters").path("type").asText()).isEqualTo("object");
        assertThat(chat.path("tool_choice").path("function").path("name").asText()).isEqualTo("lookup");
        assertThat(chat.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(chat.path("seed").asInt()).isEqualTo(7); // unknown fields pass through
        assertThat(chat.has("metadata")).isFalse(); // Anthropic-only fields do not
        assertThat(chat.path("temperature").asInt()).isZero();
    }

    @Test
    void times_a_stream_to_the_first_content_and_maps_usage_with_cached_tokens() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream");
            response.getHeaders().put("x-request-id", "req_oai");
            chunk(out, "{\"model\":\"gpt-x-2026\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}");
            Thread.sleep(100);
            chunk(out, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Three\"}}]}");
            Thread.sleep(20);
            chunk(out, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" cats.\"},\"finish_reason\":\"stop\"}]}");
            chunk(out, "{\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":3,\"total_tokens\":123,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":100}}}");
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        })) {
            OpenAiChatClient client = new OpenAiChatClient(server.baseUri(), KEY, Clock.system(), Duration.ofSeconds(2));
            Exchange ex = client.send(new MessageRequest(messagesBody(true), Map.of("anthropic-beta", "x"), Duration.ofSeconds(5)));

            StubServer.Received r = server.received().get(0);
            assertThat(r.path()).isEqualTo("/v1/chat/completions");
            assertThat(r.header("authorization")).isEqualTo("Bearer sk-openai-test-secret");
            assertThat(r.header("anthropic-beta")).isNull();
            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Three cats.");
            assertThat(ex.stopReason()).isEqualTo("end_turn");
            assertThat(ex.model()).isEqualTo("gpt-x-2026");
            assertThat(ex.requestId()).isEqualTo("req_oai");
            assertThat(ex.timings().ttftNanos() / 1e6).isBetween(95.0, 600.0);
            assertThat(ex.timings().deltas()).isEqualTo(2);
            assertThat(ex.usage().inputTokens()).isEqualTo(20);
            assertThat(ex.usage().cacheReadInputTokens()).isEqualTo(100);
            assertThat(ex.usage().outputTokens()).isEqualTo(3);
        }
    }

    @Test
    void streams_tool_call_arguments_in_pieces_and_reads_json_answers_and_errors() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream");
            chunk(out, "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"lookup\",\"arguments\":\"\"}}]}}]}");
            chunk(out, "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\":\"}}]}}]}");
            chunk(out, "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"dogs\\\"}\"}}]},"
                    + "\"finish_reason\":\"tool_calls\"}]}");
        })) {
            Exchange ex = new OpenAiChatClient(server.baseUri(), KEY, Clock.system(), Duration.ofSeconds(2))
                    .send(new MessageRequest(messagesBody(true), Map.of(), Duration.ofSeconds(5)));
            assertThat(ex.ok()).as("closed after finish_reason without [DONE] is complete").isTrue();
            assertThat(ex.stopReason()).isEqualTo("tool_use");
            assertThat(ex.toolUses()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("lookup");
                assertThat(t.input().path("q").asText()).isEqualTo("dogs");
            });
            assertThat(ex.timings().ttftNanos()).isEqualTo(-1);
            assertThat(ex.timings().deltas()).isEqualTo(2);
        }
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "application/json");
            out.write("{\"model\":\"gpt-x\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}"
                    .getBytes(StandardCharsets.UTF_8));
        })) {
            Exchange ex = new OpenAiChatClient(server.baseUri(), KEY, Clock.system(), Duration.ofSeconds(2))
                    .send(new MessageRequest(messagesBody(false), Map.of(), Duration.ofSeconds(5)));
            assertThat(ex.text()).isEqualTo("Hi");
            assertThat(ex.stopReason()).isEqualTo("max_tokens");
            assertThat(ex.usage().inputTokens()).isEqualTo(5);
        }
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.setStatus(429);
            response.getHeaders().put("retry-after", "2");
            out.write("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_exceeded\"}}".getBytes(StandardCharsets.UTF_8));
        })) {
            Exchange ex = new OpenAiChatClient(server.baseUri(), KEY, Clock.system(), Duration.ofSeconds(2))
                    .send(new MessageRequest(messagesBody(false), Map.of(), Duration.ofSeconds(5)));
            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(ex.failure().message()).isEqualTo("Rate limit reached");
            assertThat(ex.hints().retryAfterNanos()).isEqualTo(2_000_000_000L);
        }
    }
}
