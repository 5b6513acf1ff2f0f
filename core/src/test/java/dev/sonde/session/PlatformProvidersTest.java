package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.suite.Suite;
import dev.sonde.testing.StubServer;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Platform credentials: resolved once per source, checked before anything is sent, never a command
 * from a {@code .env}, and the live banner names the source each model uses.
 */
class PlatformProvidersTest {
    @TempDir
    Path dir;

    private static final String ACCESS_KEY_ID = "AKIAFAKEFAKEFAKEWXYZ";
    private static final String SECRET = "obviously-fake-aws-secret-for-tests";
    private static final String TOKEN = "entra-token-from-the-command-0123456789";

    private static final String SUITE = """
            name: platform-sources
            endpoint: live
            models:
              - {id: br-a, provider: bedrock, model: claude-sonnet-4-5, region: us-east-1}
              - {id: br-b, provider: bedrock, model: claude-haiku-4-5, region: us-east-1}
              - {id: vx, provider: vertex, model: claude-sonnet-4-5@20250929, project: my-gcp-project, region: global}
              - {id: fd-a, provider: foundry, model: dep-a, resource: my-foundry, base_model: claude-sonnet-4-5}
              - {id: fd-b, provider: foundry, model: dep-b, resource: my-foundry, base_model: claude-haiku-4-5}
            cases:
              - {id: hi, prompt: "Say hi"}
            """;

