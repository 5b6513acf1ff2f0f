package dev.sonde.emulator;

import static dev.sonde.emulator.PromptCacheTest.KEY_A;
import static dev.sonde.emulator.PromptCacheTest.cachedSystem;
import static dev.sonde.emulator.PromptCacheTest.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A streamed response makes its cache writes readable at its first content delta (when the
 * modelled prefill is over), not at the early {@code message_start}: identical streams in flight
 * together all write, as parallel first requests do on the API (a write storm).
 */
class StreamedCacheCommitTest {

    private static JsonNode messageStartUsage(String sse) {
        for (Http.Event e : Http.events(sse)) {
            if (e.name().equals("message_start")) {
                return e.data().path("message").path("usage");
            }
        }
        throw new AssertionError("no message_start in " + sse);
    }

    @Test
    void parallel_streams_held_in_prefill_all_write_and_the_next_reads() throws Exception {
        GatedClock clock = new GatedClock();
        try (Emulator emu = start(clock, new LatencyProfile("*", 1000, 0, 0, 0))) {
            String body = cachedSystem("claude-sonnet-4-6", "Stream storm?", null, true);
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inFlight.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(emu.baseUri().resolve("/v1/messages"))
                        .header(KEY_A[0], KEY_A[1]).header(KEY_A[2], KEY_A[3])
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            clock.awaitSleepers(3);
            clock.open();
            for (CompletableFuture<HttpResponse<String>> f : inFlight) {
                assertThat(messageStartUsage(f.get().body()).path("cache_creation_input_tokens").asInt()).isEqualTo(1500);
            }
            HttpResponse<String> after = Http.post(emu.baseUri(), "/v1/messages", body, KEY_A);
            assertThat(messageStartUsage(after.body()).path("cache_read_input_tokens").asInt()).isEqualTo(1500);
        }
    }
}
