package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.metrics.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CapacityTest {
    private static final Clock REAL = Clock.system();

    private static long elapsedMillisFor(EmulatorConfig config, int requests) throws Exception {
        try (Emulator emu = Emulator.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = emu.baseUri().resolve("/v1/messages");
            long start = REAL.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                all.add(http.sendAsync(HttpRequest.newBuilder(uri).header("x-api-key", "k")
                        .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"q" + i + "\"}]}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : all) {
                assertThat(f.get().statusCode()).isEqualTo(200);
            }
            return (REAL.nanoTime() - start) / 1_000_000;
        }
    }

    @Test
    void requests_beyond_the_capacity_queue_so_throughput_stops_growing() throws Exception {
        List<LatencyProfile> slow = List.of(new LatencyProfile("*", 300, 0, 0, 0));
        elapsedMillisFor(EmulatorConfig.builder().latency(slow).build(), 6); // warm up the JVM and the client
        long unlimited = elapsedMillisFor(EmulatorConfig.builder().latency(slow).build(), 6);
        long twoAtOnce = elapsedMillisFor(EmulatorConfig.builder().latency(slow).maxConcurrent("claude-haiku-*", 2).build(), 6);

        // 6 requests of 300 ms: all at once ≈ 300 ms; two at a time = three waves ≈ 900 ms
        assertThat(twoAtOnce).isGreaterThanOrEqualTo(850);
        assertThat(twoAtOnce).isGreaterThan(unlimited + 400);
    }

    @Test
    void a_config_file_sets_capacity_and_rejects_a_bad_value(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = dir.resolve("c.yaml");
        java.nio.file.Files.writeString(f, "capacity: [{model: \"claude-*\", max_concurrent: 3}]\n");
        assertThat(EmulatorConfig.load(f).capacity()).containsExactly(new Capacity.Limit("claude-*", 3));
        java.nio.file.Files.writeString(f, "capacity: [{model: \"claude-*\", max_concurrent: 0}]\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmulatorConfig.load(f))
                .hasMessageContaining("max_concurrent must be >= 1");
    }
}
