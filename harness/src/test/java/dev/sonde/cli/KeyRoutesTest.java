package dev.sonde.cli;

import dev.sonde.session.SuiteSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.api.EndpointPolicy;
import dev.sonde.metrics.Clock;
import dev.sonde.run.TrialListener;
import dev.sonde.testing.StubServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a key may go is decided by the person running Sonde, never by the suite file a pull request
 * edits: a suite's endpoint or base_url outside the official hosts and loopback is exit 2 before
 * anything is sent, and api_key_env must name an *_API_KEY variable unless allowed.
 */
class KeyRoutesTest {
    private static final String KEY = "sonde-routes-test-key-0123456789";
    private static final String TOKEN = "ghp_ThisIsTheCiGithubToken0123456789";
    @TempDir
    Path dir;
    private StubServer server;

    @BeforeEach
    void start() throws Exception {
        server = StubServer.start((req, res, out) -> {
            res.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"fine\"}],\"stop_reason\":\"end_turn\","
                    + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}");
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Path suite(String models, String extra) throws Exception {
        Path file = dir.resolve("suite.yaml");
        Files.writeString(file, "name: routes\n" + extra + "models:\n" + models
                + "cases: [{id: one, prompt: hi, assert: [{type: contains, value: fine}]}]\n");
        return file;
    }

    private SecretEchoTest.Run run(Map<String, String> env, String... args) {
        return SecretEchoTest.run(env, args);
    }

    @Test
    void a_suite_endpoint_outside_the_allowed_hosts_is_exit_2_at_the_field_before_anything_is_sent() throws Exception {
        Path suite = suite("  - {id: a, model: claude-sonnet-4-6, stream: false}\n", "endpoint: https://collector.invalid/v1\n");
        SecretEchoTest.Run r = run(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--out", dir.resolve("o1").toString());
        assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).isEqualTo(suite + ":2:11: endpoint: https://collector.invalid/v1: keys are sent only to "
                + "https://api.anthropic.com, loopback addresses, the --endpoint given on the command line, or hosts allowed "
                + "with --allow-endpoint or SONDE_ALLOWED_ENDPOINTS (a suite file cannot allow a host): refused before "
                + "anything was sent");
        assertThat(dir.resolve("o1/trials.jsonl")).doesNotExist();
    }

    @Test
    void a_model_base_url_and_plain_http_to_the_official_host_are_refused_too() throws Exception {
        for (String url : List.of("http://collector.invalid:8080", "http://api.anthropic.com", "http://127.0.0.1.nip.io:1")) {
            Path suite = suite("  - {id: a, model: claude-sonnet-4-6, base_url: \"" + url + "\"}\n", "");
            SecretEchoTest.Run r = run(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--out",
                    dir.resolve("o-" + Math.abs(url.hashCode())).toString());
            assertThat(r.exit()).as(url).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).as(url).startsWith(suite + ":3:").contains("models[0].base_url: " + url + ": keys are sent only");
        }
    }

    @Test
    void loopback_endpoints_named_in_a_suite_work_with_no_flag() throws Exception {
        String base = server.baseUri().toString();
        for (String url : List.of(base, base.replace("127.0.0.1", "localhost"))) {
            Path suite = suite("  - {id: a, model: claude-sonnet-4-6, stream: false}\n", "endpoint: \"" + url + "\"\n");
            SecretEchoTest.Run r = run(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "-q", "--out",
                    dir.resolve("ok-" + Math.abs(url.hashCode())).toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(Main.PASSED);
        }
        assertThat(server.received()).hasSize(2).allSatisfy(q -> assertThat(q.header("x-api-key")).isEqualTo(KEY));
    }

    @Test
    void an_allowed_host_passes_the_check() throws Exception {
        // allowed by the environment: the run gets past the policy to the connection, which fails (no network)
        Path suite = suite("  - {id: a, model: claude-sonnet-4-6, base_url: \"https://gateway.invalid\"}\n", "");
        SuiteSession.Options refused = options(suite, Map.of("ANTHROPIC_API_KEY", KEY), List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SuiteSession.run(refused))
                .isInstanceOf(dev.sonde.suite.SuiteException.class).hasMessageContaining("models[0].base_url");
        for (SuiteSession.Options allowed : List.of(options(suite, Map.of("ANTHROPIC_API_KEY", KEY), List.of("gateway.invalid")),
                options(suite, Map.of("ANTHROPIC_API_KEY", KEY, EndpointPolicy.ENDPOINTS_ENV, "*.invalid"), List.of()))) {
            try {
                SuiteSession.run(allowed);
            } catch (dev.sonde.suite.SuiteException e) {
                throw new AssertionError("refused although allowed: " + e.getMessage());
            } catch (Exception unreachable) {
                // past the policy: the endpoint cannot be reached here, which is all this test needs
            }
        }
    }

    private SuiteSession.Options options(Path suite, Map<String, String> env, List<String> allow) {
        return new SuiteSession.Options(suite, null, dir.resolve("out-" + System.nanoTime()), null, null, dir, env,
                TrialListener.NONE, Clock.system(), null, false, null, false, false, allow, List.of());
    }

    @Test
    void api_key_env_must_end_in_api_key_unless_the_runner_allows_it() throws Exception {
        String base = server.baseUri().toString();
        Path suite = suite("  - {id: a, model: claude-sonnet-4-6, stream: false, api_key_env: GITHUB_TOKEN, base_url: \""
                + base + "\"}\n", "");
        Map<String, String> env = Map.of("GITHUB_TOKEN", TOKEN);
        SecretEchoTest.Run refused = run(env, "run", suite.toString(), "--out", dir.resolve("r1").toString());
        assertThat(refused.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(refused.err().strip()).startsWith(suite + ":3:").contains("models[0].api_key_env: GITHUB_TOKEN is not an "
                + "API key variable").doesNotContain(TOKEN);
        // refused with the emulator too: the rule is about what a suite may read, wherever it runs
        SecretEchoTest.Run emulated = run(env, "run", suite.toString(), "--endpoint", "emulator", "--out",
                dir.resolve("r2").toString());
        assertThat(emulated.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(server.received()).isEmpty();

        SecretEchoTest.Run byFlag = run(env, "run", suite.toString(), "-q", "--allow-key-env", "GITHUB_TOKEN", "--out",
                dir.resolve("r3").toString());
        assertThat(byFlag.exit()).as(byFlag.err()).isEqualTo(Main.PASSED);
        SecretEchoTest.Run byEnv = run(Map.of("GITHUB_TOKEN", TOKEN, EndpointPolicy.KEY_ENVS_ENV, "GITHUB_TOKEN"), "run",
                suite.toString(), "-q", "--out", dir.resolve("r4").toString());
        assertThat(byEnv.exit()).as(byEnv.err()).isEqualTo(Main.PASSED);
        assertThat(server.received()).hasSize(2).allSatisfy(q -> assertThat(q.header("x-api-key")).isEqualTo(TOKEN));
    }

    @Test
    void a_suite_cannot_send_one_providers_key_to_another_provider() throws Exception {
        Path suite = suite("  - {id: a, model: gpt-x, provider: openai-chat, api_key_env: ANTHROPIC_API_KEY}\n", "");
        SecretEchoTest.Run r = run(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--out",
                dir.resolve("cross").toString());
        assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("models[0].api_key_env: ANTHROPIC_API_KEY is anthropic's key and this model is "
                + "openai-chat").doesNotContain(KEY);
    }

    @Test
    void a_bad_allow_entry_is_exit_2_in_one_line() throws Exception {
        Path suite = suite("  - {id: a, model: claude-sonnet-4-6}\n", "");
        SecretEchoTest.Run r = run(Map.of(), "run", suite.toString(), "--allow-endpoint", "ftp://x.example", "--out",
                dir.resolve("bad").toString());
        assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).startsWith("sonde: --allow-endpoint: 'ftp://x.example' is neither a host").doesNotContain("\n");
    }

    @Test
    void a_dot_env_that_is_not_utf8_is_one_line_naming_it_and_never_breaks_an_emulator_run() throws Exception {
        Files.write(dir.resolve(".env"), new byte[] {'A', '=', (byte) 0xC3, (byte) 0x28, '\n'});
        Path emulated = suite("  - {id: a, model: claude-sonnet-4-6}\n", "");
        Files.writeString(emulated, Files.readString(emulated).replace("assert: [{type: contains, value: fine}]", ""));
        SuiteSession.Outcome outcome = SuiteSession.run(new SuiteSession.Options(emulated, null, dir.resolve("emu"), null,
                null, dir, Map.of(), TrialListener.NONE, Clock.system()));
        assertThat(outcome.passed()).isTrue();

        Path live = suite("  - {id: a, model: claude-sonnet-4-6, stream: false}\n", "endpoint: \"" + server.baseUri() + "\"\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SuiteSession.run(new SuiteSession.Options(live, null,
                        dir.resolve("live"), null, null, dir, Map.of(), TrialListener.NONE, Clock.system())))
                .isInstanceOfSatisfying(SuiteSession.SetupException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(Main.BAD_INPUT);
                    assertThat(e.getMessage()).isEqualTo(dir.resolve(".env") + ": not UTF-8 text, so no key was read "
                            + "from it (save it as UTF-8)");
                });
        // the real environment wins, so the broken file is not even read
        SuiteSession.Outcome withKey = SuiteSession.run(new SuiteSession.Options(live, null, dir.resolve("live2"), null,
                null, dir, Map.of("ANTHROPIC_API_KEY", KEY), TrialListener.NONE, Clock.system()));
        assertThat(withKey.passed()).isTrue();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void the_project_ignores_dot_env() throws Exception {
        Path gitignore = Path.of(System.getProperty("sonde.projectDir", "..")).resolve(".gitignore");
        assertThat(Files.readAllLines(gitignore, StandardCharsets.UTF_8)).contains(".env");
    }
}
