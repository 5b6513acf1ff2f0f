package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.testing.KeyForms;
import dev.sonde.testing.StubServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile server echoes the key it received — raw, JSON-, URL- and HTML-escaped, base64, split
 * across stream events and across TCP chunks, in error bodies, SSE {@code error} events, HTML
 * pages, headers, the answer's text, tool input and usage — and no form of any key reaches the
 * console or any file a run writes (journal, results, report, JUnit, Markdown, CSV, baseline).
 */
class SecretEchoTest {
    /** Visible ASCII with every character that an encoding changes. */
    static final String KEY = "sk-ant-api03-Hx7/q+Zr&<b>\"Q'=%3D9kL_m-EchoTest0123456789AbCdEf";
    static final String GATEWAY_KEY = "gw-live-Zq/9+p&x<y>'\"K=echoGatewayKey987654321";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void a_401_body_that_echoes_the_key_stops_the_run_in_one_line_and_the_key_is_nowhere() throws Exception {
        try (StubServer server = StubServer.start((req, res, out) -> {
            String key = req.header("x-api-key");
            ObjectNode body = JSON.createObjectNode().put("type", "error");
            body.putObject("error").put("type", "authentication_error").put("message", "invalid x-api-key: " + key
                    + " (as url " + URLEncoder.encode(key, StandardCharsets.UTF_8) + ", as base64 "
                    + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + ")");
            body.put("request_id", "req_" + key);
            res.setStatus(401);
            res.getHeaders().put("content-type", "application/json");
            res.getHeaders().put("request-id", "req-" + key);
            StubServer.write(out, JSON.writeValueAsString(body));
        })) {
            Path suite = suite("""
                    name: echo-auth
                    models: [{id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 20}}]
                    cases:
                      - {id: one, prompt: "hello", assert: [{type: contains, value: ok}]}
                      - {id: two, prompt: "hello again"}
                    """);
            Run run = run(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--endpoint",
                    server.baseUri().toString(), "--out", dir.resolve("out").toString());
            assertThat(run.exit).isEqualTo(Main.CANNOT_PROCEED);
            assertThat(server.received()).hasSize(1); // the first trial runs alone; a bad key costs one request
            assertThat(run.err).contains("[masked]");
            assertNoKeyAnywhere(run, KEY);
        }
    }

    @Test
    void every_echo_in_bodies_pages_streams_headers_and_answers_is_masked_in_every_artefact() throws Exception {
        try (StubServer server = StubServer.start(SecretEchoTest::echo)) {
            Path suite = suite("""
                    name: echo-all
                    models:
                      - {id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 50}}
                      - {id: plain, model: claude-haiku-4-5, stream: false, params: {max_tokens: 50}}
                    cases:
                      - {id: split-stream, prompt: "[split] say it", assert: [{type: contains, value: "that is ok"}]}
                      - {id: sse-error, prompt: "[sse-error] say it"}
                      - {id: html-500, prompt: "[html-500] say it"}
                      - {id: escaped-400, prompt: "[escaped-400] say it"}
                      - {id: everywhere, prompt: "[everywhere] say it", assert: [{type: contains, value: "Answer"}]}
                      - {id: limited-429, prompt: "[limited-429] say it", assert: [{type: contains, value: "Answer"}]}
                      - {id: garbage, prompt: "[garbage] say it"}
                    run:
                      concurrency: 4
                      retry: {max_attempts: 2, base_delay_ms: 1, max_delay_ms: 2}
                    """);
            Run run = run(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--endpoint",
                    server.baseUri().toString(), "--out", dir.resolve("out").toString(), "--update-baseline");
            assertThat(run.exit).as(run.err).isEqualTo(Main.CHECK_FAILED); // the failing cases fail; the run completes
            assertThat(server.received()).allSatisfy(r -> assertThat(r.header("x-api-key")).isEqualTo(KEY));
            String journal = Files.readString(dir.resolve("out/trials.jsonl"));
            assertThat(journal).contains("[masked]");
            // the split key is gone from the joined answer, and the text around it is kept
            assertThat(journal).contains("Your key is [masked] and that is ok.");
            assertNoKeyAnywhere(run, KEY);
        }
    }

