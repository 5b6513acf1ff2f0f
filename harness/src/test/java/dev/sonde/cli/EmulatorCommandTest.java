package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.bedrock.backends.BedrockBackend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.foundry.backends.FoundryBackend;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.sonde.emulator.EmulatorCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorCommandTest {
    @TempDir
    Path dir;

    @Test
    void a_trace_file_in_a_missing_folder_is_one_line_and_exit_2_before_anything_listens() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String trace = dir.resolve("no-such-folder").resolve("trace.jsonl").toString();
        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true),
                "emulator", "--port", "0", "--trace", trace);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("sonde: --trace " + trace + ": not a file in an existing folder");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void a_bad_platforms_or_credentials_entry_is_one_line_with_its_place_and_exit_2() throws Exception {
        Path config = dir.resolve("emulator.yaml");
        Files.writeString(config, "seed: 7\nplatforms:\n  bedrock: {latency: []}\n  gcp: {latency: []}\n");
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "emulator", "--port", "0", "--config", config.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("sonde: " + config + ":4:3: platforms.gcp: unknown platform "
                + "(expected one of [bedrock, claude-platform-aws, foundry, vertex])");
    }

    @Test
    void the_standalone_emulator_serves_the_platform_sdks_with_the_configs_credentials() throws Exception {
        Path config = dir.resolve("emulator.yaml");
        Files.writeString(config, "seed: 7\ncredentials:\n  foundry_api_key: cli-foundry-key\n");
        StringWriter out = new StringWriter();
        Thread server = Thread.ofPlatform().daemon().start(() -> Main.execute(Map.of(), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true), "emulator", "--port", "0", "--config", config.toString()));
        Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
        Matcher m = listening.matcher(out.toString());
        for (int i = 0; i < 200 && !m.find(); i++) {
            Thread.sleep(50);
            m = listening.matcher(out.toString());
        }
        // the command serves until its JVM ends (as under Ctrl-C): its daemon thread ends with the test JVM
        String base = m.group(1);
        MessageCreateParams request = MessageCreateParams.builder().model("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
                .maxTokens(50).addUserMessage("Hello").build();
        AnthropicClient bedrock = AnthropicOkHttpClient.builder().maxRetries(0).backend(BedrockBackend.builder()
                .awsCredentials(AwsBasicCredentials.create(EmulatorCredentials.AWS_ACCESS_KEY_ID,
                        EmulatorCredentials.AWS_SECRET_ACCESS_KEY))
                .region(Region.US_EAST_1).baseUrl(base).build()).build();
        AnthropicClient foundry = AnthropicOkHttpClient.builder().maxRetries(0)
                .backend(FoundryBackend.builder().apiKey("cli-foundry-key").baseUrl(base).build()).build();
        try {
            Message viaBedrock = bedrock.messages().create(request);
            Message viaFoundry = foundry.messages().create(request.toBuilder().model("claude-sonnet-4-5-20250929").build());
            assertThat(viaBedrock.content().getFirst().text().orElseThrow().text())
                    .isNotBlank().isEqualTo(viaFoundry.content().getFirst().text().orElseThrow().text());
        } finally {
            bedrock.close();
            foundry.close();
        }
        assertThat(server.isAlive()).isTrue();
    }
}
