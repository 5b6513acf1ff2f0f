package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.ManualClock;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The event-stream framing against SSE on a manual clock: the same events give the same exchange, to the nanosecond. */
class EventStreamFramerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ExchangeSubscriber subscriber(ManualClock clock, String contentType, CompletableFuture<Exchange> result) {
        HttpHeaders headers = HttpHeaders.of(Map.of("content-type", List.of(contentType)), (n, v) -> true);
        clock.advanceMillis(40); // the headers, 40 ms after the request went out at 0
        return new ExchangeSubscriber(200, headers, true, WireProtocol.ANTHROPIC, JSON, clock, 0, clock.nanoTime(),
                "claude-x", SecretMask.NONE, 1 << 24, 0, result, () -> { });
    }

    /** Each event is delivered in two chunks 3 ms apart; it counts from the second, which completes it. */
    private static Exchange deliver(String contentType, java.util.function.Function<String, byte[]> encode) {
        ManualClock clock = new ManualClock();
        CompletableFuture<Exchange> result = new CompletableFuture<>();
        ExchangeSubscriber s = subscriber(clock, contentType, result);
        int i = 0;
        for (String event : BedrockClientTest.EVENTS) {
            byte[] bytes = encode.apply(event);
            int half = bytes.length / 2;
            clock.advanceMillis(7 + 5L * i++);
            s.onNext(ByteBuffer.wrap(Arrays.copyOf(bytes, half)));
            clock.advanceMillis(3);
            s.onNext(ByteBuffer.wrap(Arrays.copyOfRange(bytes, half, bytes.length)));
        }
        s.onComplete();
        return result.join();
    }

    private static byte[] sse(String event) {
        try {
            String type = JSON.readTree(event).path("type").asText();
            return ("event: " + type + "\ndata: " + event + "\n\n").getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void frames_give_the_exchange_and_timings_the_same_events_give_over_sse() {
        Exchange overSse = deliver("text/event-stream", EventStreamFramerTest::sse);
        Exchange overFrames = deliver("application/vnd.amazon.eventstream", AwsStub::chunk);

        assertThat(overFrames.failure()).isNull();
        assertThat(overFrames.content()).isEqualTo(overSse.content());
        assertThat(overFrames.text()).isEqualTo("Paris.");
        assertThat(overFrames.toolUses().get(0).input().path("city").asText()).isEqualTo("Paris");
        assertThat(overFrames.usage()).isEqualTo(overSse.usage());
        assertThat(overFrames.stopReason()).isEqualTo("tool_use");
        assertThat(overFrames.timings()).isEqualTo(overSse.timings());
        // the first text delta is event 3: completed at 40 + (7+3) + (12+3) + (17+3) = 85 ms
        assertThat(overFrames.timings().ttftNanos()).isEqualTo(85_000_000L);
        assertThat(overFrames.hints().serverFirstByteMs()).isEqualTo(304.0);
    }

    @Test
    void one_chunk_holding_several_frames_times_them_all_at_its_arrival() {
        ManualClock clock = new ManualClock();
        CompletableFuture<Exchange> result = new CompletableFuture<>();
        ExchangeSubscriber s = subscriber(clock, "application/vnd.amazon.eventstream", result);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        BedrockClientTest.EVENTS.forEach(e -> all.writeBytes(AwsStub.chunk(e)));
        clock.advanceMillis(60);
        s.onNext(ByteBuffer.wrap(all.toByteArray()));

        Exchange ex = result.join(); // message_stop ends the exchange without waiting for the body's end
        assertThat(ex.failure()).isNull();
        assertThat(ex.timings().ttftNanos()).isEqualTo(100_000_000L);
        assertThat(ex.timings().e2eNanos()).isEqualTo(100_000_000L);
    }
}
