package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Java SDK as an independent client: if it parses our wire format, real tools will. */
class OfficialSdkTest {
    static Emulator emu;
    static AnthropicClient client;

    @BeforeAll
    static void start() throws Exception {
        emu = Emulator.start(EmulatorConfig.builder().seed(7).rules(List.of(Http.examples()))
                .acceptedKeys(Set.of("sk-sdk")).latency(List.of(LatencyProfile.instant("*"))).build());
        client = sdk("sk-sdk", 0);
    }

    @AfterAll
    static void stop() {
        client.close();
        emu.close();
    }

    static AnthropicClient sdk(String key, int retries) {
        return AnthropicOkHttpClient.builder().baseUrl(emu.baseUri().toString()).apiKey(key).maxRetries(retries).build();
    }

    static final Tool WEATHER = Tool.builder().name("get_weather").description("Weather for a city")
            .inputSchema(Tool.InputSchema.builder()
                    .properties(Tool.InputSchema.Properties.builder()
                            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                            .putAdditionalProperty("unit", JsonValue.from(Map.of("type", "string", "enum", List.of("c", "f"))))
                            .build())
                    .addRequired("city").addRequired("unit").build())
            .build();

    private static MessageCreateParams.Builder params(String text) {
        return MessageCreateParams.builder().model("claude-sonnet-4-6").maxTokens(200).addUserMessage(text);
    }

    @Test
    void parses_a_json_text_answer() {
        Message message = client.messages().create(params("Hello there").build());
        assertThat(message.content()).hasSize(1);
        assertThat(message.content().getFirst().text()).hasValueSatisfying(t -> assertThat(t.text()).isNotBlank());
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isPositive();
        assertThat(message.usage().outputTokens()).isPositive();
        assertThat(message.id()).startsWith("msg_");
    }

    @Test
    void parses_a_json_tool_use_answer() {
        Message message = client.messages().create(params("Which weather?").addTool(WEATHER)
                .toolChoice(ToolChoiceTool.builder().name("get_weather").build()).build());
        assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
        ToolUseBlock tool = message.content().getFirst().toolUse().orElseThrow();
        assertThat(tool.name()).isEqualTo("get_weather");
        assertThat(tool.id()).startsWith("toolu_");
        Map<?, ?> input = tool._input().convert(Map.class);
        assertThat(input.get("city")).isInstanceOf(String.class);
        assertThat(input.get("unit")).isIn("c", "f");
    }

    @Test
    void accumulates_a_streamed_text_and_tool_answer_equal_to_the_json_answer() {
        MessageCreateParams request = params("What is the weather in Oslo?").addTool(WEATHER).build();
        Message expected = client.messages().create(request);
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(request)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message streamed = accumulator.message();
        assertThat(streamed.content()).hasSize(2);
        assertThat(streamed.content().get(0).text().orElseThrow().text())
                .isEqualTo(expected.content().get(0).text().orElseThrow().text());
        ToolUseBlock tool = streamed.content().get(1).toolUse().orElseThrow();
        assertThat(tool.id()).isEqualTo(expected.content().get(1).toolUse().orElseThrow().id());
        assertThat(tool._input().convert(Map.class)).isEqualTo(Map.of("location", "San Francisco, CA", "unit", "celsius"));
        assertThat(streamed.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(streamed.usage().outputTokens()).isEqualTo(expected.usage().outputTokens());
        assertThat(streamed.usage().inputTokens()).isEqualTo(expected.usage().inputTokens());
    }

    @Test
    void maps_400_to_bad_request_exception() {
        MessageCreateParams bad = MessageCreateParams.builder().model("claude-sonnet-4-6").maxTokens(-1)
                .addUserMessage("hi").build();
        assertThatThrownBy(() -> client.messages().create(bad)).isInstanceOfSatisfying(BadRequestException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.requestId()).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
            assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("max_tokens"));
        });
    }

    @Test
    void maps_401_to_unauthorized_exception() {
        AnthropicClient wrongKey = sdk("sk-wrong", 0);
        try {
            assertThatThrownBy(() -> wrongKey.messages().create(params("hi").build()))
                    .isInstanceOf(UnauthorizedException.class);
        } finally {
            wrongKey.close();
        }
    }

    @Test
    void mid_stream_error_event_raises_sse_exception() {
        MessageCreateParams request = params("[mid-stream-error] go").build();
        assertThatThrownBy(() -> {
            try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(request)) {
                stream.stream().forEach(e -> { });
            }
        }).isInstanceOf(SseException.class);
    }

    @Test
    void sdk_retries_a_flaky_overload_and_the_log_shows_each_attempt() {
        long before = emu.requestCount();
        AnthropicClient retrying = sdk("sk-sdk", 2);
        try {
            Message message = retrying.messages().create(params("[flaky] hello").build());
            assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        } finally {
            retrying.close();
        }
        assertThat(emu.requestCount()).isEqualTo(before + 3);
        List<EmulatorRequest> last = emu.requests().subList(emu.requests().size() - 3, emu.requests().size());
        assertThat(last).extracting(EmulatorRequest::status).containsExactly(529, 529, 200);
        assertThat(last).extracting(EmulatorRequest::retryCount).containsExactly(0, 1, 2);
    }

    @Test
    void counts_tokens_and_lists_models_through_every_page() {
        long count = client.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4-6")
                .addUserMessage("Hello there").build()).inputTokens();
        assertThat(count).isEqualTo(client.messages().create(params("Hello there").build()).usage().inputTokens());
        List<String> ids = client.models().list().autoPager().stream().map(ModelInfo::id).toList();
        assertThat(ids).contains("claude-sonnet-4-6", "claude-opus-4-7").doesNotHaveDuplicates();
    }
}