    @Test
    void a_chat_completions_gateway_that_echoes_its_bearer_key_is_masked_too() throws Exception {
        try (StubServer server = StubServer.start((req, res, out) -> {
            String key = req.header("authorization").substring("Bearer ".length());
            if (req.body().contains("[fail]")) {
                res.setStatus(400);
                res.getHeaders().put("content-type", "application/json");
                StubServer.write(out, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Incorrect API key "
                        + "provided: " + KeyForms.json(key) + "\"}}");
                return;
            }
            res.getHeaders().put("content-type", "text/event-stream");
            String half = key.substring(0, key.length() / 2);
            StubServer.write(out, "data: " + chunk("Your key: " + half) + "\n\n");
            StubServer.write(out, "data: " + chunk(key.substring(key.length() / 2) + ". Fine.") + "\n\n");
            StubServer.write(out, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,"
                    + "\"total_tokens\":12}}\n\ndata: [DONE]\n\n");
        })) {
            Path suite = suite("""
                    name: echo-gateway
                    models:
                      - {id: gw, model: claude-sonnet-4-6, provider: openai-chat, api_key_env: GATEWAY_API_KEY,
                         params: {max_tokens: 20}}
                    cases:
                      - {id: fine, prompt: "say it", assert: [{type: contains, value: Fine}]}
                      - {id: fail, prompt: "[fail] say it"}
                    """);
            Run run = run(Map.of("GATEWAY_API_KEY", GATEWAY_KEY, "ANTHROPIC_API_KEY", KEY), "run", suite.toString(),
                    "--endpoint", server.baseUri().toString(), "--out", dir.resolve("out").toString());
            assertThat(run.exit).as(run.err).isEqualTo(Main.CHECK_FAILED);
            assertThat(Files.readString(dir.resolve("out/trials.jsonl"))).contains("Your key: [masked]. Fine.");
            assertNoKeyAnywhere(run, GATEWAY_KEY);
        }
    }

