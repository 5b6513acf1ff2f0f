package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run refuses of a cloud platform model: one line and exit 2, before anything is sent. */
class PlatformCliTest {
    @TempDir
    Path dir;

    private static final String SUITE = """
            name: platforms-cli
            models:
              - {id: first-party, model: claude-sonnet-4-5, params: {max_tokens: 64}}
              - id: br
                provider: bedrock
                model: anthropic.claude-opus-4-1-20250805-v1:0
                region: us-east-1
                params: {max_tokens: 64}
            cases:
              - {id: hi, prompt: "Say hi"}
            """;

    record Result(int exit, String out, String err) {}

    private Result sonde(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The last line of {@code err}: the refusal (a lint warning may come before it). */
    private static String last(String err) {
        String[] lines = err.strip().split("\n");
        return lines[lines.length - 1];
    }

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("suite.yaml"), yaml);
    }

    @Test
    void batch_mode_with_a_platform_model_is_one_line_and_exit_2() throws Exception {
        Path suite = write(SUITE);
        Path out = dir.resolve("out");
        Result flag = sonde("run", suite.toString(), "--batch", "--out", out.toString());
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(last(flag.err())).isEqualTo("sonde: --batch: model br runs on bedrock, and Message Batches are not "
                + "offered through the cloud platforms' Claude integrations: run it without --batch");
        assertThat(out).doesNotExist();
        Result file = sonde("run", write(SUITE + "run: {mode: batch}\n").toString(), "--out", out.toString());
        assertThat(file.exit()).isEqualTo(2);
        assertThat(file.err().strip()).startsWith(suite + ":11:13: run.mode: model br runs on bedrock").doesNotContain("\n");
    }

    @Test
    void recording_an_invoke_model_is_one_line_and_exit_2() throws Exception {
        Result r = sonde("run", write(SUITE).toString(), "--record", dir.resolve("rec.yaml").toString(), "--endpoint",
                "http://127.0.0.1:9", "--out", dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(last(r.err())).startsWith("sonde: --record: model br runs on bedrock (InvokeModel), whose requests "
                + "are not Messages API requests").doesNotContain("\n");
        assertThat(dir.resolve("rec.yaml")).doesNotExist();
    }

    @Test
    void lint_refuses_a_platform_field_on_the_first_party_model_at_the_field() throws Exception {
        Path suite = write(SUITE.replace("model: claude-sonnet-4-5,", "model: claude-sonnet-4-5, region: us-east-1,"));
        Result r = sonde("lint", suite.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith(suite + ":3:57: models[0].region: region is a field of bedrock, "
                + "claude-platform-aws, vertex models").doesNotContain("\n");
    }
}
