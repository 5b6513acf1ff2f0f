package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Platform credentials: resolved once per source, and the live banner names the source each model uses. */
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

    private Map<String, String> env(Path counter) throws Exception {
        Path script = dir.resolve("token.sh");
        Files.writeString(script, "echo run >> '" + counter + "'\necho " + TOKEN + "\n");
        Path adc = dir.resolve("adc.json");
        Files.writeString(adc, "{\"type\":\"authorized_user\",\"client_id\":\"sonde-emulator\",\"client_secret\":"
                + "\"sonde-emulator-secret\",\"refresh_token\":\"sonde-emulator-refresh\",\"token_uri\":"
                + "\"http://127.0.0.1:9/token\"}");
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET,
                "GOOGLE_APPLICATION_CREDENTIALS", adc.toString(), "SONDE_FOUNDRY_TOKEN_COMMAND", "sh " + script);
    }

    @Test
    void two_models_on_one_token_command_run_it_once_at_set_up() throws Exception {
        Suite suite = load();
        Path counter = dir.resolve("runs.txt");
        Routes routes = Routes.resolve(suite, null, List.of(), List.of(), new Secrets(Map.of(), dir));

        PlatformProviders platforms = PlatformProviders.resolve(suite, routes.endpoints(), env(counter));

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
        PlatformProviders platforms = PlatformProviders.resolve(suite, routes.endpoints(), env(dir.resolve("runs.txt")));

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
}
