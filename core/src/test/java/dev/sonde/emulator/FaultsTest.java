package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.body;
import static dev.sonde.emulator.Http.events;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault injection by the x-sonde-fault header and by rules (request number, every N, seeded probability). */
class FaultsTest {
    static final String STREAM = ",\"stream\":true";

    static Emulator start(Clock clock, List<Path> rules, long seed) throws Exception {
        return Emulator.start(EmulatorConfig.builder().clock(clock).seed(seed).rules(rules)
                .latency(List.of(LatencyProfile.instant("*"))).build());
    }

    static String[] withFault(String fault) {
        return new String[] {AUTH[0], AUTH[1], AUTH[2], AUTH[3], Faults.HEADER, fault};
    }

    @Test
    void header_status_faults_carry_the_error_type_and_retry_headers() throws Exception {
        try (Emulator emu = start(new ManualClock(), List.of(), 1)) {
            HttpResponse<String> overloaded = post(emu.baseUri(), "/v1/messages", body("m", 20, "hi", ""),
                    withFault("status=529; retry_after=0; should_retry=false"));
            assertThat(overloaded.statusCode()).isEqualTo(529);
            assertThat(json(overloaded).path("error").path("type").asText()).isEqualTo("overloaded_error");
            assertThat(overloaded.headers().firstValue("retry-after")).hasValue("0");
            assertThat(overloaded.headers().firstValue("x-should-retry")).hasValue("false");
            HttpResponse<String> internal = post(emu.baseUri(), "/v1/messages", body("m", 20, "hi", ""), withFault("status=500"));
            assertThat(json(internal).path("error").path("type").asText()).isEqualTo("api_error");
            HttpResponse<String> unavailable = post(emu.baseUri(), "/v1/messages", body("m", 20, "hi", STREAM),
                    withFault("status=503;should_retry=true"));
            assertThat(unavailable.statusCode()).isEqualTo(503);
            assertThat(unavailable.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(unavailable.headers().firstValue("x-should-retry")).hasValue("true");
            HttpResponse<String> bad = post(emu.baseUri(), "/v1/messages", body("m", 20, "hi", ""), withFault("explode=1"));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json(bad).path("error").path("message").asText()).startsWith("x-sonde-fault: explode: unknown key");
        }
    }

    @Test
    void error_after_n_deltas_ends_the_stream_with_an_error_event() throws Exception {
        try (Emulator emu = start(new ManualClock(), List.of(), 1)) {
            HttpResponse<String> response = post(emu.baseUri(), "/v1/messages", body("m", 200, "Tell me more", STREAM),
                    withFault("error_after_deltas=3; type=overloaded_error"));
            assertThat(response.statusCode()).isEqualTo(200);
            List<Http.Event> events = events(response.body());
            assertThat(events.stream().filter(e -> e.name().equals("content_block_delta")).count()).isEqualTo(3);
            Http.Event last = events.getLast();
            assertThat(last.name()).isEqualTo("error");
            assertThat(last.data().path("error").path("type").asText()).isEqualTo("overloaded_error");
            assertThat(emu.requests().getLast().errorType()).isEqualTo("overloaded_error");
        }
    }

    @Test
    void drop_aborts_the_connection_mid_stream() throws Exception {
        try (Emulator emu = start(new ManualClock(), List.of(), 1)) {
            String raw = rawExchange(emu.baseUri(), body("m", 200, "Tell me more", STREAM), "drop_after_events=4");
            assertThat(raw).startsWith("HTTP/1.1 200").contains("event: message_start").contains("event: ping")
                    .doesNotContain("message_stop").doesNotEndWith("0\r\n\r\n");
            assertThatThrownBy(() -> post(emu.baseUri(), "/v1/messages", body("m", 200, "Tell me more", STREAM),
                    withFault("drop_after_deltas=2"))).hasRootCauseInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void stall_and_slow_first_byte_wait_on_the_clock() throws Exception {
        ManualClock clock = new ManualClock();
        try (Emulator emu = start(clock, List.of(), 1)) {
            long t0 = clock.nanoTime();
            List<Http.Event> events = events(post(emu.baseUri(), "/v1/messages", body("m", 50, "Stall", STREAM),
                    withFault("stall_after_events=3; stall_ms=7000; first_byte_delay_ms=250")).body());
            assertThat(clock.nanoTime() - t0).isEqualTo(7_250_000_000L);
            assertThat(events.getLast().name()).isEqualTo("message_stop");
        }
    }

    @Test
    void stall_really_sends_nothing_for_that_long() throws Exception {
        try (Emulator emu = Emulator.start(EmulatorConfig.builder().latency(List.of(LatencyProfile.instant("*"))).build())) {
            Clock real = Clock.system();
            long start = real.nanoTime();
            String raw = rawExchange(emu.baseUri(), body("m", 50, "Stall", STREAM), "stall_after_events=2; stall_ms=1500");
            long elapsed = real.nanoTime() - start;
            assertThat(raw).contains("message_stop");
            assertThat(elapsed).isGreaterThan(1_400_000_000L);
        }
    }

    @Test
    void malformed_line_breaks_sse_parsing_but_the_stream_goes_on() throws Exception {
        try (Emulator emu = start(new ManualClock(), List.of(), 1)) {
            String sse = post(emu.baseUri(), "/v1/messages", body("m", 50, "Broken", STREAM),
                    withFault("malformed_after_events=2")).body();
            assertThat(sse).contains("\"type\":\"text_del\n\n").endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
            assertThatThrownBy(() -> events(sse)).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void rules_fire_by_request_number_every_n_and_seeded_probability(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("faults.yaml");
        Files.writeString(rules, """
                rules:
                  - name: third
                    match: {request_number: 3}
                    reply: {fault: {status: 500}}
                  - name: every-fifth
                    match: {every: 5}
                    reply: {fault: {status: 529, retry_after: 0}}
                  - name: coin
                    match: {probability: 0.25}
                    reply: {text: "tails", fault: {should_retry: "false"}}
                """);
        List<Integer> first = statuses(rules, 42);
        assertThat(first.get(2)).isEqualTo(500);
        assertThat(first.get(4)).isEqualTo(529);
        assertThat(first.get(9)).isEqualTo(529);
        assertThat(first).isEqualTo(statuses(rules, 42));
        assertThat(statuses(rules, 43)).isNotEqualTo(first);
    }

    /** Status per request (1-based order) for 40 requests; 299 marks a coin-rule answer. */
    private static List<Integer> statuses(Path rules, long seed) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Emulator emu = start(new ManualClock(), List.of(rules), seed)) {
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> r = post(emu.baseUri(), "/v1/messages", body("m", 20, "n" + i, ""), AUTH);
                boolean coin = r.statusCode() == 200 && r.headers().firstValue("x-should-retry").isPresent();
                out.add(coin ? 299 : r.statusCode());
            }
        }
        long coins = out.stream().filter(s -> s == 299).count();
        assertThat(coins).isBetween(3L, 20L);
        return out;
    }

    /** One POST over a plain socket with the fault header; returns every byte until the server closes. */
    static String rawExchange(URI base, String body, String fault) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: sk\r\nanthropic-version: 2023-06-01\r\n"
                    + "content-type: application/json\r\nconnection: close\r\n" + Faults.HEADER + ": " + fault + "\r\n"
                    + "content-length: " + payload.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(payload);
            out.flush();
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            try {
                in.transferTo(received);
            } catch (java.net.SocketException reset) {
                // an abort may arrive as a reset after the bytes: what was read is the answer
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }
}
