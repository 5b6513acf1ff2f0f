package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.events;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.ManualClock;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structured output, thinking display, media counting, determinism, and the chat-completions front. */
class ContentAndChatTest {
    static final String[] BEARER = {"authorization", "Bearer sk-openai"};

    static Emulator start(long seed, LatencyProfile latency) throws Exception {
        return Emulator.start(EmulatorConfig.builder().seed(seed).clock(new ManualClock()).latency(List.of(latency)).build());
    }

    @Test
    void output_config_format_is_answered_with_json_that_fits_the_schema() throws Exception {
        try (Emulator emu = start(3, LatencyProfile.instant("*"))) {
            String body = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":500,\"output_config\":{\"format\":{\"type\":"
                    + "\"json_schema\",\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
                    + "\"age\":{\"type\":\"integer\"}},\"required\":[\"name\",\"age\"],"
                    + "\"additionalProperties\":false}}},\"messages\":[{\"role\":\"user\",\"content\":\"Who?\"}]}";
            JsonNode answer = Json.MAPPER.readTree(json(post(emu.baseUri(), "/v1/messages", body, AUTH))
                    .path("content").get(0).path("text").asText());
            assertThat(answer.path("name").isTextual()).isTrue();
            assertThat(answer.path("age").isIntegralNumber()).isTrue(); // bounds are not allowed (EmulatorValidationTest)
        }
    }

    @Test
    void omitted_thinking_streams_only_a_signature_delta_but_counts_its_tokens() throws Exception {
        try (Emulator emu = start(3, LatencyProfile.instant("*"))) {
            String body = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":3000,\"stream\":true,\"thinking\":{\"type\":"
                    + "\"enabled\",\"budget_tokens\":1024,\"display\":\"omitted\"},\"messages\":[{\"role\":\"user\",\"content\":\"Hm\"}]}";
            List<Http.Event> events = events(post(emu.baseUri(), "/v1/messages", body, AUTH).body());
            List<String> deltaTypes = events.stream().filter(e -> e.data().path("index").asInt(-1) == 0
                    && e.name().equals("content_block_delta")).map(e -> e.data().path("delta").path("type").asText()).toList();
            assertThat(deltaTypes).containsExactly("signature_delta");
            JsonNode usage = events.get(events.size() - 2).data().path("usage");
            assertThat(usage.path("output_tokens_details").path("thinking_tokens").asInt()).isPositive();
        }
    }

    @Test
    void images_and_documents_are_accepted_and_counted_like_count_tokens() throws Exception {
        try (Emulator emu = start(3, LatencyProfile.instant("*"))) {
            String body = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":["
                    + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},"
                    + "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"alpha beta\"}},"
                    + "{\"type\":\"text\",\"text\":\"Describe\"}]}]}";
            int input = json(post(emu.baseUri(), "/v1/messages", body, AUTH)).path("usage").path("input_tokens").asInt();
            assertThat(input).isEqualTo(1 + 3 + InputTokens.IMAGE_TOKENS + Tokens.count("alpha beta") + Tokens.count("Describe"));
            assertThat(json(post(emu.baseUri(), "/v1/messages/count_tokens", body, AUTH)).path("input_tokens").asInt())
                    .isEqualTo(input);
        }
    }

    @Test
    void same_seed_and_requests_give_byte_identical_bodies_and_schedules() throws Exception {
        List<String> first = run(99);
        assertThat(run(99)).isEqualTo(first);
        assertThat(run(100)).isNotEqualTo(first);
    }

    private static List<String> run(long seed) throws Exception {
        List<String> bodies = new ArrayList<>();
        ManualClock clock = new ManualClock();
        try (Emulator emu = Emulator.start(EmulatorConfig.builder().seed(seed).clock(clock)
                .latency(List.of(new LatencyProfile("*", 500, 10, 50, 0.3))).build())) {
            for (String extra : List.of("", ",\"stream\":true")) {
                for (int i = 0; i < 3; i++) {
                    long t0 = clock.nanoTime();
                    bodies.add(post(emu.baseUri(), "/v1/messages", Http.body("claude-haiku-4-5", 80, "Same " + (i % 2), extra),
                            AUTH).body());
                    bodies.add("waited " + (clock.nanoTime() - t0));
                }
            }
        }
        return bodies;
    }

    @Test
    void chat_completions_json_maps_usage_finish_reason_and_tool_calls() throws Exception {
        try (Emulator emu = start(3, LatencyProfile.instant("*"))) {
            String body = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":300,\"messages\":[{\"role\":\"system\",\"content\":"
                    + "\"Be brief.\"},{\"role\":\"user\",\"content\":\"Weather?\"}],\"tools\":[{\"type\":\"function\",\"function\":"
                    + "{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                    + "\"required\":[\"city\"]}}}],\"tool_choice\":\"required\"}";
            HttpResponse<String> response = post(emu.baseUri(), "/v1/chat/completions", body, BEARER);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode completion = json(response);
            assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
            JsonNode choice = completion.path("choices").get(0);
            assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
            JsonNode call = choice.path("message").path("tool_calls").get(0);
            assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
            assertThat(Json.MAPPER.readTree(call.path("function").path("arguments").asText()).path("city").isTextual()).isTrue();
            JsonNode usage = completion.path("usage");
            assertThat(usage.path("total_tokens").asInt())
                    .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
            HttpResponse<String> bad = post(emu.baseUri(), "/v1/chat/completions", "{\"model\":\"m\",\"n\":2,\"messages\":[]}", BEARER);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json(bad).path("error").path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(json(bad).has("type")).isFalse();
        }
    }

    @Test
    void chat_completions_stream_ends_with_usage_chunk_and_done_and_reports_cached_tokens() throws Exception {
        try (Emulator emu = start(3, LatencyProfile.instant("*"))) {
            String system = String.join(" ", Collections.nCopies(1500, "cache"));
            String body = "{\"model\":\"claude-sonnet-4-6\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + system + "\","
                    + "\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"text\",\"text\":\"Hi\"}]}]}";
            post(emu.baseUri(), "/v1/chat/completions", body, BEARER);
            String sse = post(emu.baseUri(), "/v1/chat/completions", body, BEARER).body();
            assertThat(sse).endsWith("data: [DONE]\n\n");
            String[] frames = sse.split("\n\n");
            List<JsonNode> chunks = new ArrayList<>();
            for (int i = 0; i < frames.length - 1; i++) {
                assertThat(frames[i]).startsWith("data: ");
                chunks.add(Json.MAPPER.readTree(frames[i].substring(6)));
            }
            assertThat(chunks.getFirst().path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
            assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.get("usage").isNull()).isTrue());
            assertThat(chunks.get(chunks.size() - 2).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
            JsonNode last = chunks.getLast();
            assertThat(last.path("choices").isEmpty()).isTrue();
            assertThat(last.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(1500 + 3);
            StringBuilder text = new StringBuilder();
            chunks.forEach(c -> text.append(c.path("choices").path(0).path("delta").path("content").asText("")));
            assertThat(Tokens.count(text.toString())).isEqualTo(last.path("usage").path("completion_tokens").asInt());
        }
    }
}
