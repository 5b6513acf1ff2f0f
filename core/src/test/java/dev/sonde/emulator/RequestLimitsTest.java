package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.body;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API's size limits, as the emulator models them: a body over 32 MB (256 MB for a batch) is a
 * 413 {@code request_too_large} decided from its declared length or as it is read, before it is
 * parsed and without holding more than the limit; {@code max_tokens} above the model's output limit
 * and a prompt past its context window are 400 {@code invalid_request_error}, worded as the API
 * words them, on every endpoint that takes a prompt.
 */
@Tag("hostile")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestLimitsTest {
    static Emulator emu;

    @BeforeAll
    static void start() throws Exception {
        emu = Emulator.start(EmulatorConfig.builder().latency(List.of(LatencyProfile.instant("*"))).build());
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    /** A raw HTTP/1.1 exchange: the head as given, then {@code bodyBytes} of {@code x} (chunked when asked), then the answer. */
    private static String raw(String head, long bodyBytes, boolean chunked) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", emu.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 << 10];
                java.util.Arrays.fill(chunk, (byte) 'x');
                try {
                    for (long sent = 0; sent < bodyBytes; sent += chunk.length) {
                        int n = (int) Math.min(chunk.length, bodyBytes - sent);
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(chunk, 0, n);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // the answer came before the body was all sent: what a size limit is for
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = read(in, buffer)) > 0; ) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && text.contains("}") && text.trim().endsWith("}")) {
                    break; // the JSON error body is complete
                }
            }
            writer.interrupt();
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static int read(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException reset) {
            return -1;
        }
    }

    private static String head(String path, long contentLength, boolean withKey) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                + (withKey ? "x-api-key: sk-test\r\nanthropic-version: 2023-06-01\r\n" : "")
                + (contentLength >= 0 ? "content-length: " + contentLength + "\r\n" : "transfer-encoding: chunked\r\n")
                + "\r\n";
    }

    private static JsonNode errorOf(String answer) throws IOException {
        return Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4).trim());
    }

    @Test
    void a_body_declared_over_32_mb_is_413_before_its_key_or_a_byte_of_it_is_read() throws Exception {
        long over = EmulatorHandler.MAX_BODY_BYTES + 1L;
        for (String path : new String[] {"/v1/messages", "/v1/messages/count_tokens", "/v1/chat/completions"}) {
            String answer = raw(head(path, over, false), 1024, false); // no key either: the size is decided first
            assertThat(answer).as(path).startsWith("HTTP/1.1 413");
            JsonNode error = errorOf(answer);
            if (path.equals("/v1/chat/completions")) {
                assertThat(error.path("error").path("type").asText()).isEqualTo("request_too_large");
            } else {
                assertThat(error.path("type").asText()).isEqualTo("error");
                assertThat(error.path("error").path("type").asText()).isEqualTo("request_too_large");
                assertThat(error.path("error").path("message").asText())
                        .isEqualTo("Request exceeds the maximum allowed number of bytes (" + EmulatorHandler.MAX_BODY_BYTES + ").");
            }
        }
        // a batch may be 256 MB
        String batch = raw(head("/v1/messages/batches", EmulatorHandler.MAX_BATCH_BODY_BYTES + 1L, true), 1024, false);
        assertThat(batch).startsWith("HTTP/1.1 413");
        assertThat(errorOf(batch).path("error").path("message").asText()).contains("(" + EmulatorHandler.MAX_BATCH_BODY_BYTES + ")");
    }

    @Test
    void a_body_without_a_length_is_413_once_reading_passes_32_mb_even_when_it_is_not_json() throws Exception {
        String answer = raw(head("/v1/messages", -1, true), EmulatorHandler.MAX_BODY_BYTES + (1L << 20), true);
        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(errorOf(answer).path("error").path("type").asText()).isEqualTo("request_too_large");
        // the same bytes within the limit are read whole, then refused as not JSON
        String small = raw(head("/v1/messages", -1, true), 1 << 20, true);
        assertThat(small).startsWith("HTTP/1.1 400");
        assertThat(errorOf(small).path("error").path("message").asText()).contains("valid JSON");
    }

    @Test
    void a_json_client_sending_33_mb_reads_the_413() {
        String prompt = "a".repeat(EmulatorHandler.MAX_BODY_BYTES + 1);
        HttpResponse<String> response = post(emu.baseUri(), "/v1/messages", body("claude-sonnet-4-6", 10, prompt, ""), AUTH);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("error").path("type").asText()).isEqualTo("request_too_large");
    }

    @Test
    void max_tokens_above_the_models_output_limit_is_400_as_the_api_words_it() {
        HttpResponse<String> over = post(emu.baseUri(), "/v1/messages", body("claude-haiku-4-5-20251001", 64_001, "hi", ""), AUTH);
        assertThat(over.statusCode()).isEqualTo(400);
        assertThat(json(over).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(json(over).path("error").path("message").asText()).isEqualTo(
                "max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001");
        assertThat(post(emu.baseUri(), "/v1/messages", body("claude-haiku-4-5-20251001", 64_000, "hi", ""), AUTH)
                .statusCode()).isEqualTo(200);
        assertThat(post(emu.baseUri(), "/v1/messages", body("claude-opus-4-7", 128_000, "hi", ""), AUTH).statusCode())
                .isEqualTo(200);
        assertThat(json(post(emu.baseUri(), "/v1/messages", body("claude-opus-4-1", 32_001, "hi", ""), AUTH))
                .at("/error/message").asText()).startsWith("max_tokens: 32001 > 32000,");
        // a model the table does not name gets the largest figures
        assertThat(post(emu.baseUri(), "/v1/messages", body("my-fine-tune", 128_000, "hi", ""), AUTH).statusCode())
                .isEqualTo(200);
        HttpResponse<String> chat = post(emu.baseUri(), "/v1/chat/completions", "{\"model\":\"claude-sonnet-4-6\","
                + "\"max_tokens\":64001,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "authorization", "Bearer sk-test");
        assertThat(chat.statusCode()).isEqualTo(400);
        assertThat(json(chat).at("/error/message").asText()).startsWith("max_tokens: 64001 > 64000,");
    }

    @Test
    void a_prompt_past_the_context_window_is_400_for_messages_and_count_tokens() {
        String prompt = " x".repeat(200_000); // 200,000 tokens, with the message's and request's overhead past 200K
        HttpResponse<String> messages = post(emu.baseUri(), "/v1/messages", body("claude-haiku-4-5", 100, prompt, ""), AUTH);
        assertThat(messages.statusCode()).isEqualTo(400);
        String message = json(messages).at("/error/message").asText();
        assertThat(message).matches("prompt is too long: \\d+ tokens > 200000 maximum");
        HttpResponse<String> count = post(emu.baseUri(), "/v1/messages/count_tokens",
                "{\"model\":\"claude-haiku-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}", AUTH);
        assertThat(count.statusCode()).isEqualTo(400);
        assertThat(json(count).at("/error/message").asText()).isEqualTo(message);
        // the same prompt fits a 1M window, and count_tokens counts it
        HttpResponse<String> counted = post(emu.baseUri(), "/v1/messages/count_tokens",
                "{\"model\":\"claude-sonnet-4-6\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}", AUTH);
        assertThat(counted.statusCode()).isEqualTo(200);
        assertThat(message).contains(": " + json(counted).path("input_tokens").asInt() + " tokens");
    }

    @Test
    void a_batch_request_past_its_models_limits_is_an_errored_result_and_models_list_their_limits() throws Exception {
        HttpResponse<String> created = post(emu.baseUri(), "/v1/messages/batches", "{\"requests\":[{\"custom_id\":\"big\","
                + "\"params\":" + body("claude-sonnet-4-6", 64_001, "hi", "") + "},{\"custom_id\":\"ok\",\"params\":"
                + body("claude-sonnet-4-6", 10, "hi", "") + "}]}", AUTH);
        assertThat(created.statusCode()).isEqualTo(200);
        String id = json(created).path("id").asText();
        JsonNode batch = json(created);
        for (int i = 0; i < 100 && !"ended".equals(batch.path("processing_status").asText()); i++) {
            Thread.sleep(50);
            batch = json(Http.get(emu.baseUri(), "/v1/messages/batches/" + id, AUTH));
        }
        String results = Http.get(emu.baseUri(), "/v1/messages/batches/" + id + "/results", AUTH).body();
        assertThat(results).contains("\"custom_id\":\"big\",\"result\":{\"type\":\"errored\"")
                .contains("max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-6")
                .contains("\"custom_id\":\"ok\",\"result\":{\"type\":\"succeeded\"");

        JsonNode haiku = json(Http.get(emu.baseUri(), "/v1/models/claude-haiku-4-5-20251001", AUTH));
        assertThat(haiku.path("max_input_tokens").asInt()).isEqualTo(200_000);
        assertThat(haiku.path("max_tokens").asInt()).isEqualTo(64_000);
        JsonNode opus = json(Http.get(emu.baseUri(), "/v1/models/claude-opus-4-7", AUTH));
        assertThat(opus.path("max_input_tokens").asInt()).isEqualTo(1_000_000);
        assertThat(opus.path("max_tokens").asInt()).isEqualTo(128_000);
    }
}