    private Suite load() throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, SUITE);
        return SuiteLoader.load(f);
    }

    /** Google's token endpoint: a token for every grant, or {@code invalid_grant} once {@link #refuse} is set. */
    private StubServer google;
    private volatile boolean refuse;

    @BeforeEach
    void google() throws Exception {
        google = StubServer.start((request, response, out) -> {
            response.getHeaders().put("content-type", "application/json");
            if (refuse) {
                response.setStatus(400);
                StubServer.write(out, "{\n  \"error\": \"invalid_grant\",\n  \"error_description\": \"Token has been "
                        + "expired or revoked.\"\n}");
            } else {
                StubServer.write(out, "{\"access_token\":\"ya29.a0-platform-providers-test\",\"expires_in\":3600,"
                        + "\"token_type\":\"Bearer\"}");
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        google.close();
    }

    private Path adc() throws Exception {
        Path adc = dir.resolve("adc.json");
        Files.writeString(adc, "{\"type\":\"authorized_user\",\"client_id\":\"sonde-emulator\",\"client_secret\":"
                + "\"sonde-emulator-secret\",\"refresh_token\":\"sonde-emulator-refresh\",\"token_uri\":"
                + "\"" + google.baseUri() + "/token\"}");
        return adc;
    }

    private Map<String, String> env(Path counter) throws Exception {
        Path script = dir.resolve("token.sh");
        Files.writeString(script, "echo run >> '" + counter + "'\necho " + TOKEN + "\n");
        Path adc = adc();
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET,
                "GOOGLE_APPLICATION_CREDENTIALS", adc.toString(), "SONDE_FOUNDRY_TOKEN_COMMAND", "sh " + script);
    }

    @Test
    void two_models_on_one_token_command_run_it_once_at_set_up() throws Exception {
        Suite suite = load();
        Path counter = dir.resolve("runs.txt");
        Routes routes = Routes.resolve(suite, null, List.of(), List.of(), new Secrets(Map.of(), dir));

        PlatformProviders platforms = PlatformProviders.resolve(suite, routes.endpoints(),
                PlatformProviders.Environment.ofProcess(env(counter)));

        assertThat(Files.readAllLines(counter)).hasSize(1);
        assertThat(platforms.source("fd-a")).isEqualTo("SONDE_FOUNDRY_TOKEN_COMMAND");
        assertThat(platforms.source("fd-b")).isEqualTo("SONDE_FOUNDRY_TOKEN_COMMAND");
        assertThat(platforms.source("br-b")).isEqualTo("AWS_ACCESS_KEY_ID …WXYZ (env)");
        assertThat(platforms.mask(dev.sonde.api.SecretMask.NONE).mask("t " + TOKEN + " s " + SECRET))
                .isEqualTo("t [masked] s [masked]");
    }

    @Test
    void the_live_banner_names_the_source_each_platform_model_uses_and_never_a_value() throws Exception {
        Suite suite = load();
        Routes routes = Routes.resolve(suite, null, List.of(), List.of(), new Secrets(Map.of(), dir));
        PlatformProviders platforms = PlatformProviders.resolve(suite, routes.endpoints(),
                PlatformProviders.Environment.ofProcess(env(dir.resolve("runs.txt"))));

        List<String> lines = LiveBanner.lines(suite, routes, List.of(), platforms);

        assertThat(lines).contains(
                "LIVE → https://bedrock-runtime.us-east-1.amazonaws.com: br-a (claude-sonnet-4-5), br-b "
                        + "(claude-haiku-4-5); AWS credentials: AWS_ACCESS_KEY_ID …WXYZ (env)",
                "LIVE → https://aiplatform.googleapis.com: vx (claude-sonnet-4-5@20250929); Google credentials: "
                        + "GOOGLE_APPLICATION_CREDENTIALS authorized user",
                "LIVE → https://my-foundry.services.ai.azure.com: fd-a (dep-a), fd-b (dep-b); Foundry credentials: "
                        + "SONDE_FOUNDRY_TOKEN_COMMAND");
        String all = String.join("\n", lines);
        assertThat(all).doesNotContain(SECRET).doesNotContain(TOKEN).doesNotContain("AKIAFAKE")
                .doesNotContain("sonde-emulator-secret").doesNotContain("sonde-emulator-refresh");
    }

    private Suite load(String models) throws Exception {
        Path f = dir.resolve("one.yaml");
        Files.writeString(f, "name: one\nendpoint: live\nmodels:\n" + models + "cases:\n  - {id: hi, prompt: \"Say hi\"}\n");
        return SuiteLoader.load(f);
    }

    private PlatformProviders resolve(Suite suite, PlatformProviders.Environment env) throws Exception {
        Routes routes = Routes.resolve(suite, null, List.of(), List.of(), new Secrets(Map.of(), dir));
        return PlatformProviders.resolve(suite, routes.endpoints(), env);
    }

    @Test
    void a_token_command_in_a_dot_env_file_never_runs() throws Exception {
        Suite suite = load("  - {id: fd, provider: foundry, model: dep, resource: my-foundry, base_model: claude-sonnet-4-5}\n");
        Path pwned = dir.resolve("PWNED");
        Files.writeString(dir.resolve(".env"), "SONDE_FOUNDRY_TOKEN_COMMAND=\"sh -c 'touch " + pwned + "; exit 1'\"\n");

        assertThatThrownBy(() -> resolve(suite, PlatformProviders.environment(Map.of(), dir)))
                .isInstanceOf(SuiteSession.SetupException.class)
                .hasMessage("foundry (model fd): no Foundry credentials: set ANTHROPIC_FOUNDRY_API_KEY (an API key), "
                        + "ANTHROPIC_FOUNDRY_AUTH_TOKEN (an Entra token), or SONDE_FOUNDRY_TOKEN_COMMAND (a command that "
                        + "prints one) (SONDE_FOUNDRY_TOKEN_COMMAND in .env is ignored: set it in the process "
                        + "environment) (or use --endpoint emulator); nothing was sent")
                .satisfies(e -> assertThat(((SuiteSession.SetupException) e).exitCode()).isEqualTo(3));
        assertThat(pwned).doesNotExist();

        Path counter = dir.resolve("runs.txt");
        Path script = dir.resolve("token.sh");
        Files.writeString(script, "echo run >> '" + counter + "'\necho " + TOKEN + "\n");
        PlatformProviders fromProcess = resolve(suite, PlatformProviders.environment(
                Map.of("SONDE_FOUNDRY_TOKEN_COMMAND", "sh " + script), dir));
        assertThat(fromProcess.source("fd")).as("the process environment's command runs, over the file's")
                .isEqualTo("SONDE_FOUNDRY_TOKEN_COMMAND");
        assertThat(Files.readAllLines(counter)).hasSize(1);
        assertThat(pwned).doesNotExist();
    }

    @Test
    void an_adc_file_a_dot_env_names_may_only_be_a_service_account_or_an_authorized_user() throws Exception {
        Suite suite = load("  - {id: vx, provider: vertex, model: claude-sonnet-4-5@20250929, project: my-gcp-project, region: global}\n");
        Path external = dir.resolve("external.json");
        Files.writeString(external, "{\"type\":\"external_account\",\"audience\":\"x\",\"subject_token_type\":"
                + "\"urn:ietf:params:oauth:token-type:jwt\",\"token_url\":\"https://sts.googleapis.com/v1/token\","
                + "\"credential_source\":{\"url\":\"" + google.baseUri() + "/fetched-by-google-auth\"}}");
        Files.writeString(dir.resolve(".env"), "GOOGLE_APPLICATION_CREDENTIALS=" + external + "\n");

        assertThatThrownBy(() -> resolve(suite, PlatformProviders.environment(Map.of(), dir)))
                .isInstanceOf(SuiteSession.SetupException.class)
                .hasMessageStartingWith("vertex (model vx): GOOGLE_APPLICATION_CREDENTIALS from .env names a file of "
                        + "type external_account: ")
                .hasMessageEndingWith("nothing was sent").hasMessageNotContaining("fetched-by-google-auth")
                .satisfies(e -> assertThat(((SuiteSession.SetupException) e).exitCode()).isEqualTo(3));
        assertThat(google.received()).isEmpty();

        Files.writeString(dir.resolve(".env"), "GOOGLE_APPLICATION_CREDENTIALS=" + adc() + "\n");
        assertThat(resolve(suite, PlatformProviders.environment(Map.of(), dir)).source("vx"))
                .isEqualTo("GOOGLE_APPLICATION_CREDENTIALS authorized user");
    }

    @Test
    void a_refused_google_login_stops_the_run_at_set_up_before_any_model_is_sent() throws Exception {
        Suite suite = load("""
                  - {id: fd, provider: foundry, model: dep, resource: my-foundry, base_model: claude-sonnet-4-5}
                  - {id: vx, provider: vertex, model: claude-sonnet-4-5@20250929, project: my-gcp-project, region: global}
                """);
        refuse = true;
        Map<String, String> env = Map.of("ANTHROPIC_FOUNDRY_API_KEY", "fake-foundry-key-0123456789",
                "GOOGLE_APPLICATION_CREDENTIALS", adc().toString());

        assertThatThrownBy(() -> resolve(suite, PlatformProviders.Environment.ofProcess(env)))
                .isInstanceOf(SuiteSession.SetupException.class)
                .hasMessage("vertex (model vx): no access token: invalid_grant: Token has been expired or revoked.; run "
                        + "`gcloud auth application-default login` (or use --endpoint emulator); nothing was sent")
                .satisfies(e -> assertThat(((SuiteSession.SetupException) e).exitCode()).isEqualTo(3));
        assertThat(google.received()).hasSize(1);

        refuse = false;
        resolve(suite, PlatformProviders.Environment.ofProcess(env));
        assertThat(google.received()).as("a good login: one token, fetched at set-up").hasSize(2);
    }

    @Test
    void bedrock_and_claude_platform_on_aws_resolve_one_profile_once() throws Exception {
        Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null
                && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null,
                "the process environment holds AWS credentials the SDK's chain would find first");
        Suite suite = load("""
                  - {id: br, provider: bedrock, model: claude-sonnet-4-5, region: us-east-1}
                  - {id: cpa, provider: claude-platform-aws, model: claude-sonnet-4-5, region: us-east-1, workspace_id: wrkspc_1}
                """);
        Path counter = dir.resolve("process-runs.txt");
        Path process = Files.writeString(dir.resolve("creds.sh"), "echo run >> '" + counter + "'\n"
                + "echo '{\"Version\":1,\"AccessKeyId\":\"" + ACCESS_KEY_ID + "\",\"SecretAccessKey\":\"" + SECRET + "\"}'\n");
        Path config = Files.writeString(dir.resolve("aws-config"), "[default]\nregion = us-east-1\n"
                + "[profile proc]\ncredential_process = sh " + process
                + "\n[profile bad]\ncredential_process = sh -c 'exit 1'\n");
        Map<String, String> props = Map.of("aws.configFile", config.toString(),
                "aws.sharedCredentialsFile", dir.resolve("no-credentials").toString(), "aws.disableEc2Metadata", "true");
        Map<String, String> saved = new HashMap<>();
        props.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        try {
            PlatformProviders platforms = resolve(suite, PlatformProviders.Environment.ofProcess(Map.of("AWS_PROFILE", "proc")));

            assertThat(Files.readAllLines(counter)).as("credential_process ran once for both providers").hasSize(1);
            assertThat(platforms.source("br")).isEqualTo("profile proc");
            assertThat(platforms.source("cpa")).isEqualTo("profile proc");

            assertThatThrownBy(() -> resolve(suite, PlatformProviders.Environment.ofProcess(Map.of("AWS_PROFILE", "bad"))))
                    .isInstanceOf(SuiteSession.SetupException.class)
                    .hasMessage("bedrock (model br): profile bad: its credentials could not be resolved: check it, or "
                            + "set AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
                            + "(or use --endpoint emulator); nothing was sent");
            assertThatThrownBy(() -> resolve(suite, PlatformProviders.Environment.ofProcess(Map.of("AWS_PROFILE", "gone"))))
                    .hasMessageStartingWith("bedrock (model br): profile gone is not in the AWS config files: set ");
            assertThatThrownBy(() -> resolve(suite, PlatformProviders.Environment.ofProcess(Map.of())))
                    .as("the [default] profile holds only a region: no profile advice, the variables to set")
                    .hasMessage("bedrock (model br): no AWS credentials: set AWS_BEARER_TOKEN_BEDROCK, or "
                            + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (or use --endpoint emulator); "
                            + "nothing was sent");
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
}
