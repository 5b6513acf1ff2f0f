package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.ConflictException;
import com.anthropic.errors.ContentTooLargeException;
import com.anthropic.errors.GatewayTimeoutException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.PaymentRequiredException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.RequestTimeoutException;
import com.anthropic.errors.ServiceUnavailableException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.UnprocessableEntityException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ThinkingBlock;
import com.anthropic.models.messages.Usage;
import com.anthropic.models.messages.batches.BatchCreateParams;
import com.anthropic.models.messages.batches.MessageBatch;
import com.anthropic.models.messages.batches.MessageBatchIndividualResponse;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 3 conformance: the official Java SDK cannot tell the emulator from the API in these cases. */
class SdkConformanceTest {
    static final ManualClock CLOCK = new ManualClock();
    static Emulator emu;
    static AnthropicClient client;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("retry.yaml");
        Files.writeString(rules, """
                rules:
                  - name: limited-once
                    match: {contains: "[limited-once]"}
                    max_matches: 1
                    reply: {error: {status: 429, retry_after: 1}}
                """);
        emu = Emulator.start(EmulatorConfig.builder().seed(11).clock(CLOCK).rules(List.of(rules))
                .batchProcessingMillis(60_000).latency(List.of(LatencyProfile.instant("*"))).build());
        client = sdk(0);
    }

    @AfterAll
    static void stop() {
        client.close();
        emu.close();
    }

    static AnthropicClient sdk(int retries) {
        return AnthropicOkHttpClient.builder().baseUrl(emu.baseUri().toString()).apiKey("sk-conf").maxRetries(retries).build();
    }

    static MessageCreateParams.Builder params(String text) {
        return MessageCreateParams.builder().model("claude-sonnet-4-6").maxTokens(4000).addUserMessage(text);
    }

    @Test
    void streamed_thinking_accumulates_into_a_signed_thinking_block_then_text() {
        MessageCreateParams request = params("Think first").enabledThinking(2048).build();
        Message json = client.messages().create(request);
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(request)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message streamed = accumulator.message();
        ThinkingBlock thinking = streamed.content().getFirst().thinking().orElseThrow();
        assertThat(thinking.thinking()).isNotBlank().isEqualTo(json.content().getFirst().thinking().orElseThrow().thinking());
        assertThat(thinking.signature()).isNotBlank().isEqualTo(json.content().getFirst().thinking().orElseThrow().signature());
        assertThat(streamed.content().get(1).text()).isPresent();
        Usage usage = json.usage();
        long thinkingTokens = usage.outputTokensDetails().orElseThrow().thinkingTokens();
        assertThat(thinkingTokens).isEqualTo(Tokens.count(thinking.thinking()));
        assertThat(usage.outputTokens()).isGreaterThan(thinkingTokens);
        assertThat(streamed.usage().outputTokens()).isEqualTo(usage.outputTokens());
    }

    @ParameterizedTest
    @CsvSource({
        "400, BadRequestException", "401, UnauthorizedException", "402, PaymentRequiredException",
        "403, PermissionDeniedException", "404, NotFoundException", "408, RequestTimeoutException",
        "409, ConflictException", "413, ContentTooLargeException", "422, UnprocessableEntityException",
        "429, RateLimitException", "500, InternalServerException", "503, ServiceUnavailableException",
        "504, GatewayTimeoutException", "529, OverloadedException",
    })
    void every_error_status_maps_to_its_sdk_exception(int status, String exception) {
        Map<String, Class<? extends AnthropicServiceException>> classes = Map.ofEntries(
                Map.entry("BadRequestException", BadRequestException.class),
                Map.entry("UnauthorizedException", UnauthorizedException.class),
                Map.entry("PaymentRequiredException", PaymentRequiredException.class),
                Map.entry("PermissionDeniedException", PermissionDeniedException.class),
                Map.entry("NotFoundException", NotFoundException.class),
                Map.entry("RequestTimeoutException", RequestTimeoutException.class),
                Map.entry("ConflictException", ConflictException.class),
                Map.entry("ContentTooLargeException", ContentTooLargeException.class),
                Map.entry("UnprocessableEntityException", UnprocessableEntityException.class),
                Map.entry("RateLimitException", RateLimitException.class),
                Map.entry("InternalServerException", InternalServerException.class),
                Map.entry("ServiceUnavailableException", ServiceUnavailableException.class),
                Map.entry("GatewayTimeoutException", GatewayTimeoutException.class),
                Map.entry("OverloadedException", OverloadedException.class));
        MessageCreateParams request = params("fail").putAdditionalHeader(Faults.HEADER, "status=" + status).build();
        assertThatThrownBy(() -> client.messages().create(request)).isInstanceOfSatisfying(classes.get(exception), e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.requestId()).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
        });
    }

    @Test
    void the_sdk_retry_waits_the_retry_after_the_emulator_sends() {
        AnthropicClient retrying = sdk(2);
        Clock real = Clock.system();
        long start = real.nanoTime();
        try {
            Message message = retrying.messages().create(params("[limited-once] hello").build());
            assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        } finally {
            retrying.close();
        }
        assertThat(real.nanoTime() - start).isGreaterThan(900_000_000L);
        List<EmulatorRequest> log = emu.requests();
        List<EmulatorRequest> last = log.subList(log.size() - 2, log.size());
        assertThat(last).extracting(EmulatorRequest::status).containsExactly(429, 200);
        assertThat(last).extracting(EmulatorRequest::retryCount).containsExactly(0, 1);
    }

    @Test
    void caching_usage_across_two_calls() {
        String big = String.join(" ", java.util.Collections.nCopies(1500, "cache"));
        MessageCreateParams request = params("Cached?").systemOfTextBlockParams(List.of(TextBlockParam.builder().text(big)
                .cacheControl(CacheControlEphemeral.builder().build()).build())).build();
        Usage first = client.messages().create(request).usage();
        Usage second = client.messages().create(request).usage();
        assertThat(first.cacheCreationInputTokens()).hasValue(1500L);
        assertThat(first.cacheCreation().orElseThrow().ephemeral5mInputTokens()).isEqualTo(1500);
        assertThat(first.cacheReadInputTokens()).hasValue(0L);
        assertThat(second.cacheReadInputTokens()).hasValue(1500L);
        assertThat(second.cacheCreationInputTokens()).hasValue(0L);
        assertThat(second.inputTokens()).isEqualTo(first.inputTokens());
    }

    @Test
    void batches_round_trip_at_the_batch_tier() {
        BatchCreateParams create = BatchCreateParams.builder()
                .addRequest(BatchCreateParams.Request.builder().customId("one").params(BatchCreateParams.Request.Params
                        .builder().model("claude-sonnet-4-6").maxTokens(100).addUserMessage("Batch hello").build()).build())
                .addRequest(BatchCreateParams.Request.builder().customId("two").params(BatchCreateParams.Request.Params
                        .builder().model("claude-sonnet-4-6").maxTokens(100).addUserMessage("Second").build()).build())
                .build();
        MessageBatch batch = client.messages().batches().create(create);
        assertThat(batch.processingStatus().asString()).isEqualTo("in_progress");
        assertThat(batch.requestCounts().processing()).isEqualTo(2);
        CLOCK.advanceMillis(60_000);
        MessageBatch ended = client.messages().batches().retrieve(batch.id());
        assertThat(ended.processingStatus().asString()).isEqualTo("ended");
        assertThat(ended.requestCounts().succeeded()).isEqualTo(2);
        assertThat(ended.resultsUrl()).hasValueSatisfying(u -> assertThat(u).startsWith(emu.baseUri().toString()));
        try (StreamResponse<MessageBatchIndividualResponse> results = client.messages().batches().resultsStreaming(batch.id())) {
            List<MessageBatchIndividualResponse> all = results.stream().toList();
            assertThat(all).extracting(MessageBatchIndividualResponse::customId).containsExactly("one", "two");
            Message message = all.getFirst().result().succeeded().orElseThrow().message();
            assertThat(message.usage().serviceTier().orElseThrow().asString()).isEqualTo("batch");
        }
        assertThat(client.messages().batches().list().autoPager().stream().map(MessageBatch::id).toList()).contains(batch.id());
    }

    @Test
    void bearer_and_x_api_key_auth_both_work() {
        AnthropicClient bearer = AnthropicOkHttpClient.builder().baseUrl(emu.baseUri().toString())
                .authToken("sk-bearer").maxRetries(0).build();
        try {
            assertThat(bearer.messages().create(params("Bearer?").build()).stopReason()).isPresent();
        } finally {
            bearer.close();
        }
        assertThat(client.messages().create(params("Key?").build()).stopReason()).isPresent();
    }
}
