package dev.sonde.api;

import dev.sonde.testing.HangUpServer;
import dev.sonde.testing.StubServer;

import static dev.sonde.testing.StubServer.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class AnthropicClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiKey KEY = ApiKey.of("sk-test-secret-123456");
    private static final String START = """
            {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"cache_creation_input_tokens":0,"cache_read_input_tokens":7,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}""";

    private static MessageRequest request(boolean stream, Duration timeout) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("""
                {"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");
        body.put("stream", stream);
        return new MessageRequest(body, Map.of("anthropic-beta", "feature-a,feature-b"), timeout);
    }

    private static AnthropicClient client(URI base) {
        return new AnthropicClient(base, KEY, Clock.system(), Duration.ofSeconds(2));
    }

    private static void textDelta(java.io.OutputStream out, String text) throws Exception {
        sse(out, "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
    }

    @Test
    void ttft_runs_to_the_first_text_delta_not_to_message_start() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream; charset=utf-8");
            response.getHeaders().put("request-id", "req_abc");
            sse(out, "message_start", START);
            sse(out, "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            sse(out, "ping", "{\"type\": \"ping\"}");
            Thread.sleep(120);
            textDelta(out, "Par");
            Thread.sleep(30);
            textDelta(out, "is");
            Thread.sleep(30);
            textDelta(out, ".");
            sse(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            sse(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}");
            sse(out, "message_stop", "{\"type\":\"message_stop\"}");
        })) {
            Exchange ex = client(server.baseUri()).send(request(true, Duration.ofSeconds(5)));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris.");
            assertThat(ex.stopReason()).isEqualTo("end_turn");
            assertThat(ex.requestId()).isEqualTo("req_abc");
            double ttftMs = ex.timings().ttftNanos() / 1e6;
            assertThat(ttftMs).isBetween(115.0, 400.0);
            assertThat(ex.timings().ttfbNanos() / 1e6).isLessThan(ttftMs - 80);
            assertThat(ex.timings().deltas()).isEqualTo(3);
            assertThat(ex.timings().itlNanos()).hasSize(2);
            assertThat(java.util.Arrays.stream(ex.timings().itlNanos()).min().orElseThrow() / 1e6).isGreaterThan(25);
            assertThat(ex.timings().e2eNanos()).isGreaterThan(ex.timings().ttftNanos());
            // message_delta usage is cumulative and overwrites; message_start's input side is kept
            assertThat(ex.usage().inputTokens()).isEqualTo(21);
            assertThat(ex.usage().cacheReadInputTokens()).isEqualTo(7);
            assertThat(ex.usage().outputTokens()).isEqualTo(3);
            assertThat(ex.usage().raw().get("output_tokens").asInt()).isEqualTo(3);
        }
    }

    @Test
    void sends_the_key_version_and_pass_through_headers_and_the_body_as_given() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "application/json");
            out.write("""
                    {"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-6",
                     "content":[{"type":"text","text":"Let me check."},
                                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Oslo"}}],
                     "stop_reason":"tool_use","stop_sequence":null,
                     "usage":{"input_tokens":50,"output_tokens":12,"cache_creation_input_tokens":248,
                              "cache_read_input_tokens":1800,
                              "cache_creation":{"ephemeral_5m_input_tokens":148,"ephemeral_1h_input_tokens":100}}}"""
                    .getBytes(StandardCharsets.UTF_8));
        })) {
            Exchange ex = client(server.baseUri()).send(request(false, Duration.ofSeconds(5)));

            StubServer.Received r = server.received().get(0);
            assertThat(r.path()).isEqualTo("/v1/messages");
            assertThat(r.header("x-api-key")).isEqualTo("sk-test-secret-123456");
            assertThat(r.header("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(r.header("anthropic-beta")).isEqualTo("feature-a,feature-b");
            assertThat(JSON.readTree(r.body()).path("messages").get(0).path("content").asText()).isEqualTo("hi");
            assertThat(ex.ok()).isTrue();
            assertThat(ex.stopReason()).isEqualTo("tool_use");
            assertThat(ex.toolUses()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("get_weather");
                assertThat(t.input().path("city").asText()).isEqualTo("Oslo");
            });
            assertThat(ex.usage().cacheWrite5mTokens()).isEqualTo(148);
            assertThat(ex.usage().cacheWrite1hTokens()).isEqualTo(100);
            assertThat(ex.usage().totalInputTokens()).isEqualTo(50 + 248 + 1800);
            assertThat(ex.timings().ttftNanos()).isEqualTo(-1);
            assertThat(ex.timings().e2eNanos()).isPositive();
        }
    }

    @Test
    void a_401_is_classified_as_auth_once_without_the_key_in_the_message() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.setStatus(401);
            response.getHeaders().put("content-type", "application/json");
            response.getHeaders().put("request-id", "req_401");
            out.write("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"},\"request_id\":\"req_401\"}"
                    .getBytes(StandardCharsets.UTF_8));
        })) {
            Exchange ex = client(server.baseUri()).send(request(true, Duration.ofSeconds(5)));

            assertThat(server.received()).hasSize(1);
            assertThat(ex.failure().errorClass()).as(ex.failure().describe()).isEqualTo(ErrorClass.AUTH);
            assertThat(ex.failure().errorClass().stopsRun()).isTrue();
            assertThat(ex.failure().describe()).isEqualTo("auth (401 authentication_error): invalid x-api-key");
            assertThat(ex.requestId()).isEqualTo("req_401");
            assertThat(ex.toString()).doesNotContain("sk-test-secret");
        }
    }

    @Test
    void a_mid_stream_error_event_keeps_the_text_so_far_and_names_the_error() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream");
            sse(out, "message_start", START);
            sse(out, "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            textDelta(out, "Half an ans");
            sse(out, "error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        })) {
            Exchange ex = client(server.baseUri()).send(request(true, Duration.ofSeconds(5)));

            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.OVERLOADED);
            assertThat(ex.failure().status()).isEqualTo(200);
            assertThat(ex.text()).isEqualTo("Half an ans");
            assertThat(ex.timings().ttftNanos()).isPositive();
        }
    }

    @Test
    void a_stream_that_ends_without_message_stop_is_broken() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream");
            sse(out, "message_start", START);
        })) {
            Exchange ex = client(server.baseUri()).send(request(true, Duration.ofSeconds(5)));
            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.STREAM_BROKEN);
            assertThat(ex.usage().inputTokens()).isEqualTo(21);
        }
    }

    @Test
    void a_tool_only_stream_has_ttft_any_but_no_text_ttft_and_ignores_the_empty_opening_json_delta() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream");
            sse(out, "message_start", START);
            sse(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"lookup\",\"input\":{}}}");
            sse(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}");
            Thread.sleep(60);
            sse(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\": 1}\"}}");
            sse(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            sse(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                    + "\"usage\":{\"output_tokens\":9}}");
            sse(out, "message_stop", "{\"type\":\"message_stop\"}");
        })) {
            Exchange ex = client(server.baseUri()).send(request(true, Duration.ofSeconds(5)));

            assertThat(ex.ok()).isTrue();
            assertThat(ex.timings().ttftNanos()).isEqualTo(-1);
            assertThat(ex.timings().ttftAnyNanos() / 1e6).isGreaterThanOrEqualTo(55);
            assertThat(ex.timings().deltas()).isEqualTo(1);
            assertThat(ex.toolUses()).singleElement().satisfies(t -> assertThat(t.input().path("q").asInt()).isEqualTo(1));
        }
    }

    @Test
    void a_response_slower_than_the_timeout_is_cut_and_keeps_what_arrived() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream");
            sse(out, "message_start", START);
            Thread.sleep(1_500);
        })) {
            Exchange ex = client(server.baseUri()).send(request(true, Duration.ofMillis(300)));
            assertThat(ex.failure().errorClass()).as(ex.failure().describe()).isEqualTo(ErrorClass.TIMEOUT_TOTAL);
            assertThat(ex.usage().inputTokens()).isEqualTo(21);
        }
    }

    @Test
    void nothing_listening_is_unreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Exchange ex = client(URI.create("http://127.0.0.1:" + port)).send(request(true, Duration.ofSeconds(2)));
        assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.UNREACHABLE);
        assertThat(ex.failure().message()).startsWith("no connection could be made: ConnectException");
        assertThat(ex.status()).isZero();
    }

    @Test
    @Tag("hostile")
    void a_connection_closed_or_reset_before_any_response_is_connection_closed_and_retried_not_unreachable()
            throws Exception {
        for (HangUpServer.Action action : new HangUpServer.Action[] {HangUpServer.Action.HANG_UP,
            HangUpServer.Action.RESET}) {
            for (boolean stream : new boolean[] {true, false}) {
                try (HangUpServer server = HangUpServer.start(n -> action)) {
                    Exchange ex = client(server.baseUri()).send(request(stream, Duration.ofSeconds(5)));

                    assertThat(server.connections()).as(action + "").isPositive();
                    assertThat(ex.failure().errorClass()).as(action + " " + ex.failure().describe())
                            .isEqualTo(ErrorClass.CONNECTION_CLOSED);
                    assertThat(ex.status()).isZero();
                    assertThat(ex.failure().message()).startsWith("connection closed before any response: ");
                    assertThat(ex.failure().errorClass().retry()).isEqualTo(ErrorClass.Retry.RETRIED);
                    assertThat(ex.failure().errorClass().stopsRun()).isFalse();
                }
            }
        }
    }

    @Test
    @Tag("hostile")
    void a_tls_handshake_that_fails_is_unreachable_since_nothing_was_sent() throws Exception {
        try (HangUpServer server = HangUpServer.start(n -> HangUpServer.Action.HANG_UP)) {
            URI https = URI.create("https://127.0.0.1:" + server.baseUri().getPort());
            Exchange ex = client(https).send(request(true, Duration.ofSeconds(5)));
            assertThat(ex.failure().errorClass()).as(ex.failure().describe()).isEqualTo(ErrorClass.UNREACHABLE);
            assertThat(ex.failure().message()).contains("SSLHandshakeException");
        }
    }

    @Test
    @Tag("hostile")
    void unreachable_means_no_connection_was_made_and_any_other_failure_without_a_response_is_a_closed_connection() {
        assertThat(HttpTransport.classify(new ConnectException())).isEqualTo(ErrorClass.UNREACHABLE);
        Throwable dns = new ConnectException();
        dns.initCause(new java.nio.channels.UnresolvedAddressException());
        assertThat(HttpTransport.classify(dns)).isEqualTo(ErrorClass.UNREACHABLE);
        assertThat(HttpTransport.classify(new java.net.NoRouteToHostException())).isEqualTo(ErrorClass.UNREACHABLE);
        assertThat(HttpTransport.classify(new javax.net.ssl.SSLHandshakeException("no"))).isEqualTo(ErrorClass.UNREACHABLE);
        assertThat(HttpTransport.classify(new java.net.http.HttpConnectTimeoutException("slow")))
                .isEqualTo(ErrorClass.TIMEOUT_CONNECT);
        // Jetty's own: its connect timeout, its total-timeout backstop, an end of stream before the response
        assertThat(HttpTransport.classify(new java.net.SocketTimeoutException("Connect Timeout")))
                .isEqualTo(ErrorClass.TIMEOUT_CONNECT);
        assertThat(HttpTransport.classify(new java.util.concurrent.TimeoutException("Total timeout 12000 ms elapsed")))
                .isEqualTo(ErrorClass.TIMEOUT_TOTAL);
        assertThat(HttpTransport.classify(new java.io.EOFException("HttpConnectionOverHTTP@1f2e")))
                .isEqualTo(ErrorClass.CONNECTION_CLOSED);
        assertThat(HttpTransport.classify(new IOException("HTTP/1.1 header parser received no bytes",
                new java.io.EOFException("EOF reached while reading")))).isEqualTo(ErrorClass.CONNECTION_CLOSED);
        assertThat(HttpTransport.classify(new java.net.SocketException("Connection reset")))
                .isEqualTo(ErrorClass.CONNECTION_CLOSED);
        assertThat(HttpTransport.classify(new javax.net.ssl.SSLException("bad record MAC")))
                .isEqualTo(ErrorClass.CONNECTION_CLOSED);
        assertThat(HttpTransport.classify(new IOException("Received RST_STREAM: Stream cancelled")))
                .isEqualTo(ErrorClass.CONNECTION_CLOSED);
    }

    private static MessageRequest withTimeouts(long totalMs, long firstMs, long idleMs) throws Exception {
        MessageRequest r = request(true, Duration.ofMillis(totalMs));
        return new MessageRequest(r.body(), r.headers(),
                new Timeouts(Duration.ofMillis(totalMs), Duration.ofMillis(firstMs), Duration.ofMillis(idleMs)));
    }

    @Test
    void no_first_token_in_time_is_classified_as_a_first_token_timeout_even_while_pings_arrive() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream");
            sse(out, "message_start", START);
            for (int i = 0; i < 8; i++) {
                Thread.sleep(100);
                sse(out, "ping", "{\"type\": \"ping\"}");
            }
        })) {
            Exchange ex = client(server.baseUri()).send(withTimeouts(5_000, 300, 5_000));
            assertThat(ex.failure().errorClass()).as(ex.failure().describe()).isEqualTo(ErrorClass.TIMEOUT_FIRST_TOKEN);
        }
    }

    @Test
    void silence_after_the_first_token_is_classified_as_an_idle_timeout_and_keeps_the_text() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream");
            sse(out, "message_start", START);
            sse(out, "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            textDelta(out, "Hel");
            Thread.sleep(1_500);
        })) {
            Exchange ex = client(server.baseUri()).send(withTimeouts(5_000, 1_000, 300));
            assertThat(ex.failure().errorClass()).as(ex.failure().describe()).isEqualTo(ErrorClass.TIMEOUT_IDLE);
            assertThat(ex.text()).isEqualTo("Hel");
        }
    }

    @Test
    void retry_hints_come_from_retry_after_ms_then_retry_after_seconds_or_date_and_x_should_retry() throws Exception {
        java.time.Instant now = java.time.Instant.parse("2026-08-22T10:00:00Z");
        java.util.function.Function<Map<String, java.util.List<String>>, ServerHints> read =
                h -> ServerHints.from(java.net.http.HttpHeaders.of(h, (a, b) -> true), now);

        assertThat(read.apply(Map.of("retry-after-ms", java.util.List.of("250"), "retry-after", java.util.List.of("7")))
                .retryAfterNanos()).isEqualTo(250_000_000L);
        assertThat(read.apply(Map.of("retry-after", java.util.List.of("7"))).retryAfterNanos()).isEqualTo(7_000_000_000L);
        assertThat(read.apply(Map.of("retry-after", java.util.List.of("Sat, 22 Aug 2026 10:00:07 GMT"))).retryAfterNanos())
                .isEqualTo(7_000_000_000L);
        assertThat(read.apply(Map.of("retry-after", java.util.List.of("soon"))).hasRetryAfter()).isFalse();
    }

    @Test
    @Tag("hostile")
    void the_emulator_filler_mark_is_believed_only_from_loopback_and_only_when_it_says_true() {
        java.time.Instant now = java.time.Instant.parse("2026-08-22T10:00:00Z");
        java.util.function.BiFunction<String, Boolean, ServerHints> read = (value, loopback) -> ServerHints.from(
                java.net.http.HttpHeaders.of(Map.of(ServerHints.EMULATOR_FILLER, java.util.List.of(value)), (a, b) -> true),
                now, loopback);
        assertThat(read.apply("true", true).emulatorFiller()).isTrue();
        assertThat(read.apply(" TRUE ", true).emulatorFiller()).isTrue();
        assertThat(read.apply("true", false).emulatorFiller()).as("a remote server's mark").isFalse();
        for (String other : new String[] {"false", "1", "yes", "", "true, true", "x".repeat(10_000)}) {
            assertThat(read.apply(other, true).emulatorFiller()).as("'%s'", other).isFalse();
        }
        assertThat(ServerHints.from(java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true), now, true))
                .isSameAs(ServerHints.NONE);
    }

    @Test
    void an_answer_from_a_loopback_server_keeps_its_filler_mark_through_the_client() throws Exception {
        try (StubServer server = StubServer.start((req, res, out) -> {
            res.getHeaders().put("content-type", "application/json");
            res.getHeaders().put(ServerHints.EMULATOR_FILLER, "true"); // the stub listens on 127.0.0.1
            StubServer.write(out, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":\"claude-sonnet-4-6\",\"content\":[{\"type\":\"text\",\"text\":\"filler\"}],"
                    + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}");
        })) {
            Exchange ex = client(server.baseUri()).send(request(false, Duration.ofSeconds(5)));
            assertThat(ex.ok()).as(String.valueOf(ex.failure())).isTrue();
            assertThat(ex.hints().emulatorFiller()).isTrue();
        }
    }

    @Test
    @Tag("hostile")
    void a_server_that_is_not_loopback_cannot_mark_an_answer_as_filler_through_the_client() throws Exception {
        // The stub listens on 127.0.0.1; the client is pointed at a name that is not loopback as written
        // (.test never resolves) and reaches the stub through the JVM's proxy selector, as it would reach
        // a remote API through a proxy: the same header, the same bytes, only the endpoint differs.
        URI remote = URI.create("http://filler-marker.example.test");
        try (StubServer server = StubServer.start((req, res, out) -> {
            res.getHeaders().put("content-type", "application/json");
            res.getHeaders().put(ServerHints.EMULATOR_FILLER, "true");
            StubServer.write(out, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":\"claude-sonnet-4-6\",\"content\":[{\"type\":\"text\",\"text\":\"real\"}],"
                    + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}");
        })) {
            ProxySelector before = ProxySelector.getDefault();
            InetSocketAddress stub = new InetSocketAddress("127.0.0.1", server.baseUri().getPort());
            ProxySelector.setDefault(new ProxySelector() { // only the test's host; others as before
                @Override
                public List<Proxy> select(URI uri) {
                    if (remote.getHost().equalsIgnoreCase(uri.getHost())) {
                        return List.of(new Proxy(Proxy.Type.HTTP, stub));
                    }
                    return before == null ? List.of(Proxy.NO_PROXY) : before.select(uri);
                }

                @Override
                public void connectFailed(URI uri, SocketAddress at, IOException e) {
                    if (before != null) {
                        before.connectFailed(uri, at, e);
                    }
                }
            });
            Exchange viaRemote;
            try {
                viaRemote = client(remote).send(request(false, Duration.ofSeconds(5)));
            } finally {
                ProxySelector.setDefault(before);
            }
            Exchange viaLoopback = client(server.baseUri()).send(request(false, Duration.ofSeconds(5)));

            assertThat(server.received()).hasSize(2);
            assertThat(viaRemote.ok()).as(String.valueOf(viaRemote.failure())).isTrue();
            assertThat(viaRemote.text()).isEqualTo("real");
            assertThat(viaRemote.hints().emulatorFiller()).as("the mark of a server that is not loopback").isFalse();
            assertThat(viaLoopback.hints().emulatorFiller()).as("the same response from loopback").isTrue();
        }
    }

    @Test
    @Tag("hostile")
    void a_wait_of_zero_or_less_or_of_a_minute_or_more_is_no_wait_and_the_default_backoff_applies_as_in_the_sdks() {
        java.time.Instant now = java.time.Instant.parse("2026-08-22T10:00:00Z");
        java.util.function.Function<Map<String, String>, ServerHints> read = h -> ServerHints.from(
                java.net.http.HttpHeaders.of(h.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> java.util.List.of(e.getValue()))), (a, b) -> true), now);
        for (String unreasonable : new String[] {"0", "-3", "60", "3600", "NaN", "Infinity", "-Infinity", "1e400"}) {
            assertThat(read.apply(Map.of("retry-after", unreasonable)).hasRetryAfter()).as("retry-after: %s", unreasonable).isFalse();
            assertThat(read.apply(Map.of("retry-after-ms", unreasonable + "000")).hasRetryAfter()).as("retry-after-ms: %s000", unreasonable)
                    .isFalse();
        }
        assertThat(read.apply(Map.of("retry-after", "Sat, 22 Aug 2026 09:59:00 GMT")).hasRetryAfter()).as("a date past").isFalse();
        assertThat(read.apply(Map.of("retry-after", "Sat, 22 Aug 2026 10:05:00 GMT")).hasRetryAfter()).as("5 min ahead").isFalse();
        assertThat(read.apply(Map.of("retry-after", "59.5")).retryAfterNanos()).isEqualTo(59_500_000_000L);
        assertThat(read.apply(Map.of("retry-after-ms", "0", "retry-after", "7")).retryAfterNanos())
                .as("a zero retry-after-ms defers to retry-after").isEqualTo(7_000_000_000L);
        assertThat(read.apply(Map.of("retry-after-ms", "-5", "retry-after", "7")).hasRetryAfter())
                .as("a negative retry-after-ms is read, and unreasonable").isFalse();
        assertThat(read.apply(Map.of("retry-after-ms", "soon", "retry-after", "2")).retryAfterNanos()).isEqualTo(2_000_000_000L);
    }

    @Test
    @Tag("hostile")
    void a_response_past_8_times_what_max_tokens_could_need_is_cut_as_a_protocol_error() throws Exception {
        String chunk = "x".repeat(8_000);
        try (StubServer endless = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "text/event-stream");
            sse(out, "message_start", START);
            sse(out, "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            for (int i = 0; i < 1_000; i++) { // 8 MB, if nobody stops it
                textDelta(out, chunk);
            }
        })) {
            long t0 = System.nanoTime();
            Exchange ex = client(endless.baseUri()).send(request(true, Duration.ofSeconds(20)));
            assertThat(ex.failure()).isNotNull();
            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.PROTOCOL);
            assertThat(ex.failure().message()).contains("passed " + MessageRequest.MIN_RESPONSE_BYTES + " bytes").contains("cut");
            assertThat(ex.text().length()).as("what came before the cut is kept").isBetween(100_000, 1_100_000);
            assertThat(ex.usage().inputTokens()).as("message_start's usage: the server billed it").isEqualTo(21);
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        }

        String text = "y".repeat(2_000_000);
        try (StubServer big = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "application/json");
            out.write(("{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"max_tokens\","
                    + "\"usage\":{\"input_tokens\":5,\"output_tokens\":64}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        })) {
            Exchange cut = client(big.baseUri()).send(request(false, Duration.ofSeconds(20)));
            assertThat(cut.failure()).isNotNull();
            assertThat(cut.failure().errorClass()).isEqualTo(ErrorClass.PROTOCOL);
            // 16,384 tokens could need 16,384 × 32 × 8 = 4 MB: the same 2 MB answer is kept whole
            MessageRequest roomy = request(false, Duration.ofSeconds(20));
            roomy.body().put("max_tokens", 16_384);
            Exchange kept = client(big.baseUri()).send(roomy);
            assertThat(kept.failure()).isNull();
            assertThat(kept.text()).hasSize(2_000_000);
        }
        assertThat(request(true, Duration.ofSeconds(1)).maxResponseBytes()).isEqualTo(MessageRequest.MIN_RESPONSE_BYTES);
        MessageRequest huge = request(true, Duration.ofSeconds(1));
        huge.body().put("max_tokens", Long.MAX_VALUE / 2);
        assertThat(huge.maxResponseBytes()).as("no overflow").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void x_should_retry_and_the_rate_limit_headers_are_read_as_sent() {
        java.time.Instant now = java.time.Instant.parse("2026-08-22T10:00:00Z");
        java.util.function.Function<Map<String, java.util.List<String>>, ServerHints> read =
                h -> ServerHints.from(java.net.http.HttpHeaders.of(h, (a, b) -> true), now);
        ServerHints h = read.apply(Map.of("x-should-retry", java.util.List.of("false"),
                "anthropic-ratelimit-requests-remaining", java.util.List.of("0")));
        assertThat(h.shouldRetry()).isFalse();
        assertThat(h.rateLimits()).containsEntry("anthropic-ratelimit-requests-remaining", "0");
        assertThat(read.apply(Map.of())).isSameAs(ServerHints.NONE);
    }

    @Test
    void an_error_response_carries_its_retry_hints() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.setStatus(429);
            response.getHeaders().put("retry-after", "3");
            response.getHeaders().put("x-should-retry", "true");
            out.write("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"
                    .getBytes(StandardCharsets.UTF_8));
        })) {
            Exchange ex = client(server.baseUri()).send(request(false, Duration.ofSeconds(5)));
            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(ex.hints().retryAfterNanos()).isEqualTo(3_000_000_000L);
            assertThat(ex.hints().shouldRetry()).isTrue();
        }
    }
}
