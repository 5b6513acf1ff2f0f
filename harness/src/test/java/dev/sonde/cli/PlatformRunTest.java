package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.EmulatorCredentials;
import dev.sonde.emulator.EmulatorRequest;
import dev.sonde.testing.KeyForms;
import dev.sonde.testing.StubServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code suites/platforms.yaml} end to end, in-process as {@code sonde run} runs it: offline on the
 * embedded emulator, then "live" against a standalone emulator on loopback with each platform's
 * credentials in the environment (SigV4 with the emulator's test key, an authorized-user ADC file
 * whose token endpoint is the emulator's, a Foundry key), where the emulator's request log says which
 * platform's route answered each trial; a wrong AWS secret, missing AWS credentials, and a server
 * that echoes every credential it receives.
 */
class PlatformRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SUITE = Path.of("../suites/platforms.yaml");
    /** Model label → the emulator route that must answer it ({@code EmulatorRequest.route}). */
    private static final Map<String, String> ROUTES = Map.of("anthropic", "anthropic", "bedrock", "bedrock-runtime",
            "bedrock-invoke", "bedrock-invoke", "claude-platform-aws", "claude-platform-aws", "vertex", "vertex",
            "foundry", "foundry");
    private static final String ANTHROPIC_KEY = "sk-ant-" + "api03-PlatformRunTest-first-party";

    @TempDir
    static Path dir;

    static SecretEchoTest.Run offline;
    static Path offlineOut;

    @BeforeAll
    static void runOffline() {
        offlineOut = dir.resolve("offline");
        offline = SecretEchoTest.run(Map.of(), "run", SUITE.toString(), "--out", offlineOut.toString(), "-q");
    }

    @Test
    void offline_every_platform_answers_and_the_report_compares_them_on_same_output_ttft_p95_and_cost()
            throws Exception {
        assertThat(offline.exit()).as(offline.out() + offline.err()).isZero();
        Map<String, JsonNode> trials = trials(offlineOut);
        assertThat(trials).hasSize(90);
        assertThat(trials.values()).allSatisfy(t -> {
            assertThat(t.get("error").isNull()).as(t.toString()).isTrue();
            assertThat(t.get("pass").asBoolean()).as(t.toString()).isTrue();
        });
        // only InvokeModel's event stream carries amazon-bedrock-invocationMetrics: the invoke model went that way
        assertThat(trials.values()).allSatisfy(t -> assertThat(t.has("server_first_byte_ms"))
                .as(t.get("trial_id").asText()).isEqualTo(t.get("model").asText().equals("bedrock-invoke")));

        JsonNode comparison = JSON.readTree(offlineOut.resolve("results.json").toFile()).get("model_comparison");
        assertThat(comparison.get("baseline").asText()).isEqualTo("anthropic");
        List<String> candidates = new ArrayList<>();
        for (JsonNode c : comparison.get("candidates")) {
            candidates.add(c.get("model").asText());
            assertThat(c.get("same_output")).as(c.get("model").asText())
                    .isEqualTo(JSON.readTree("{\"paired\":15,\"identical\":15}"));
            JsonNode ttft = c.at("/latency/0");
            assertThat(ttft.get("metric").asText()).isEqualTo("ttft_ms");
            assertThat(ttft.at("/p95/baseline").asDouble()).isPositive();
            assertThat(ttft.at("/p95/candidate").asDouble()).isPositive();
            assertThat(ttft.at("/p95/change").isNumber()).isTrue();
            assertThat(c.at("/cost/unpriced").asBoolean()).isFalse();
            assertThat(c.at("/cost/candidate_per_request_usd").asDouble()).isPositive();
            assertThat(c.at("/cost/ratio").isNumber()).isTrue();
        }
        assertThat(candidates).containsExactly("bedrock", "bedrock-invoke", "claude-platform-aws", "vertex", "foundry");

        String md = Files.readString(offlineOut.resolve("summary.md"), StandardCharsets.UTF_8);
        String html = Files.readString(offlineOut.resolve("report.html"), StandardCharsets.UTF_8);
        for (String report : List.of(md, html)) {
            assertThat(count(report, "15 of 15 paired trials (100 %)")).isEqualTo(5);
            assertThat(count(report, "TTFT p95")).isGreaterThanOrEqualTo(5);
            assertThat(count(report, "Cost per request")).isGreaterThanOrEqualTo(5);
        }
        assertThat(md).contains("| Same output |  |  | 15 of 15 paired trials (100 %) |");
    }

    @Test
    void live_against_an_emulator_each_platform_answers_on_its_own_route_with_the_offline_answers() throws Exception {
        try (Emulator emu = Emulator.start(platformsEmulator())) {
            Path out = dir.resolve("live");
            SecretEchoTest.Run live = SecretEchoTest.run(liveEnv(emu, EmulatorCredentials.AWS_SECRET_ACCESS_KEY, "live"),
                    "run", SUITE.toString(), "--endpoint", emu.baseUri().toString(), "--out", out.toString(), "-q");
            assertThat(live.exit()).as(live.out() + live.err()).isZero();
            Map<String, JsonNode> liveTrials = trials(out);
            Map<String, JsonNode> offlineTrials = trials(offlineOut);
            assertThat(liveTrials.keySet()).isEqualTo(offlineTrials.keySet());
            for (Map.Entry<String, JsonNode> e : liveTrials.entrySet()) {
                JsonNode was = offlineTrials.get(e.getKey());
                assertThat(e.getValue().get("output_text")).as(e.getKey()).isEqualTo(was.get("output_text"));
                assertThat(e.getValue().get("usage").get("output_tokens")).as(e.getKey())
                        .isEqualTo(was.get("usage").get("output_tokens"));
            }
            Map<String, String> routeById = emu.requests().stream()
                    .collect(Collectors.toMap(EmulatorRequest::requestId, EmulatorRequest::route, (a, b) -> a));
            for (JsonNode t : liveTrials.values()) {
                assertThat(routeById.get(t.get("request_id").asText())).as(t.get("trial_id").asText())
                        .isEqualTo(ROUTES.get(t.get("model").asText()));
            }
            assertThat(emu.requests()).as("the ADC file's token endpoint is the emulator's")
                    .anyMatch(r -> r.route().equals("oauth2-token") && r.status() == 200);
            JsonNode comparison = JSON.readTree(out.resolve("results.json").toFile()).get("model_comparison");
            comparison.get("candidates").forEach(c -> assertThat(c.at("/same_output/identical").asInt()).isEqualTo(15));
        }
    }

    @Test
    void a_wrong_aws_secret_is_an_auth_failure_in_one_line_never_retried_and_stops_the_run() throws Exception {
        try (Emulator emu = Emulator.start(platformsEmulator())) {
            Path out = dir.resolve("wrong-secret");
            String wrong = "fake-wrong-secret-PlatformRunTest";
            SecretEchoTest.Run run = SecretEchoTest.run(liveEnv(emu, wrong, "wrong"), "run", SUITE.toString(),
                    "--endpoint", emu.baseUri().toString(), "--out", out.toString(), "-q");
            String console = run.out() + run.err();
            assertThat(run.exit()).as(console).isEqualTo(3);
            List<String> aws = List.of("bedrock", "bedrock-invoke", "claude-platform-aws");
            List<JsonNode> sent = trials(out).values().stream().filter(t -> t.get("skipped").isNull()).toList();
            assertThat(sent).filteredOn(t -> aws.contains(t.get("model").asText())).isNotEmpty().allSatisfy(t -> {
                assertThat(t.at("/error/class").asText()).as(t.toString()).isEqualTo("auth");
                assertThat(t.at("/error/status").asInt()).isEqualTo(403);
                assertThat(t.get("attempts").asInt()).as("never retried").isEqualTo(1);
            });
            assertThat(sent).filteredOn(t -> !aws.contains(t.get("model").asText()))
                    .allSatisfy(t -> assertThat(t.get("error").isNull()).as(t.toString()).isTrue());
            assertThat(emu.requests()).filteredOn(r -> r.route().startsWith("bedrock")
                    || r.route().equals("claude-platform-aws")).isNotEmpty().allMatch(r -> r.status() == 403);
            assertThat(console.lines().filter(l -> l.startsWith("sonde: run stopped: ")).toList()).as(console)
                    .containsExactly("sonde: run stopped: " + emu.baseUri() + ": auth (403 InvalidSignatureException): "
                            + "The request signature we calculated does not match the signature you provided. Check"
                            + " your AWS Secret Access Key and signing method.");
            assertThat(console).doesNotContain(wrong).doesNotContain("\tat ");
        }
    }

    @Test
    void missing_aws_credentials_are_one_line_exit_3_and_nothing_is_sent() throws Exception {
        Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null
                && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
                && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
                && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null,
                "the process environment holds AWS credentials the SDK's chain would find");
        Path suite = Files.writeString(dir.resolve("bedrock-only.yaml"), """
                name: bedrock-only
                models:
                  - {id: br, provider: bedrock, model: us.anthropic.claude-sonnet-4-5-20250929-v1:0, region: us-east-1}
                cases:
                  - {id: hi, prompt: "Say hi"}
                """);
        Map<String, String> props = Map.of("aws.sharedCredentialsFile", dir.resolve("no-aws/credentials").toString(),
                "aws.configFile", dir.resolve("no-aws/config").toString(), "aws.disableEc2Metadata", "true",
                "aws.profile", "sonde-platform-run-test-none");
        Map<String, String> saved = new HashMap<>();
        props.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        try (Emulator emu = Emulator.start(platformsEmulator())) {
            String line = "bedrock (model br): no AWS credentials: set AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID"
                    + " and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE";
            for (String endpoint : List.of(emu.baseUri().toString(), "live")) {
                Path out = dir.resolve("missing-" + (endpoint.equals("live") ? "live" : "local"));
                SecretEchoTest.Run run = SecretEchoTest.run(Map.of("HOME", dir.toString()), "run", suite.toString(),
                        "--endpoint", endpoint, "--out", out.toString(), "-q");
                assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(3);
                assertThat(run.err().strip()).as(endpoint).doesNotContain("\n").contains(line)
                        .endsWith("nothing was sent");
                assertThat(out.resolve("trials.jsonl")).doesNotExist();
            }
            assertThat(emu.requestCount()).isZero();
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    @Test
    void platform_credentials_a_server_echoes_are_in_no_file_of_the_run() throws Exception {
        String accessKeyId = "AKIAFAKEPLATFORMRUN7";
        String secretKey = "fake-aws-secret-key/PlatformRunTest+Zq";
        String sessionToken = "fake-aws-session-token/PlatformRunTest+Kp=";
        String foundryKey = "fake-foundry-key-PlatformRunTest-Wx";
        String vertexToken = "ya29.fake-vertex-access-token-PlatformRunTest";
        String refreshToken = "fake-vertex-refresh-token-PlatformRunTest";
        try (StubServer echo = StubServer.start(PlatformRunTest::echo)) {
            Path adc = adc(echo.baseUri() + "/oauth2/token", refreshToken);
            VERTEX_TOKEN.set(vertexToken);
            Path suite = Files.writeString(dir.resolve("echo.yaml"), """
                    name: platforms-echo
                    models:
                      - {id: br, provider: bedrock, model: us.anthropic.claude-sonnet-4-5-20250929-v1:0, region: us-east-1, api: messages}
                      - {id: cpa, provider: claude-platform-aws, model: claude-sonnet-4-5, region: us-east-1, workspace_id: wrkspc_echo}
                      - {id: vx, provider: vertex, model: claude-sonnet-4-5@20250929, project: echo-project, region: global}
                      - {id: fd, provider: foundry, model: claude-sonnet-4-5, resource: echo, base_model: claude-sonnet-4-5}
                    cases:
                      - {id: answer, prompt: "echo in the answer", assert: [{type: contains, value: ok}]}
                      - {id: refuse, prompt: "echo in an error", assert: [{type: contains, value: ok}]}
                    """);
            Path out = dir.resolve("echo");
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", secretKey,
                    "AWS_SESSION_TOKEN", sessionToken, "ANTHROPIC_FOUNDRY_API_KEY", foundryKey,
                    "GOOGLE_APPLICATION_CREDENTIALS", adc.toString());
            SecretEchoTest.Run run = SecretEchoTest.run(env, "run", suite.toString(), "--endpoint",
                    echo.baseUri().toString(), "--out", out.toString(), "-q");
            assertThat(run.exit()).as(run.out() + run.err()).isIn(0, 1);
            assertThat(echo.received()).as("every credential reached the server")
                    .anyMatch(r -> sessionToken.equals(r.header("x-amz-security-token")))
                    .anyMatch(r -> foundryKey.equals(r.header("x-api-key")))
                    .anyMatch(r -> ("Bearer " + vertexToken).equals(r.header("authorization")));
            List<Path> files;
            try (Stream<Path> walk = Files.walk(out)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            assertThat(files.stream().map(f -> f.getFileName().toString())).contains("trials.jsonl", "results.json",
                    "report.html", "summary.md", "junit.xml");
            Map<String, JsonNode> trials = trials(out);
            assertThat(trials.values()).as("the echo reached the journal, masked").anyMatch(t ->
                    t.path("output_text").asText().contains("echo:")).anyMatch(t -> t.at("/error/message").asText()
                    .contains("echo:"));
            for (String secret : List.of(accessKeyId, secretKey, sessionToken, foundryKey, vertexToken, refreshToken)) {
                for (Map.Entry<String, String> form : KeyForms.of(secret).entrySet()) {
                    assertThat(run.out() + run.err()).as("console, " + form.getKey()).doesNotContain(form.getValue());
                    for (Path f : files) {
                        assertThat(Files.readString(f, StandardCharsets.ISO_8859_1))
                                .as(out.relativize(f) + ": " + secret + " as " + form.getKey())
                                .doesNotContain(form.getValue());
                    }
                }
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicReference<String> VERTEX_TOKEN =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Hands out the Vertex token at {@code /oauth2/token}; answers every other request with what it
     * received in its credential headers — as the answer's text, split across two deltas inside the last
     * credential, for one case, in a 400 for the other.
     */
    private static void echo(StubServer.Received req, org.eclipse.jetty.server.Response res,
            java.io.OutputStream out) throws Exception {
        if (req.path().equals("/oauth2/token")) {
            res.getHeaders().put("content-type", "application/json");
            StubServer.write(out, JSON.createObjectNode().put("access_token", VERTEX_TOKEN.get())
                    .put("expires_in", 3600).put("token_type", "Bearer").toString());
            return;
        }
        StringBuilder heard = new StringBuilder("echo:");
        for (String h : List.of("x-amz-date", "authorization", "x-api-key", "x-amz-security-token")) {
            if (req.header(h) != null) {
                heard.append(' ').append(h).append('=').append(req.header(h));
            }
        }
        String text = heard.toString();
        if (req.body().contains("echo in an error")) {
            res.setStatus(400);
            res.getHeaders().put("content-type", "application/json");
            res.getHeaders().put("x-amzn-ErrorType", "ValidationException");
            ObjectNode body = JSON.createObjectNode().put("type", "error").put("message", text);
            body.putObject("error").put("type", "invalid_request_error").put("message", text);
            StubServer.write(out, body.toString());
            return;
        }
        res.getHeaders().put("content-type", "text/event-stream");
        res.getHeaders().put("request-id", "req_echo " + text.replace('\n', ' '));
        StubServer.sse(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_e\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
                + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
        StubServer.sse(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        String answer = "ok " + text;
        int cut = answer.length() - 12; // inside the last credential echoed: each half alone is no secret
        for (String part : List.of(answer.substring(0, cut), answer.substring(cut))) {
            StubServer.sse(out, "content_block_delta", JSON.createObjectNode().put("type", "content_block_delta")
                    .put("index", 0).set("delta", JSON.createObjectNode().put("type", "text_delta").put("text", part))
                    .toString());
        }
        StubServer.sse(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        StubServer.sse(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":2}}");
        StubServer.sse(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    /** The emulator {@code suites/platforms.yaml} runs on: its config, its rules, its seed. */
    private static EmulatorConfig platformsEmulator() {
        return EmulatorConfig.load(Path.of("../fixtures/platforms/emulator.yaml")).toBuilder().port(0).seed(22)
                .rules(List.of(Path.of("../fixtures/platforms/rules.yaml"))).build();
    }

    /** Every platform's credentials for {@code emu}, with {@code awsSecret} as the AWS secret access key. */
    private static Map<String, String> liveEnv(Emulator emu, String awsSecret, String name) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ANTHROPIC_API_KEY", ANTHROPIC_KEY);
        env.put("AWS_ACCESS_KEY_ID", EmulatorCredentials.AWS_ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", awsSecret);
        env.put("ANTHROPIC_FOUNDRY_API_KEY", EmulatorCredentials.FOUNDRY_API_KEY);
        env.put("GOOGLE_APPLICATION_CREDENTIALS", adc(emu.baseUri() + "/oauth2/token",
                EmulatorCredentials.VERTEX_REFRESH_TOKEN, name).toString());
        return env;
    }

    private static Path adc(String tokenUri, String refreshToken) throws Exception {
        return adc(tokenUri, refreshToken, "echo");
    }

    /** An authorized-user Application Default Credentials file whose token endpoint is {@code tokenUri}. */
    private static Path adc(String tokenUri, String refreshToken, String name) throws Exception {
        ObjectNode json = JSON.createObjectNode().put("type", "authorized_user")
                .put("client_id", EmulatorCredentials.VERTEX_CLIENT_ID)
                .put("client_secret", EmulatorCredentials.VERTEX_CLIENT_SECRET).put("refresh_token", refreshToken)
                .put("token_uri", tokenUri);
        return Files.writeString(Files.createDirectories(dir.resolve("adc-" + name)).resolve("adc.json"),
                json.toString());
    }

    /** The run's journal: {@code case/model/repeat} → trial. */
    private static Map<String, JsonNode> trials(Path out) throws Exception {
        Map<String, JsonNode> trials = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out.resolve("trials.jsonl"))) {
            JsonNode t = JSON.readTree(line);
            trials.put(t.get("case").asText() + "/" + t.get("model").asText() + "/" + t.get("repeat").asInt(), t);
        }
        return trials;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
