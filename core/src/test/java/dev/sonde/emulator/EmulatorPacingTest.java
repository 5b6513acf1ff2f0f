package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.body;
import static dev.sonde.emulator.Http.events;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EmulatorPacingTest {
    private static final Clock REAL = Clock.system();

    @Test
    void with_a_manual_clock_json_and_stream_wait_exactly_the_modelled_time() throws Exception {
        ManualClock clock = new ManualClock();
        EmulatorConfig config = EmulatorConfig.builder().clock(clock)
                .latency(List.of(new LatencyProfile("claude-*", 1000, 100, 10, 0))).build();
        try (Emulator emu = Emulator.start(config)) {
            String request = body("claude-sonnet-4-6", 50, "Pace me", "");
            long t0 = clock.nanoTime();
            JsonNode message = json(post(emu.baseUri(), "/v1/messages", request, AUTH));
            long jsonWait = clock.nanoTime() - t0;

            long t1 = clock.nanoTime();
            List<Http.Event> stream = events(post(emu.baseUri(), "/v1/messages",
                    request.replace("{\"model\"", "{\"stream\":true,\"model\""), AUTH).body());
            long streamWait = clock.nanoTime() - t1;

            int input = message.path("usage").path("input_tokens").asInt();
            int output = message.path("usage").path("output_tokens").asInt();
            String firstDelta = stream.stream().filter(e -> e.name().equals("content_block_delta")).findFirst()
                    .orElseThrow().data().path("delta").path("text").asText();
            long ttft = 1_000_000_000L + input * 100_000L;
            long expected = ttft + (output - Tokens.count(firstDelta)) * 100_000_000L;
            assertThat(output).isEqualTo(50);
            assertThat(jsonWait).isEqualTo(expected);
            assertThat(streamWait).isEqualTo(expected);
        }
    }

    @Test
    void real_time_stream_roughly_follows_ttft_and_tokens_per_second() throws Exception {
        EmulatorConfig config = EmulatorConfig.builder()
                .latency(List.of(new LatencyProfile("*", 300, 0, 100, 0))).build();
        try (Emulator emu = Emulator.start(config)) {
            HttpRequest request = HttpRequest.newBuilder(emu.baseUri().resolve("/v1/messages"))
                    .header(AUTH[0], AUTH[1]).header(AUTH[2], AUTH[3])
                    .POST(HttpRequest.BodyPublishers.ofString(body("m", 60, "Stream slowly", ",\"stream\":true"))).build();
            long start = REAL.nanoTime();
            HttpResponse<Stream<String>> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofLines());
            long headersAt = REAL.nanoTime() - start;
            long firstDeltaAt = -1;
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (firstDeltaAt < 0 && line.contains("\"text_delta\"")) {
                    firstDeltaAt = REAL.nanoTime() - start;
                }
            }
            long totalAt = REAL.nanoTime() - start;
            // Modelled: first delta at 300 ms, then ~58 more tokens at 100 tokens/s ≈ 0.88 s in all.
            assertThat(headersAt).isLessThan(250_000_000L);
            assertThat(firstDeltaAt).isBetween(250_000_000L, 3_000_000_000L);
            assertThat(totalAt).isBetween(650_000_000L, 5_000_000_000L);
        }
    }

    @Test
    void paced_requests_do_not_queue_behind_a_thread_pool() throws Exception {
        EmulatorConfig config = EmulatorConfig.builder()
                .latency(List.of(new LatencyProfile("*", 2000, 0, 0, 0))).build();
        try (Emulator emu = Emulator.start(config)) {
            int requests = 600;
            long start = REAL.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(emu.baseUri().resolve("/v1/messages"))
                        .header(AUTH[0], AUTH[1]).header(AUTH[2], AUTH[3])
                        .POST(HttpRequest.BodyPublishers.ofString(body("m", 5, "concurrent " + i, ""))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : futures) {
                assertThat(f.get().statusCode()).isEqualTo(200);
            }
            long elapsed = REAL.nanoTime() - start;
            // 600 requests of 2 s each: a 200-thread pool would need >= 6 s; virtual threads overlap them all.
            assertThat(elapsed).isLessThan(5_000_000_000L);
            assertThat(emu.requestCount()).isEqualTo(requests);
        }
    }
}
