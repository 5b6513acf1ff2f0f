package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.VirtualClock;
import dev.sonde.testing.StubServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class FoundryClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The emulator's Foundry key (EmulatorCredentials.FOUNDRY_API_KEY). */
    private static final String KEY = "sonde-emulator-foundry-key";
    private static final String ENTRA = "eyJ0eXAiOiJKV1Qi.entra-test-token.sig";
    private static Path scripts;

    @BeforeAll
    static void scripts() throws Exception {
        scripts = Files.createDirectories(Path.of("target", "foundry-token-scripts").toAbsolutePath());
        // prints a new token each run (counted in the file named by its argument), then a line never read
        script("counting.sh", """
                n=$(cat "$1" 2>/dev/null || echo 0)
                n=$((n+1))
                echo "$n" > "$1"
                echo "entra-command-token-$n-abcdef"
                echo "second line, never used"
                echo "noise on stderr" >&2
                """);
        script("failing.sh", "echo \"entra-leaked-on-failure-123456\"\necho 'oops secret-stderr' >&2\nexit 3\n");
        script("slow.sh", "sleep 20\necho late-token-0123456789\n");
    }

    private static Path script(String name, String body) throws Exception {
        Path file = scripts.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static MessageRequest request(boolean stream) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"model\":\"my-sonnet-deployment\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        body.put("stream", stream);
        return new MessageRequest(body, Map.of("anthropic-beta", "feature-a", "api-key", "suite-override",
                "Authorization", "Bearer suite-override", "Host", "evil.example"), Duration.ofSeconds(5));
    }

    private static FoundryClient client(URI base, FoundryAuth auth) {
        return new FoundryClient(base, auth, SecretMask.NONE, Clock.system(), Duration.ofSeconds(2));
    }

    private static StubServer.Script message(Function<StubServer.Received, String> text) {
        return (request, response, out) -> {
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                    + "\"my-sonnet-deployment\",\"content\":[{\"type\":\"text\",\"text\":"
                    + JSON.writeValueAsString(text.apply(request)) + "}],\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":3}}");
        };
    }

    private static FoundryAuth fromEnv(Map<String, String> env, Clock clock, Duration bound) throws Exception {
        return FoundryAuth.fromEnvironment("fd-sonnet", env, null, clock, bound);
    }

    @Test
    void an_api_key_goes_as_x_api_key_to_the_anthropic_root_with_the_body_as_it_is() throws Exception {
        try (StubServer server = StubServer.start(StubServer.messagesStream(0));
                FoundryClient client = client(server.baseUri(), fromEnv(Map.of(FoundryAuth.API_KEY_ENV, KEY),
                        Clock.system(), FoundryAuth.COMMAND_BOUND))) {
            Exchange ex = client.send(request(true));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("Paris");
            StubServer.Received sent = server.received().get(0);
            assertThat(sent.path()).isEqualTo("/anthropic/v1/messages");
            assertThat(sent.header("x-api-key")).isEqualTo(KEY);
            assertThat(sent.header("authorization")).isNull();
            assertThat(sent.header("api-key")).isNull();
            assertThat(sent.header("host")).startsWith("127.0.0.1:");
            assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(sent.header("anthropic-beta")).isEqualTo("feature-a");
            assertThat(sent.header("accept")).isEqualTo("text/event-stream");
            assertThat(JSON.readTree(sent.body())).isEqualTo(request(true).body());
        }
    }

    @Test
    void a_base_already_ending_in_anthropic_gets_no_second_one_and_count_tokens_goes_beside_messages() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"input_tokens\":11}");
        }); FoundryClient client = client(URI.create(server.baseUri() + "/anthropic/"),
                FoundryAuth.bearer(ApiKey.of(ENTRA)))) {
            Exchange ex = client.countTokens(request(false));

            assertThat(ex.failure()).isNull();
            assertThat(ex.usage().raw().path("input_tokens").asInt()).isEqualTo(11);
            StubServer.Received sent = server.received().get(0);
            assertThat(sent.path()).isEqualTo("/anthropic/v1/messages/count_tokens");
            assertThat(sent.header("authorization")).isEqualTo("Bearer " + ENTRA);
            assertThat(sent.header("x-api-key")).isNull();
            assertThat(JSON.readTree(sent.body()).path("model").asText()).isEqualTo("my-sonnet-deployment");
        }
    }

    @Test
    @Tag("hostile")
    void a_key_in_api_key_env_is_sent_once_and_never_reaches_the_exchange_when_echoed() throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.setStatus(401);
            response.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied for key "
                    + request.header("x-api-key") + "\"}}");
        }); FoundryClient client = client(server.baseUri(), FoundryAuth.fromEnvironment("fd", Map.of("MY_FOUNDRY_KEY",
                KEY, FoundryAuth.API_KEY_ENV, "unused-other-key-123"), "MY_FOUNDRY_KEY"))) {
            Exchange ex = client.send(request(false));

            assertThat(server.received()).hasSize(1); // a fixed key is not tried twice
            assertThat(server.received().get(0).header("x-api-key")).isEqualTo(KEY);
            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.AUTH);
            assertThat(ex.failure().message()).isEqualTo("Access denied for key [masked]");
        }
    }

    @Test
    @Tag("hostile")
    void a_command_token_is_used_masked_and_fetched_again_once_after_a_401() throws Exception {
        Path counter = scripts.resolve("counter-401");
        Files.deleteIfExists(counter);
        Map<String, String> env = Map.of(FoundryAuth.COMMAND_ENV, "'" + scripts.resolve("counting.sh") + "' " + counter);
        FoundryAuth auth = fromEnv(env, Clock.system(), FoundryAuth.COMMAND_BOUND);
        try (StubServer server = StubServer.start((request, response, out) -> {
            if (request.header("authorization").contains("-1-")) {
                response.setStatus(401);
                response.getHeaders().put("content-type", "application/json");
                StubServer.write(out, "{\"error\":{\"code\":\"401\",\"message\":\"expired "
                        + request.header("authorization") + "\"}}");
            } else {
                message(r -> "you sent " + r.header("authorization")).answer(request, response, out);
            }
        }); FoundryClient client = client(server.baseUri(), auth)) {
            Exchange ex = client.send(request(false));

            assertThat(ex.failure()).isNull();
            assertThat(ex.text()).isEqualTo("you sent Bearer [masked]");
            assertThat(server.received()).extracting(r -> r.header("authorization"))
                    .containsExactly("Bearer entra-command-token-1-abcdef", "Bearer entra-command-token-2-abcdef");
            assertThat(auth.secrets()).extracting(ApiKey::reveal)
                    .containsExactly("entra-command-token-1-abcdef", "entra-command-token-2-abcdef");
            assertThat(auth.toString()).doesNotContain("entra-command-token");
        }
        // a second 401 stands: the command is not run in a loop
        try (StubServer server = StubServer.start((request, response, out) -> {
            response.setStatus(401);
            StubServer.write(out, "{\"error\":{\"code\":\"401\",\"message\":\"no\"}}");
        }); FoundryClient client = client(server.baseUri(), auth)) {
            Exchange ex = client.send(request(false));

            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.AUTH);
            assertThat(server.received()).hasSize(2);
            assertThat(Files.readString(counter).strip()).isEqualTo("3");
        }
    }

    @Test
    void a_command_token_is_fetched_again_after_45_minutes() throws Exception {
        Path counter = scripts.resolve("counter-age");
        Files.deleteIfExists(counter);
        VirtualClock clock = new VirtualClock(Clock.system());
        FoundryAuth auth = fromEnv(Map.of(FoundryAuth.COMMAND_ENV, scripts.resolve("counting.sh") + " " + counter), clock,
                FoundryAuth.COMMAND_BOUND);

        assertThat(auth.credential().value()).isEqualTo("Bearer entra-command-token-1-abcdef");
        clock.advanceNanos(Duration.ofMinutes(44).toNanos());
        assertThat(auth.credential().value()).isEqualTo("Bearer entra-command-token-1-abcdef");
        clock.advanceNanos(Duration.ofMinutes(1).toNanos());
        assertThat(auth.credential().value()).isEqualTo("Bearer entra-command-token-2-abcdef");
        assertThat(auth.credential().header()).isEqualTo("authorization");
    }

    @Test
    @Tag("hostile")
    void a_failing_command_names_the_variable_and_exit_code_never_its_output() throws Exception {
        assertThatThrownBy(() -> fromEnv(Map.of(FoundryAuth.COMMAND_ENV, scripts.resolve("failing.sh").toString()),
                Clock.system(), FoundryAuth.COMMAND_BOUND))
                .isInstanceOf(MissingCredentials.class)
                .hasMessage("foundry (model fd-sonnet): SONDE_FOUNDRY_TOKEN_COMMAND exited with code 3 "
                        + "(its output is not shown)");
    }

    @Test
    @Tag("hostile")
    void a_slow_command_is_stopped_at_its_bound() throws Exception {
        long start = System.nanoTime();
        assertThatThrownBy(() -> fromEnv(Map.of(FoundryAuth.COMMAND_ENV, scripts.resolve("slow.sh").toString()),
                Clock.system(), Duration.ofMillis(300)))
                .isInstanceOf(MissingCredentials.class)
                .hasMessage("foundry (model fd-sonnet): SONDE_FOUNDRY_TOKEN_COMMAND did not finish within 300 ms "
                        + "and was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @Tag("hostile")
    void a_command_that_prints_a_huge_line_or_nothing_or_cannot_start_gives_one_line() throws Exception {
        Path huge = script("huge.sh", "head -c 20000 /dev/zero | tr '\\000' a\necho\n");
        Path empty = script("empty.sh", "echo\n");
        Map<Path, String> expected = new HashMap<>();
        expected.put(huge, "SONDE_FOUNDRY_TOKEN_COMMAND printed a first line longer than 16384 bytes");
        expected.put(empty, "SONDE_FOUNDRY_TOKEN_COMMAND printed no token on its first line");
        expected.put(scripts.resolve("absent.sh"), "SONDE_FOUNDRY_TOKEN_COMMAND: its program "
                + scripts.resolve("absent.sh") + " could not be started");
        for (Map.Entry<Path, String> e : expected.entrySet()) {
            assertThatThrownBy(() -> fromEnv(Map.of(FoundryAuth.COMMAND_ENV, e.getKey().toString()), Clock.system(),
                    FoundryAuth.COMMAND_BOUND)).isInstanceOf(MissingCredentials.class)
                    .hasMessage("foundry (model fd-sonnet): " + e.getValue());
        }
    }

    @Test
    void a_command_line_splits_at_whitespace_and_keeps_quoted_text_together() throws Exception {
        assertThat(TokenCommand.parse("V", "  az account  'get-access-token' --query \"a b\"c ''", Duration.ofSeconds(1))
                .argv()).containsExactly("az", "account", "get-access-token", "--query", "a bc", "");
        assertThatThrownBy(() -> TokenCommand.parse("V", "az 'oops", Duration.ofSeconds(1)))
                .hasMessage("V has a single quote that is never closed");
    }

    @Test
    void missing_credentials_are_one_line_naming_what_to_set_and_no_value() throws Exception {
        assertThatThrownBy(() -> FoundryAuth.fromEnvironment("fd-sonnet", Map.of(), null))
                .isInstanceOf(MissingCredentials.class)
                .hasMessage("foundry (model fd-sonnet): no Foundry credentials: set ANTHROPIC_FOUNDRY_API_KEY (an API "
                        + "key), ANTHROPIC_FOUNDRY_AUTH_TOKEN (an Entra token), or SONDE_FOUNDRY_TOKEN_COMMAND (a command "
                        + "that prints one)");
        assertThatThrownBy(() -> FoundryAuth.fromEnvironment("fd-sonnet", Map.of(), "MY_KEY"))
                .hasMessageContaining("set MY_KEY (an API key)");
        assertThatThrownBy(() -> FoundryAuth.fromEnvironment("fd-sonnet",
                Map.of(FoundryAuth.TOKEN_ENV, "entra-token\nInjected: yes"), null))
                .isInstanceOf(MissingCredentials.class)
                .hasMessage("foundry (model fd-sonnet): ANTHROPIC_FOUNDRY_AUTH_TOKEN is not a usable key: it holds a "
                        + "line break at character 12 (keys are visible ASCII; the value is not shown)");
        assertThat(List.of(FoundryAuth.apiKey(ApiKey.of(KEY)).toString(), FoundryAuth.bearer(ApiKey.of(ENTRA)).toString()))
                .noneMatch(s -> s.contains(KEY) || s.contains(ENTRA));
    }

    @Test
    void the_source_names_the_variable_used_and_no_value() throws Exception {
        assertThat(FoundryAuth.fromEnvironment("fd", Map.of(FoundryAuth.API_KEY_ENV, KEY), null).source())
                .isEqualTo("ANTHROPIC_FOUNDRY_API_KEY");
        assertThat(FoundryAuth.fromEnvironment("fd", Map.of("MY_KEY", KEY), "MY_KEY").source()).isEqualTo("MY_KEY");
        assertThat(FoundryAuth.fromEnvironment("fd", Map.of(FoundryAuth.TOKEN_ENV, ENTRA), null).source())
                .isEqualTo("Entra token from ANTHROPIC_FOUNDRY_AUTH_TOKEN");
    }
}
