package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.testing.KeyForms;
import dev.sonde.testing.StubServer;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A hostile loopback server behind every cloud platform's routes knows every credential of the run
 * — the AWS access key id, secret key and session token, the Bedrock API key, the Foundry key and
 * the Vertex access tokens it issued — and echoes them all in headers, bodies, error messages
 * (one straddling the cut of a one-line message), SSE error events and event-stream exception
 * frames. After {@code sonde run}, no file of the run folder and no console line holds any of them,
 * in any encoded form, nor any 12-character fragment of them.
 */
@Tag("hostile")
class PlatformSecretEchoTest {
    // obvious fakes (contract): none is a real credential
    static final String ACCESS_KEY_ID = "AKIAFAKEECHOTEST1234";
    static final String SECRET_KEY = "fake/Echo+Secret=Key0123456789abcdefghij";
    static final String SESSION_TOKEN = "FAKE-echo-session-token-0123456789-abcdefghijklmnop";
    static final String BEDROCK_KEY = "ABSKZmFrZS1lY2hvLWJlZHJvY2sta2V5LTAxMjM0NTY3";
    static final String FOUNDRY_KEY = "fake-echo-foundry-key-0123456789";
    static final String VERTEX_CLIENT_SECRET = "fake-echo-vertex-client-secret-42";
    static final String VERTEX_REFRESH = "fake-echo-vertex-refresh-token-42";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<String> vertexTokens = new CopyOnWriteArrayList<>();
    /** The Vertex tokens that reached the server in a request (one issued but not yet used is not known to leak). */
    private final List<String> vertexTokensSent = new CopyOnWriteArrayList<>();

    /** Every credential the server knows, every Vertex token it issued included. */
    private List<String> secrets() {
        List<String> all = new ArrayList<>(List.of(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN, BEDROCK_KEY, FOUNDRY_KEY,
                VERTEX_CLIENT_SECRET, VERTEX_REFRESH));
        all.addAll(vertexTokens);
        return all;
    }

    /** What the server echoes: every fixed credential and every Vertex token a request has carried so far. */
    private String echo() {
        List<String> known = new ArrayList<>(List.of(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN, BEDROCK_KEY, FOUNDRY_KEY,
                VERTEX_CLIENT_SECRET, VERTEX_REFRESH));
        known.addAll(vertexTokensSent);
        return String.join(" | ", known);
    }