    @Test
    void a_key_with_a_line_break_or_control_character_is_one_line_exit_3_and_nothing_is_sent() throws Exception {
        try (StubServer server = StubServer.start((req, res, out) -> res.setStatus(500))) {
            Path suite = suite("""
                    name: bad-key
                    models: [{id: sonnet, model: claude-sonnet-4-6}]
                    cases: [{id: one, prompt: hi}]
                    """);
            for (String bad : List.of("sk-ant-api03-FIRSTHALF\nSECONDHALF-abc", "sk-ant-api03-FIRSTHALF\u0007SECONDHALF",
                    "sk-ant-api03-FIRSTHALF SECONDHALF", "sk-ant-api03-FIRSTHALF\u00e9SECONDHALF")) {
                Run run = run(Map.of("ANTHROPIC_API_KEY", bad), "run", suite.toString(), "--endpoint",
                        server.baseUri().toString(), "--out", dir.resolve("out-" + bad.length() + bad.hashCode()).toString());
                assertThat(run.exit).isEqualTo(Main.CANNOT_PROCEED);
                assertThat(run.err.strip()).doesNotContain("\n").startsWith("sonde: ANTHROPIC_API_KEY is not a usable key")
                        .doesNotContain("FIRSTHALF").doesNotContain("SECONDHALF").doesNotContain("Exception");
                assertThat(run.out).doesNotContain("FIRSTHALF").doesNotContain("SECONDHALF");
            }
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void batch_results_that_echo_the_key_are_masked_and_a_results_url_elsewhere_is_refused() throws Exception {
        try (StubServer elsewhere = StubServer.start((req, res, out) -> res.setStatus(200));
                StubServer server = StubServer.start((req, res, out) -> batch(req, res, out, elsewhere))) {
            Path suite = suite("""
                    name: echo-batch
                    models: [{id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 20}}]
                    cases:
                      - {id: good, prompt: "hello", assert: [{type: contains, value: Answer}]}
                      - {id: bad, prompt: "[errored] hello"}
                    """);
            Run run = batchRun(server, suite, "", "out");
            assertThat(run.exit).as(run.err).isEqualTo(Main.CHECK_FAILED);
            assertThat(Files.readString(dir.resolve("out/trials.jsonl"))).contains("Answer: [masked]");
            assertNoKeyAnywhere(run, KEY);

            Run refused = batchRun(server, suite, "[moved]", "moved");
            assertThat(refused.exit).isEqualTo(Main.CANNOT_PROCEED);
            assertThat(refused.err).contains("results_url is not on this endpoint; refused");
            assertThat(elsewhere.received()).isEmpty();
            assertNoKeyAnywhere(refused, KEY);

            // a batch whose id is the key: the id is printed on every poll and goes into the next path
            Run idEcho = batchRun(server, suite, "[idecho]", "id-echo");
            assertThat(idEcho.exit).isEqualTo(Main.CANNOT_PROCEED);
            assertThat(idEcho.err).contains("the batch id the server sent is not a plain token");
            assertNoKeyAnywhere(idEcho, KEY);
        }
    }

    /** Runs {@code suite} in batch mode against {@code server}, its prompts marked with {@code marker}. */
    private Run batchRun(StubServer server, Path suite, String marker, String out) throws Exception {
        Path marked = suite;
        if (!marker.isEmpty()) { // a suite file of its own, so the unmarked one stays as written
            marked = suite.resolveSibling(out + ".yaml");
            Files.writeString(marked, Files.readString(suite).replace("echo-batch", "echo-batch-" + out)
                    .replace("hello", marker + " hello"));
        }
        return run(Map.of("ANTHROPIC_API_KEY", KEY), "run", marked.toString(), "--batch", "--endpoint",
                server.baseUri().toString(), "--out", dir.resolve(out).toString());
    }

    /** A Message Batches server whose results echo the key; {@code [moved]} points results_url at another server. */
    private static void batch(StubServer.Received req, Response res, OutputStream out, StubServer elsewhere)
            throws Exception {
        res.getHeaders().put("content-type", "application/json");
        String key = req.header("x-api-key");
        if (req.method().equals("POST")) {
            BATCH.set(JSON.readTree(req.body()));
            boolean moved = req.body().contains("[moved]");
            String base = moved ? elsewhere.baseUri().toString() : "http://" + req.header("host");
            String id = req.body().contains("[idecho]") ? key : "msgbatch_1";
            StubServer.write(out, JSON.writeValueAsString(JSON.createObjectNode().put("id", id)
                    .put("type", "message_batch").put("processing_status", "ended")
                    .put("results_url", base + "/v1/messages/batches/msgbatch_1/results")));
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonNode r : BATCH.get().path("requests")) {
            String id = r.path("custom_id").asText();
            ObjectNode line = JSON.createObjectNode().put("custom_id", id);
            if (r.path("params").toString().contains("[errored]")) {
                line.putObject("result").put("type", "errored").putObject("error").put("type", "error")
                        .putObject("error").put("type", "invalid_request_error").put("message", "bad " + key);
            } else {
                ObjectNode message = line.putObject("result").put("type", "succeeded").putObject("message");
                message.put("id", "msg_" + key).put("type", "message").put("role", "assistant")
                        .put("model", "claude-sonnet-4-6").put("stop_reason", "end_turn");
                message.putArray("content").addObject().put("type", "text").put("text", "Answer: " + key);
                message.putObject("usage").put("input_tokens", 4).put("output_tokens", 3).put("service_tier", "batch");
            }
            lines.append(JSON.writeValueAsString(line)).append('\n');
        }
        StubServer.write(out, lines.toString());
    }

    private static final java.util.concurrent.atomic.AtomicReference<com.fasterxml.jackson.databind.JsonNode> BATCH =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** The hostile server: what it does depends on the marker in the prompt; it always echoes the key. */
    private static void echo(StubServer.Received req, Response res, OutputStream out) throws Exception {
        String key = req.header("x-api-key");
        String body = req.body();
        boolean stream = body.contains("\"stream\":true");
        if (body.contains("[split]") && stream) {
            res.getHeaders().put("content-type", "text/event-stream");
            StubServer.sse(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":"
                    + "\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],\"usage\":"
                    + "{\"input_tokens\":9,\"output_tokens\":1}}}");
            StubServer.sse(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            StubServer.sse(out, "content_block_delta", delta("Your key is " + key.substring(0, 10)));
            // the second half of the key arrives in one event that itself comes in two TCP chunks
            String event = "event: content_block_delta\ndata: " + delta(key.substring(10) + " and that is ok.") + "\n\n";
            int cut = event.indexOf("EchoTest") + 4;
            StubServer.write(out, event.substring(0, cut));
            Thread.sleep(5);
            StubServer.write(out, event.substring(cut));
            StubServer.sse(out, "content_block_delta", delta(" Escaped: " + KeyForms.html(key, "&#39;") + " / "
                    + URLEncoder.encode(key, StandardCharsets.UTF_8) + " / "
                    + Base64.getEncoder().encodeToString(("x-api-key: " + key).getBytes(StandardCharsets.UTF_8))));
            StubServer.sse(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            StubServer.sse(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":30}}");
            StubServer.sse(out, "message_stop", "{\"type\":\"message_stop\"}");
            return;
        }
        if (body.contains("[sse-error]") && stream) {
            res.getHeaders().put("content-type", "text/event-stream");
            StubServer.sse(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":"
                    + "\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],\"usage\":"
                    + "{\"input_tokens\":9,\"output_tokens\":1}}}");
            StubServer.sse(out, "error", JSON.writeValueAsString(JSON.createObjectNode().put("type", "error")
                    .set("error", JSON.createObjectNode().put("type", "overloaded_error")
                            .put("message", "overloaded while serving key " + key))));
            return;
        }
        if (body.contains("[html-500]")) {
            res.setStatus(500);
            res.getHeaders().put("content-type", "text/html");
            // the raw key straddles the 200th character, where the error reader cuts a page
            String page = "<html><head><title>500</title></head><body><h1>Internal error</h1><p>";
            page += "x".repeat(190 - page.length()) + key + "</p><p>" + KeyForms.html(key, "&#x27;") + "</p><p>"
                    + URLEncoder.encode(key, StandardCharsets.UTF_8).toLowerCase() + "</p></body></html>";
            StubServer.write(out, "<!-- " + key + " -->" + page);
            return;
        }
        if (body.contains("[escaped-400]")) {
            res.setStatus(400);
            res.getHeaders().put("content-type", "application/json");
            // the message is written with every character \\u-escaped, and also carries a JSON document as text
            StubServer.write(out, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\""
                    + KeyForms.unicodeEscaped("bad key " + key) + " in {\\\"key\\\": \\\""
                    + KeyForms.json(KeyForms.json(key)) + "\\\"}\"}}");
            return;
        }
        if (body.contains("[limited-429]") && LIMITED.compareAndSet(false, true)) {
            res.setStatus(429);
            res.getHeaders().put("content-type", "application/json");
            res.getHeaders().put("retry-after-ms", "1");
            StubServer.write(out, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":"
                    + "\"slow down, " + KeyForms.json(key) + "\"}}");
            return;
        }
        if (body.contains("[garbage]")) {
            res.getHeaders().put("content-type", "application/json");
            StubServer.write(out, key + " is not JSON");
            return;
        }
        // [everywhere], [limited-429] after its 429, and the non-streamed model for every marker above
        ObjectNode message = JSON.createObjectNode().put("id", "msg_" + key).put("type", "message")
                .put("role", "assistant").put("model", "claude-haiku-4-5").put("stop_reason", "stop_sequence")
                .put("stop_sequence", key);
        message.putArray("content").add(JSON.createObjectNode().put("type", "text").put("text", "Answer: " + key))
                .add(JSON.createObjectNode().put("type", "tool_use").put("id", "toolu_" + key).put("name", "lookup")
                        .set("input", JSON.createObjectNode().put("key", key).set("nested",
                                JSON.createArrayNode().add(KeyForms.html(key, "&#39;")))))
                .add(JSON.createObjectNode().put("type", "server_note").put("note", key));
        message.putObject("usage").put("input_tokens", 9).put("output_tokens", 12).put("service_tier", key)
                .put("note", key);
        res.getHeaders().put("content-type", "application/json");
        res.getHeaders().put("request-id", "req_" + key);
        res.getHeaders().put("anthropic-ratelimit-requests-remaining", key);
        StubServer.write(out, JSON.writeValueAsString(message));
    }

    private static final java.util.concurrent.atomic.AtomicBoolean LIMITED = new java.util.concurrent.atomic.AtomicBoolean();

    private static String delta(String text) throws Exception {
        return JSON.writeValueAsString(JSON.createObjectNode().put("type", "content_block_delta").put("index", 0)
                .set("delta", JSON.createObjectNode().put("type", "text_delta").put("text", text)));
    }

    private static String chunk(String text) throws Exception {
        ObjectNode c = JSON.createObjectNode().put("id", "c1").put("model", "claude-sonnet-4-6");
        c.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", text);
        return JSON.writeValueAsString(c);
    }

    private Path suite(String yaml) throws Exception {
        Path suites = Files.createDirectories(dir.resolve("suites"));
        Path file = suites.resolve("suite.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    record Run(int exit, String out, String err) {}

    /** Runs the CLI, capturing its writers and the process's own stdout and stderr. */
    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        System.setErr(tee);
        int exit;
        try {
            exit = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String process = captured.toString(StandardCharsets.UTF_8);
        return new Run(exit, out + process, err.toString());
    }

    /** No form of {@code key} in the console or in any file under the test folder but the suite itself. */
    private void assertNoKeyAnywhere(Run run, String key) throws Exception {
        Map<String, String> forms = KeyForms.of(key);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("suite.yaml"))
                    .forEach(files::add);
        }
        assertThat(files).as("artefacts written").isNotEmpty();
        for (Map.Entry<String, String> form : forms.entrySet()) {
            assertThat(run.out).as("stdout, key form " + form.getKey()).doesNotContain(form.getValue());
            assertThat(run.err).as("stderr, key form " + form.getKey()).doesNotContain(form.getValue());
            for (Path f : files) {
                assertThat(Files.readString(f, StandardCharsets.ISO_8859_1))
                        .as(dir.relativize(f) + ", key form " + form.getKey()).doesNotContain(form.getValue());
            }
        }
    }
}
