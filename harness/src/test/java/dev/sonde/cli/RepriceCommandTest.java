package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RepriceCommandTest {
    /** Sonnet 4.6: a mixed-TTL write, a read and a batch-tier trial ($0.0573 recorded), a skipped trial; one unpriced model. */
    private static final String JOURNAL = """
            {"trial_id":"a/sonnet/0","case":"a","model":"sonnet","model_id":"claude-sonnet-4-6","pass":true,"usage":{"input_tokens":1000,"cache_creation_input_tokens":3000,"cache_creation":{"ephemeral_5m_input_tokens":2000,"ephemeral_1h_input_tokens":1000},"output_tokens":500},"cost_usd":0.024,"unpriced":false}
            {"trial_id":"b/sonnet/0","case":"b","model":"sonnet","model_id":"claude-sonnet-4-6","pass":true,"usage":{"input_tokens":200,"cache_read_input_tokens":4000,"output_tokens":100},"cost_usd":0.0033,"unpriced":false}
            {"trial_id":"c/sonnet/0","case":"c","model":"sonnet","model_id":"claude-sonnet-4-6","pass":true,"usage":{"input_tokens":10000,"output_tokens":2000,"service_tier":"batch"},"cost_usd":0.03,"unpriced":false}
            {"trial_id":"d/sonnet/0","case":"d","model":"sonnet","model_id":"claude-sonnet-4-6","pass":false,"cost_usd":null,"skipped":"budget: max_usd reached"}
            {"trial_id":"a/future/0","case":"a","model":"future","model_id":"claude-sonnet-5","pass":true,"usage":{"input_tokens":1000,"cache_creation_input_tokens":400,"output_tokens":100},"cost_usd":null,"unpriced":true}
            """;

    @TempDir
    Path dir;

    private Path run;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeRun() throws Exception {
        run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("trials.jsonl"), JOURNAL);
        Files.writeString(run.resolve("results.json"), "{\"run\":{\"suite\":\"regression\"}}");
    }

    private int reprice(String... args) {
        CommandLine cli = new CommandLine(new RepriceCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fields().forEachRemaining(f -> {
            names.add(f.getKey());
            names.addAll(fieldNames(f.getValue()));
        });
        node.elements().forEachRemaining(e -> {
            if (!node.isObject()) {
                names.addAll(fieldNames(e));
            }
        });
        return names;
    }

    @Test
    void prints_a_table_per_source_model_and_writes_snake_case_json() throws Exception {
        int code = reprice(run.toString(), "--model", "claude-haiku-4-5");

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        String table = out.toString();
        assertThat(table).containsPattern("(?m)^sonnet\\s+claude-sonnet-4-6\\s+3\\s+\\$0\\.057300\\s+\\$0\\.019100\\s+0\\.333x$");
        assertThat(table).containsPattern("(?m)^future\\s+claude-sonnet-5\\s+1\\s+unpriced\\s+\\$0\\.002000\\s+-$");
        assertThat(table).containsPattern(
                "(?m)^total\\s+4\\s+\\$0\\.057300 \\(1 unpriced\\)\\s+\\$0\\.021100\\s+0\\.333x$");
        assertThat(table).contains("1 skipped trial(s)", "same tokens at the other price");

        Path file = run.resolve("reprice-claude-haiku-4-5.json");
        assertThat(table).contains("reprice: " + file.toAbsolutePath().normalize());
        JsonNode doc = Journal.JSON.readTree(file.toFile());
        assertThat(doc.path("target_model").asText()).isEqualTo("claude-haiku-4-5");
        JsonNode sonnet = doc.path("models").get(0);
        assertThat(sonnet.path("model").asText()).isEqualTo("sonnet");
        assertThat(sonnet.path("tokens").path("cache_write_1h").asLong()).isEqualTo(1000);
        assertThat(sonnet.path("repriced_by_kind").path("cache_write_5m_usd").asDouble()).isCloseTo(0.0025, offset(1e-12));
        assertThat(sonnet.path("recorded_usd").asDouble()).isCloseTo(0.0573, offset(1e-12));
        assertThat(doc.path("models").get(1).path("recorded_usd").isNull()).isTrue();
        assertThat(doc.path("total").path("ratio").asDouble()).isCloseTo(1.0 / 3, offset(1e-9));
        assertThat(doc.path("caveat").asText()).contains("same tokens at the other price");
        assertThat(fieldNames(doc)).allMatch(n -> n.equals(n.toLowerCase()), "snake_case");
    }

    @Test
    void json_flag_prints_the_json_that_is_written() throws Exception {
        int code = reprice(run.toString(), "--model", "claude-opus-4-7", "--json");

        assertThat(code).isZero();
        JsonNode printed = Journal.JSON.readTree(out.toString());
        assertThat(printed).isEqualTo(Journal.JSON.readTree(run.resolve("reprice-claude-opus-4-7.json").toFile()));
        assertThat(printed.path("models").get(0).path("ratio").asDouble()).isCloseTo(5.0 / 3, offset(1e-9));
    }

    @Test
    void an_unknown_target_model_exits_2_with_one_line_and_writes_nothing() throws Exception {
        int code = reprice(run.toString(), "--model", "claude-sonnet-5");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("sonde: claude-sonnet-5 has no price")
                .contains("--pricing FILE");
        assertThat(out.toString()).isEmpty();
        try (var files = Files.list(run)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("trials.jsonl",
                    "results.json");
        }
    }

    @Test
    void a_pricing_file_prices_a_new_target() throws Exception {
        Path prices = dir.resolve("prices.yaml");
        Files.writeString(prices, "models:\n  claude-sonnet-5: {input: 6, output: 30}\n");

        int code = reprice(run.toString(), "--model", "claude-sonnet-5", "--pricing", prices.toString(), "--json");

        assertThat(code).as(err.toString()).isZero();
        assertThat(Journal.JSON.readTree(out.toString()).path("models").get(0).path("ratio").asDouble())
                .isCloseTo(2.0, offset(1e-9));
    }

    @Test
    void a_folder_that_is_not_a_run_exits_2_with_one_line() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        int code = reprice(empty.toString(), "--model", "claude-haiku-4-5");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().contains("is not a finished run");
    }

    @Test
    void a_corrupt_journal_line_exits_2_naming_the_line() throws Exception {
        List<String> lines = JOURNAL.lines().toList();
        Files.writeString(run.resolve("trials.jsonl"), lines.get(0) + "\nnot json\n" + lines.get(1) + "\n");

        int code = reprice(run.toString(), "--model", "claude-haiku-4-5");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().contains("trials.jsonl:2: not JSON")
                .contains("sonde journal repair " + run);
    }

    @Test
    void an_unwritable_output_exits_3() throws Exception {
        Files.createDirectories(run.resolve("reprice-claude-haiku-4-5.json"));

        int code = reprice(run.toString(), "--model", "claude-haiku-4-5");

        assertThat(code).isEqualTo(3);
        assertThat(err.toString()).startsWith("sonde: cannot write");
    }

    @Test
    void a_platform_price_key_target_is_priced_there_and_both_sides_name_their_platform() throws Exception {
        Files.writeString(run.resolve("run.json"), """
                {"suite":"regression","models":[{"id":"sonnet","model":"us.anthropic.claude-sonnet-4-6-v1",
                 "provider":"bedrock","region":"us-east-1"},{"id":"future","model":"claude-sonnet-5"}]}""");
        int code = reprice(run.toString(), "--model", "vertex/us-east5/claude-haiku-4-5@20251001");

        assertThat(code).as(err.toString()).isZero();
        String table = out.toString();
        // Haiku 4.5 on a Vertex regional endpoint: $1.10 in, $5.50 out (10 % over the list price)
        assertThat(table).contains("at vertex/us-east5/claude-haiku-4-5@20251001 (vertex · us-east5) prices ($1.10/MTok in,"
                + " $5.50/MTok out");
        assertThat(table).containsPattern("(?m)^sonnet \\(bedrock · us-east-1\\)\\s+claude-sonnet-4-6\\s+3\\s");
        assertThat(table).containsPattern("(?m)^future\\s+claude-sonnet-5\\s");
        JsonNode doc = Journal.JSON.readTree(run.resolve("reprice-vertex_us-east5_claude-haiku-4-5_20251001.json").toFile());
        assertThat(doc.path("target_platform").asText()).isEqualTo("vertex · us-east5");
        assertThat(doc.path("target_input_usd_per_mtok").asDouble()).isCloseTo(1.1, offset(1e-12));
    }

    @Test
    void a_plain_target_writes_no_platform_and_an_unpriced_platform_key_says_what_it_is_priced_as() throws Exception {
        assertThat(reprice(run.toString(), "--model", "claude-haiku-4-5", "--json")).isZero();
        assertThat(Journal.JSON.readTree(out.toString()).has("target_platform")).isFalse();

        int code = reprice(run.toString(), "--model", "bedrock/us-east-1/us.anthropic.claude-sonnet-9-v1:0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .contains("bedrock/us-east-1/us.anthropic.claude-sonnet-9-v1:0 has no price", "on bedrock it is priced as"
                        + " claude-sonnet-9", "--pricing FILE");
    }
}
