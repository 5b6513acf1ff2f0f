package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.EmulatorCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void the_console_names_the_platform_beside_each_model_and_recommendation_as_the_reports_do() throws Exception {
        Path suite = write(SUITE.replace("  - id: br\n", "  - id: bedrock\n") + """
                compare: {baseline: first-party, candidates: [bedrock]}
                """);
        Path out = dir.resolve("out");
        Result r = sonde("run", suite.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\n  bedrock (us-east-1)  ").contains("\n  first-party      ")
                .contains("\nrecommendation: bedrock (us-east-1) passes ");
        assertThat(Files.readString(out.resolve("summary.md"))).contains("| bedrock (us-east-1) |")
                .contains("**bedrock (us-east-1): ");

        Path other = write(SUITE + """
                compare: {baseline: first-party, candidates: [br]}
                """);
        Result named = sonde("run", other.toString(), "--out", dir.resolve("out2").toString());
        assertThat(named.exit()).as(named.err()).isZero();
        assertThat(named.out()).contains("\n  br (bedrock · us-east-1)  ")
                .contains("\n  first-party               ").contains("\nrecommendation: br (bedrock · us-east-1) passes ");
        // one column: the pass counts of both rows start at the same place
        List<String> rows = named.out().lines().filter(l -> l.contains(" pass  ttft")).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).indexOf("/")).isEqualTo(rows.get(1).indexOf("/"));
    }

    /**
     * Bedrock's invocation metrics are the server's own measure of the call, inside the client's:
     * the emulator counts from when it had read the request whole (its body's last byte) —
     * {@code firstByteLatency} to the first content delta written, after the modelled time to the
     * first token, {@code invocationLatency} to the write of the final frame that carries it — and
     * the client counts {@code ttft_ms} and {@code e2e_ms} from Jetty's commit event, after it has
     * written that whole request, to the first delta and the last byte received. The server ends no
     * later (a byte is received after it is written) and its figures are whole milliseconds cut down.
     * It starts no earlier than the write, but the commit event is a callback the client's thread runs
     * after the write returns, and a busy or cold JVM runs it late: measured here, up to ~5 ms after
     * the emulator had read the body, on the first trials of a run. That lag is the one residual, and
     * it is physically bounded by the client's own {@code dispatch_ms} (the call to the commit event,
     * which holds the write and the callback's lag), so each server figure is at most the client's
     * TTFT or E2E plus that trial's {@code dispatch_ms} — against the embedded emulator and against
     * one on its own — and the first-byte figure holds the modelled TTFT.
     */
    @Test
    void bedrock_invocation_metrics_stay_within_the_clients_ttft_and_e2e() throws Exception {
        Files.writeString(dir.resolve("emu.yaml"), """
                latency:
                  - {model: "*", ttft_base_ms: 300, prefill_us_per_token: 0, output_tokens_per_second: 150, jitter_sigma: 0}
                """);
        Path suite = write("""
                name: bedrock-timings
                emulator: {config: emu.yaml}
                run: {repeat: 4, concurrency: 2}
                models:
                  - id: br
                    provider: bedrock
                    model: anthropic.claude-sonnet-4-5-20250929-v1:0
                    region: us-east-1
                    params: {max_tokens: 40}
                cases:
                  - {id: hi, prompt: "Say hi"}
                  - {id: harbours, prompt: "Tell me about harbours"}
                """);
        Path embedded = dir.resolve("embedded");
        Result r = sonde("run", suite.toString(), "--out", embedded.toString(), "-q");
        assertThat(r.exit()).as(r.err()).isZero();
        assertServerTimesWithinClients(embedded);

        Path standalone = dir.resolve("standalone");
        try (Emulator emu = Emulator.start(EmulatorConfig.load(dir.resolve("emu.yaml")).toBuilder().port(0).build())) {
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", EmulatorCredentials.AWS_ACCESS_KEY_ID,
                    "AWS_SECRET_ACCESS_KEY", EmulatorCredentials.AWS_SECRET_ACCESS_KEY);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), "run", suite.toString(),
                    "--endpoint", emu.baseUri().toString(), "--out", standalone.toString(), "-q");
            assertThat(code).as(err.toString()).isZero();
            assertThat(emu.requests()).hasSize(8).allSatisfy(q -> assertThat(q.route()).isEqualTo("bedrock-invoke"));
        }
        assertServerTimesWithinClients(standalone);
    }

    private static void assertServerTimesWithinClients(Path out) throws Exception {
        List<String> lines = Files.readAllLines(out.resolve("trials.jsonl"));
        assertThat(lines).hasSize(8);
        for (String line : lines) {
            JsonNode t = new ObjectMapper().readTree(line);
            String id = out.getFileName() + " " + t.get("trial_id").asText();
            double ttft = t.at("/timings/ttft_ms").asDouble();
            double e2e = t.at("/timings/e2e_ms").asDouble();
            double commitLag = t.at("/timings/dispatch_ms").asDouble(); // the bound of the commit event's lag
            assertThat(t.path("server_first_byte_ms").isNumber()).as(id + " " + t).isTrue();
            double firstByte = t.get("server_first_byte_ms").asDouble();
            double latency = t.get("server_latency_ms").asDouble();
            assertThat(firstByte).as(id + " server first byte vs the client's TTFT " + ttft + " (+ " + commitLag + ")")
                    .isLessThanOrEqualTo(ttft + commitLag).isGreaterThanOrEqualTo(300);
            assertThat(latency).as(id + " server latency vs the client's E2E " + e2e + " (+ " + commitLag + ")")
                    .isLessThanOrEqualTo(e2e + commitLag).isGreaterThanOrEqualTo(firstByte);
        }
    }
}
