package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches over HTTP: errored params, cancel, delete, per-key listing; and the new config keys. */
class BatchesTest {
    static final String GOOD = "{\"custom_id\":\"ok\",\"params\":{\"model\":\"m\",\"max_tokens\":20,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}";
    static final String BAD = "{\"custom_id\":\"bad\",\"params\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}";

    @Test
    void invalid_params_become_errored_results_and_cancel_ends_with_canceled() throws Exception {
        ManualClock clock = new ManualClock();
        try (Emulator emu = Emulator.start(EmulatorConfig.builder().clock(clock).batchProcessingMillis(5_000)
                .latency(List.of(LatencyProfile.instant("*"))).build())) {
            JsonNode batch = json(post(emu.baseUri(), "/v1/messages/batches", "{\"requests\":[" + GOOD + "," + BAD + "]}", AUTH));
            String id = batch.path("id").asText();
            assertThat(id).startsWith("msgbatch_01");
            assertThat(json(Http.get(emu.baseUri(), "/v1/messages/batches/" + id + "/results", AUTH)).path("error")
                    .path("type").asText()).isEqualTo("invalid_request_error");
            clock.advanceMillis(5_000);
            JsonNode ended = json(Http.get(emu.baseUri(), "/v1/messages/batches/" + id, AUTH));
            assertThat(ended.path("processing_status").asText()).isEqualTo("ended");
            assertThat(ended.path("ended_at").asText()).isEqualTo("2026-01-01T00:00:05Z");
            assertThat(ended.path("request_counts").path("errored").asInt()).isEqualTo(1);
            String[] lines = Http.get(emu.baseUri(), "/v1/messages/batches/" + id + "/results", AUTH).body().split("\n");
            assertThat(Json.MAPPER.readTree(lines[1]).path("result").path("error").path("error").path("message").asText())
                    .isEqualTo("max_tokens: Field required");

            String other = json(post(emu.baseUri(), "/v1/messages/batches", "{\"requests\":[" + GOOD + "]}", AUTH)).path("id").asText();
            assertThat(json(post(emu.baseUri(), "/v1/messages/batches/" + other + "/cancel", "", AUTH))
                    .path("processing_status").asText()).isEqualTo("canceling");
            assertThat(Http.get(emu.baseUri(), "/v1/messages/batches/" + other + "/results", AUTH).body())
                    .contains("\"type\":\"canceled\"");
            JsonNode page = json(Http.get(emu.baseUri(), "/v1/messages/batches?limit=1", AUTH));
            assertThat(page.path("data").get(0).path("id").asText()).isEqualTo(other);
            assertThat(page.path("has_more").asBoolean()).isTrue();
            assertThat(json(Http.get(emu.baseUri(), "/v1/messages/batches?after_id=" + id, AUTH)).path("data").isEmpty()).isTrue();
            assertThat(json(Http.get(emu.baseUri(), "/v1/messages/batches", "x-api-key", "sk-other", "anthropic-version",
                    "2023-06-01")).path("data").isEmpty()).isTrue();
            var deleted = Http.send(java.net.http.HttpRequest.newBuilder(emu.baseUri().resolve("/v1/messages/batches/" + id))
                    .DELETE().header(AUTH[0], AUTH[1]).header(AUTH[2], AUTH[3]).build());
            assertThat(json(deleted).path("type").asText()).isEqualTo("message_batch_deleted");
            assertThat(Http.get(emu.baseUri(), "/v1/messages/batches/" + id, AUTH).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void config_file_reads_cache_minimums_rate_limits_and_batch_time(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("emu.yaml");
        Files.writeString(yaml, """
                cache_minimums: [{model: "claude-x*", min_tokens: 10}]
                rate_limits: [{model: "*", rpm: 5, itpm: 100, otpm: 7}]
                batch_processing_ms: 250
                """);
        EmulatorConfig config = EmulatorConfig.load(yaml);
        assertThat(config.cacheMinimums()).containsExactly(new CacheMinimum("claude-x*", 10));
        assertThat(config.rateLimits()).containsExactly(new RateLimit("*", 5, 100, 7));
        assertThat(config.batchProcessingMillis()).isEqualTo(250);
        assertThat(config.toBuilder().build().rateLimits()).isEqualTo(config.rateLimits());
    }
}