    @Test
    void no_platform_credential_reaches_the_console_or_the_run_folder_whole_encoded_or_in_part() throws Exception {
        try (StubServer server = StubServer.start(this::answer)) {
            Path adc = Files.createDirectories(dir.resolve("secrets")).resolve("adc.json");
            Files.writeString(adc, "{\"type\":\"authorized_user\",\"client_id\":\"sonde-echo\",\"client_secret\":\""
                    + VERTEX_CLIENT_SECRET + "\",\"refresh_token\":\"" + VERTEX_REFRESH + "\",\"token_uri\":\""
                    + server.baseUri() + "/token\"}");
            Path suite = Files.createDirectories(dir.resolve("suites")).resolve("suite.yaml");
            Files.writeString(suite, """
                    name: platform-echo
                    models:
                      - {id: br, provider: bedrock, model: "anthropic.claude-sonnet-4-5-20250929-v1:0", region: us-east-1,
                         params: {max_tokens: 50}}
                      - {id: cp, provider: claude-platform-aws, model: claude-sonnet-4-5, region: us-east-1,
                         workspace_id: wrkspc_echo, stream: false, params: {max_tokens: 50}}
                      - {id: vx, provider: vertex, model: "claude-sonnet-4-5@20250929", project: echo-proj, region: global,
                         params: {max_tokens: 50}}
                      - {id: fd, provider: foundry, model: echo-deployment, resource: echo-res, base_model: claude-sonnet-4-5,
                         params: {max_tokens: 50}}
                    cases:
                      - {id: answer, prompt: "[answer] say it", assert: [{type: contains, value: "Answer"}]}
                      - {id: failure, prompt: "[error] say it"}
                    run:
                      concurrency: 2
                      retry: {max_attempts: 2, base_delay_ms: 1, max_delay_ms: 2}
                    """);
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                    "AWS_SESSION_TOKEN", SESSION_TOKEN, "AWS_BEARER_TOKEN_BEDROCK", BEDROCK_KEY,
                    "ANTHROPIC_FOUNDRY_API_KEY", FOUNDRY_KEY, "GOOGLE_APPLICATION_CREDENTIALS", adc.toString());
            Path out = dir.resolve("out");
            SecretEchoTest.Run run = SecretEchoTest.run(env, "run", suite.toString(), "--endpoint",
                    server.baseUri().toString(), "--out", out.toString());

            assertThat(run.exit()).as(run.err()).isEqualTo(Main.CHECK_FAILED); // the error cases fail; the run completes
            // every platform was reached with its own credentials
            List<StubServer.Received> got = server.received();
            assertThat(got).anyMatch(r -> r.path().endsWith("/invoke-with-response-stream")
                    && ("Bearer " + BEDROCK_KEY).equals(r.header("authorization")));
            assertThat(got).anyMatch(r -> r.path().equals("/v1/messages")
                    && SESSION_TOKEN.equals(r.header("x-amz-security-token")));
            assertThat(got).anyMatch(r -> r.path().endsWith(":streamRawPredict"));
            assertThat(got).anyMatch(r -> FOUNDRY_KEY.equals(r.header("x-api-key")));
            assertThat(vertexTokens).hasSizeGreaterThanOrEqualTo(2); // the first was refused with a 401 and refreshed
            String journal = Files.readString(out.resolve("trials.jsonl"));
            assertThat(journal).contains("[masked]");
            assertNothingLeaks(run, out);
        }
    }

    /** The hostile server: every platform's route, each echoing every credential it knows. */
    private void answer(StubServer.Received req, Response res, OutputStream out) throws Exception {
        String path = req.path();
        String bearer = String.valueOf(req.header("authorization"));
        if (bearer.startsWith("Bearer ya29.") && !vertexTokensSent.contains(bearer.substring(7))) {
            vertexTokensSent.add(bearer.substring(7));
        }
        boolean failing = req.body().contains("[error]");
        if (path.equals("/token")) {
            String token = "ya29.fake-echo-vertex-token-" + (vertexTokens.size() + 1) + "-0123456789";
            vertexTokens.add(token);
            res.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
            return;
        }
        if (path.endsWith("/invoke-with-response-stream")) { // Bedrock InvokeModel, an event stream
            res.getHeaders().put("content-type", "application/vnd.amazon.eventstream");
            res.getHeaders().put("x-amzn-requestid", "req-" + SESSION_TOKEN);
            out.write(chunk(messageStart()));
            out.write(chunk(blockStart()));
            out.write(chunk(delta("Answer: " + echo())));
            if (failing) {
                // the session token straddles the 300th character, where the message is cut to a line
                out.write(exception("throttlingException", "A".repeat(260) + SESSION_TOKEN + " " + echo()));
            } else {
                out.write(chunk("{\"type\":\"content_block_stop\",\"index\":0}"));
                out.write(chunk("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":"
                        + "{\"output_tokens\":9}}"));
                out.write(chunk("{\"type\":\"message_stop\"}"));
            }
            out.flush();
            return;
        }
        if (path.equals("/v1/messages")) { // Claude Platform on AWS, SigV4
            if (failing) {
                res.setStatus(500);
                res.getHeaders().put("content-type", "application/json");
                res.getHeaders().put("x-amzn-ErrorType", "InternalServerException");
                StubServer.write(out, "{\"message\":\"" + "B".repeat(185) + SECRET_KEY + " " + echo() + " "
                        + req.header("authorization") + "\"}");
                return;
            }
            res.getHeaders().put("content-type", "application/json");
            res.getHeaders().put("request-id", "req_" + ACCESS_KEY_ID);
            res.getHeaders().put("anthropic-ratelimit-requests-remaining", SESSION_TOKEN);
            StubServer.write(out, message("Answer: " + echo() + " as base64 " + Base64.getEncoder().encodeToString(
                    echo().getBytes(StandardCharsets.UTF_8))));
            return;
        }
        if (path.contains(":streamRawPredict") || path.contains(":rawPredict")) { // Vertex AI
            if (!vertexTokens.isEmpty() && bearer.equals("Bearer " + vertexTokens.get(0))) {
                res.setStatus(401); // the first token is revoked: one refresh, the request sent once more
                res.getHeaders().put("content-type", "application/json");
                StubServer.write(out, "{\"error\":{\"code\":401,\"message\":\"revoked " + bearer + " " + echo()
                        + "\",\"status\":\"UNAUTHENTICATED\"}}");
                return;
            }
            sseAnswer(res, out, failing, bearer);
            return;
        }
        if (path.startsWith("/anthropic/v1/messages")) { // Foundry
            if (failing) {
                res.setStatus(500);
                res.getHeaders().put("content-type", "text/html");
                StubServer.write(out, "<html><body>" + "C".repeat(180) + FOUNDRY_KEY + " "
                        + KeyForms.html(echo(), "&#39;") + "</body></html>");
                return;
            }
            sseAnswer(res, out, false, req.header("x-api-key"));
            return;
        }
        res.setStatus(404);
    }

    /** A Messages SSE stream echoing everything; failing, an SSE error event that does too. */
    private void sseAnswer(Response res, OutputStream out, boolean failing, String received) throws Exception {
        res.getHeaders().put("content-type", "text/event-stream");
        res.getHeaders().put("request-id", "req_" + received);
        StubServer.sse(out, "message_start", messageStart());
        StubServer.sse(out, "content_block_start", blockStart());
        String half = echo().substring(0, echo().length() / 2);
        StubServer.sse(out, "content_block_delta", delta("Answer: " + received + " " + half));
        StubServer.sse(out, "content_block_delta", delta(echo().substring(half.length())));
        if (failing) {
            StubServer.sse(out, "error", JSON.writeValueAsString(JSON.createObjectNode().put("type", "error")
                    .set("error", JSON.createObjectNode().put("type", "overloaded_error")
                            .put("message", "D".repeat(190) + received + " " + KeyForms.unicodeEscaped(echo())))));
            return;
        }
        StubServer.sse(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        StubServer.sse(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":9}}");
        StubServer.sse(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    private static String messageStart() {
        return "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}";
    }

    private static String blockStart() {
        return "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}";
    }

    private static String delta(String text) throws Exception {
        return JSON.writeValueAsString(JSON.createObjectNode().put("type", "content_block_delta").put("index", 0)
                .set("delta", JSON.createObjectNode().put("type", "text_delta").put("text", text)));
    }

    private static String message(String text) throws Exception {
        ObjectNode m = JSON.createObjectNode().put("id", "msg_2").put("type", "message").put("role", "assistant")
                .put("model", "claude-sonnet-4-5").put("stop_reason", "end_turn");
        m.putArray("content").addObject().put("type", "text").put("text", text);
        m.putObject("usage").put("input_tokens", 9).put("output_tokens", 12);
        return JSON.writeValueAsString(m);
    }

    /** One event-stream {@code chunk} frame carrying a Messages event. */
    private static byte[] chunk(String eventJson) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("event"));
        h.put(":event-type", HeaderValue.fromString("chunk"));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        return frame(h, "{\"bytes\":\"" + Base64.getEncoder().encodeToString(eventJson.getBytes(StandardCharsets.UTF_8))
                + "\"}");
    }

    private static byte[] exception(String type, String message) throws Exception {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("exception"));
        h.put(":exception-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        return frame(h, JSON.writeValueAsString(JSON.createObjectNode().put("message", message)));
    }

    private static byte[] frame(Map<String, HeaderValue> headers, String payload) {
        ByteBuffer b = new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    /** No encoded form of any secret, nor any 12-character piece of one, on the console or in the run folder. */
    private void assertNothingLeaks(SecretEchoTest.Run run, Path out) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(out)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertThat(files).as("artefacts written").isNotEmpty();
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("stdout", run.out());
        texts.put("stderr", run.err());
        for (Path f : files) {
            texts.put(out.relativize(f).toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
        }
        for (String secret : secrets()) {
            List<String> pieces = new ArrayList<>(KeyForms.of(secret).values());
            for (int i = 0; i + 12 <= secret.length(); i++) {
                pieces.add(secret.substring(i, i + 12));
            }
            texts.forEach((where, text) -> {
                for (String piece : pieces) {
                    assertThat(text).as(where + " holds a piece of a secret: " + piece).doesNotContain(piece);
                }
            });
        }
    }
}
