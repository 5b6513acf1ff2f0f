package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import dev.sonde.testing.StubServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Message Batches server that never stops sending costs one line of error: a batch's state past
 * 8 MB, a results line past what a whole response to its request may take, more results than
 * requests, or results past their sum are refused as they arrive, never buffered whole.
 */
@Tag("hostile")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchClientLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More than any limit here: what a server that never stops would have sent by the time it is cut off. */
    private static final long ENDLESS = 256L << 20;

    /** How the stub answers GET …/results. */
    @FunctionalInterface
    private interface Results {
        void write(OutputStream out) throws Exception;
    }

    private static StubServer server(boolean endlessState, Results results) throws Exception {
        return StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "application/json");
            if (request.method().equals("POST") && endlessState) {
                out.write("{\"id\":\"msgbatch_1\",\"padding\":\"".getBytes(StandardCharsets.UTF_8));
                endless(out, (byte) 'x');
            } else if (request.method().equals("POST")) {
                StubServer.write(out, "{\"id\":\"msgbatch_1\",\"type\":\"message_batch\",\"processing_status\":\"ended\","
                        + "\"results_url\":\"http://" + request.header("host") + "/v1/messages/batches/msgbatch_1/results\"}");
            } else {
                results.write(out);
            }
        });
    }

    /** Writes {@code b} until the client hangs up (or far past every limit). */
    private static void endless(OutputStream out, byte b) throws IOException {
        byte[] chunk = new byte[64 << 10];
        java.util.Arrays.fill(chunk, b);
        for (long sent = 0; sent < ENDLESS; sent += chunk.length) {
            out.write(chunk);
        }
    }

    private static Map<String, ObjectNode> requests(int... maxTokens) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (int i = 0; i < maxTokens.length; i++) {
            ObjectNode body = JSON.createObjectNode().put("model", "claude-sonnet-4-6").put("max_tokens", maxTokens[i]);
            body.putArray("messages").addObject().put("role", "user").put("content", "hi " + i);
            out.put("r" + i, body);
        }
        return out;
    }

    private static BatchClient client(StubServer server) {
        return new BatchClient(server.baseUri(), ApiKey.of("sk-ant-test-0000"), Clock.system(), Duration.ofSeconds(5));
    }

    private static String succeeded(String id, String text) throws Exception {
        ObjectNode line = JSON.createObjectNode().put("custom_id", id);
        ObjectNode message = line.putObject("result").put("type", "succeeded").putObject("message");
        message.put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", "claude-sonnet-4-6")
                .put("stop_reason", "end_turn");
        message.putArray("content").addObject().put("type", "text").put("text", text);
        message.putObject("usage").put("input_tokens", 4).put("output_tokens", 3);
        return JSON.writeValueAsString(line) + "\n";
    }

    @Test
    void a_batch_state_that_never_ends_is_refused_at_8_mb() throws Exception {
        try (StubServer server = server(true, out -> { })) {
            assertThatThrownBy(() -> client(server).run(requests(10), s -> { })).isInstanceOf(IOException.class)
                    .hasMessage(server.baseUri() + ": the batch answer to POST /v1/messages/batches: more than "
                            + BatchClient.MAX_REPLY_BYTES + " bytes");
        }
    }

    @Test
    void a_results_line_without_end_is_refused_past_what_a_whole_response_may_take() throws Exception {
        long line = MessageRequest.MIN_RESPONSE_BYTES + BatchClient.ENVELOPE_BYTES; // max_tokens 10: the 1 MB floor
        try (StubServer server = server(false, out -> {
            out.write(succeeded("r0", "fine").getBytes(StandardCharsets.UTF_8));
            out.write("{\"custom_id\":\"r1\",\"result\":\"".getBytes(StandardCharsets.UTF_8));
            endless(out, (byte) 'y');
        })) {
            assertThatThrownBy(() -> client(server).run(requests(10, 10), s -> { })).isInstanceOf(IOException.class)
                    .hasMessage(server.baseUri() + ": batch results:2: a line of more than " + line + " bytes");
        }
    }

    @Test
    void more_results_than_requests_or_more_bytes_than_their_sum_are_refused() throws Exception {
        try (StubServer server = server(false, out -> {
            for (int i = 0; i < 3; i++) {
                out.write(succeeded("r0", "again").getBytes(StandardCharsets.UTF_8));
            }
        })) {
            assertThatThrownBy(() -> client(server).run(requests(10, 10), s -> { })).isInstanceOf(IOException.class)
                    .hasMessage(server.baseUri() + ": the batch results hold more entries than the batch's 2 requests");
        }
        // 5,000 tokens may take 1.28 MB whole, 1 token the 1 MB floor: two lines of 1.3 MB each fit a line, not the sum
        BatchClient.ResultLimits limits = BatchClient.ResultLimits.of(requests(5_000, 1).values());
        assertThat(limits.lineBytes()).isEqualTo(5_000L * 256 + BatchClient.ENVELOPE_BYTES);
        assertThat(limits.totalBytes()).isEqualTo(limits.lineBytes() + MessageRequest.MIN_RESPONSE_BYTES + BatchClient.ENVELOPE_BYTES);
        String big = "z".repeat(1_300_000);
        try (StubServer server = server(false, out -> {
            out.write(succeeded("r0", big).getBytes(StandardCharsets.UTF_8));
            out.write(succeeded("r1", big).getBytes(StandardCharsets.UTF_8));
        })) {
            assertThatThrownBy(() -> client(server).run(requests(5_000, 1), s -> { })).isInstanceOf(IOException.class)
                    .hasMessage(server.baseUri() + ": batch results: more than " + limits.totalBytes() + " bytes");
        }
    }

    @Test
    void results_within_their_limits_are_read_as_before() throws Exception {
        try (StubServer server = server(false, out -> {
            out.write(succeeded("r0", "Paris").getBytes(StandardCharsets.UTF_8));
            out.write(succeeded("r1", "y".repeat(900_000)).getBytes(StandardCharsets.UTF_8));
        })) {
            Map<String, Exchange> results = client(server).run(requests(10, 10), s -> { });
            assertThat(results.get("r0").text()).isEqualTo("Paris");
            assertThat(results.get("r1").text()).hasSize(900_000);
        }
    }

    @Test
    void batch_usage_is_checked_like_any_answer_and_a_refused_create_is_told_apart() throws Exception {
        try (StubServer server = server(false, out -> {
            out.write(succeeded("r0", "Paris").replace("\"input_tokens\":4", "\"input_tokens\":-100000000")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(succeeded("r1", "Paris").replace(",\"output_tokens\":3", "").getBytes(StandardCharsets.UTF_8));
            out.write(succeeded("r2", "Paris").getBytes(StandardCharsets.UTF_8));
        })) {
            Map<String, Exchange> results = client(server).run(requests(10, 10, 10), s -> { });
            assertThat(results.get("r0").failure().errorClass()).isEqualTo(ErrorClass.PROTOCOL);
            assertThat(results.get("r0").failure().message()).contains("negative");
            assertThat(results.get("r0").usage().inputTokens()).as("no usage is kept from it").isZero();
            assertThat(results.get("r1").failure().message()).isEqualTo("the answer's usage has no output_tokens");
            assertThat(results.get("r2").ok()).isTrue();
        }
        try (StubServer refusing = StubServer.start((request, response, out) -> {
            response.setStatus(413);
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\",\"message\":\"big\"}}");
        })) {
            assertThatThrownBy(() -> client(refusing).run(requests(10), s -> { }))
                    .as("nothing of a batch the server refused ran, so nothing of it is billed")
                    .isInstanceOf(BatchClient.NotCreated.class);
        }
    }
}
