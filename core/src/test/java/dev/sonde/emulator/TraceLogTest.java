package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.body;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.ManualClock;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceLogTest {
    @TempDir
    Path dir;

    @Test
    void each_request_gets_one_line_keyed_by_its_request_id_with_its_times_in_order() throws Exception {
        ManualClock clock = new ManualClock();
        Path file = dir.resolve("trace.jsonl");
        EmulatorConfig config = EmulatorConfig.builder().clock(clock).trace(file)
                .latency(List.of(new LatencyProfile("claude-*", 1000, 0, 10, 0))).build();
        List<HttpResponse<String>> responses = new ArrayList<>();
        try (Emulator emu = Emulator.start(config)) {
            String request = body("claude-sonnet-4-6", 5, "Trace me", "");
            responses.add(post(emu.baseUri(), "/v1/messages", request.replace("{\"model\"", "{\"stream\":true,\"model\""), AUTH));
            responses.add(post(emu.baseUri(), "/v1/messages", request, AUTH));
            responses.add(post(emu.baseUri(), "/v1/messages", request, "anthropic-version", "2023-06-01"));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        JsonNode anchor = Json.MAPPER.readTree(lines.get(0));
        assertThat(anchor.path("trace").asText()).isEqualTo("sonde-emulator");
        assertThat(anchor.path("anchor_mono_ns").isNumber()).isTrue();
        assertThat(anchor.path("anchor_epoch_ns").asLong()).isPositive();

        JsonNode stream = Json.MAPPER.readTree(lines.get(1));
        assertThat(stream.path("request_id").asText()).isEqualTo(responses.get(0).headers().firstValue("request-id").orElseThrow());
        assertThat(stream.path("status").asInt()).isEqualTo(200);
        assertThat(stream.path("stream").asBoolean()).isTrue();
        long headers = stream.path("headers_ns").asLong();
        long bodyRead = stream.path("body_ns").asLong();
        long firstDelta = stream.path("first_delta_ns").asLong();
        long last = stream.path("last_byte_ns").asLong();
        assertThat(headers).isLessThanOrEqualTo(bodyRead);
        assertThat(stream.path("first_write_ns").asLong()).isBetween(bodyRead, firstDelta);
        assertThat(firstDelta).isLessThanOrEqualTo(last);
        // on the manual clock the only time that passes is the modelled one: 1 s to the first delta,
        // then one token every 100 ms
        assertThat(firstDelta - headers).isEqualTo(1_000_000_000L);
        JsonNode deltas = stream.path("delta_ns");
        assertThat(deltas.size()).isEqualTo(stream.path("deltas").asInt()).isGreaterThan(1);
        assertThat(deltas.get(0).asLong()).isEqualTo(firstDelta);
        for (int i = 1; i < deltas.size(); i++) {
            assertThat(deltas.get(i).asLong()).isGreaterThan(deltas.get(i - 1).asLong());
        }
        assertThat(deltas.get(deltas.size() - 1).asLong()).isLessThanOrEqualTo(last);

        JsonNode json = Json.MAPPER.readTree(lines.get(2));
        assertThat(json.path("request_id").asText()).isEqualTo(responses.get(1).headers().firstValue("request-id").orElseThrow());
        assertThat(json.path("stream").asBoolean()).isFalse();
        assertThat(json.has("first_delta_ns")).isFalse();
        assertThat(json.path("deltas").asInt()).isZero();
        assertThat(json.path("last_byte_ns").asLong() - json.path("headers_ns").asLong())
                .isEqualTo(stream.path("last_byte_ns").asLong() - headers);

        JsonNode refused = Json.MAPPER.readTree(lines.get(3));
        assertThat(refused.path("request_id").asText()).isEqualTo(responses.get(2).headers().firstValue("request-id").orElseThrow());
        assertThat(refused.path("status").asInt()).isEqualTo(401);
        assertThat(refused.path("error").asText()).isEqualTo("authentication_error");
        assertThat(refused.has("body_ns")).isFalse();
        assertThat(refused.path("last_byte_ns").asLong()).isGreaterThanOrEqualTo(refused.path("headers_ns").asLong());
    }

    @Test
    void a_full_queue_drops_lines_and_counts_them_instead_of_blocking() throws Exception {
        ManualClock clock = new ManualClock();
        TraceLog log = TraceLog.open(dir.resolve("t.jsonl"), clock);
        try (log) {
            TraceLog.Line line = new TraceLog.Line("req_x", "POST", "/v1/messages", "anthropic", 200, null, false, 1, 2, 3,
                    new long[0], 0, 4);
            long started = System.nanoTime();
            for (int i = 0; i < TraceLog.QUEUE_LINES * 20; i++) {
                log.offer(line);
            }
            assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
        }
        List<String> lines = Files.readAllLines(dir.resolve("t.jsonl"));
        // every line offered is either written (after the anchor line) or counted as dropped
        assertThat(lines.size() - 1 + log.dropped()).isEqualTo(TraceLog.QUEUE_LINES * 20);
        assertThat(lines.size()).isGreaterThan(1);
        assertThat(lines.get(1)).isEqualTo("{\"request_id\":\"req_x\",\"method\":\"POST\",\"path\":\"/v1/messages\",\"route\":\"anthropic\",\"status\":200,"
                + "\"stream\":false,\"headers_ns\":1,\"body_ns\":2,\"first_write_ns\":3,\"deltas\":0,\"delta_ns\":[],\"last_byte_ns\":4}");
    }
}
