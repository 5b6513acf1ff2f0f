package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same suite through Message Batches: the same verdicts at half the cost, no latency figures. */
class BatchModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private Map<String, JsonNode> trials(Path out) throws Exception {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve("trials.jsonl"))) {
            JsonNode t = JSON.readTree(line);
            byId.put(t.get("trial_id").asText(), t);
        }
        return byId;
    }

    @Test
    void batch_mode_gives_the_same_verdicts_at_half_the_cost() throws Exception {
        Files.writeString(dir.resolve("emu.yaml"), """
                batch_processing_ms: 100
                latency: [{model: "*", ttft_base_ms: 0, prefill_us_per_token: 0, output_tokens_per_second: 0, jitter_sigma: 0}]
                rules: [rules.yaml]
                """);
        Files.writeString(dir.resolve("rules.yaml"), "rules:\n  - {match: {contains: France}, reply: {text: \"Paris is the capital.\"}}\n");
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: batchable
                models:
                  - {id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 40}}
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 40}}
                cases:
                  - {id: france, prompt: "What is the capital of France?", assert: [{type: contains, value: Paris}]}
                  - {id: spain, prompt: "What is the capital of Spain?", assert: [{type: contains, value: Madrid}]}
                  - {id: essay, prompt: "Write about harbours.", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                run: {repeat: 2}
                emulator: {seed: 5, config: emu.yaml}
                """);
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int direct = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("direct").toString(), "-q");
        int batch = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--batch", "--out", dir.resolve("batch").toString(),
                "-q");

        assertThat(direct).as(console.toString()).isEqualTo(1); // spain fails in both
        assertThat(batch).as(console.toString()).isEqualTo(1);
        Map<String, JsonNode> d = trials(dir.resolve("direct"));
        Map<String, JsonNode> b = trials(dir.resolve("batch"));
        assertThat(b.keySet()).isEqualTo(d.keySet()).hasSize(12);
        double directCost = 0;
        double batchCost = 0;
        for (String id : d.keySet()) {
            assertThat(b.get(id).get("pass")).as(id).isEqualTo(d.get(id).get("pass"));
            assertThat(b.get(id).get("output_text")).as(id).isEqualTo(d.get(id).get("output_text"));
            assertThat(b.get(id).at("/usage/service_tier").asText()).isEqualTo("batch");
            assertThat(b.get(id).at("/timings/ttft_ms").isNull()).as("no latency in batch mode").isTrue();
            directCost += d.get(id).get("cost_usd").asDouble();
            batchCost += b.get(id).get("cost_usd").asDouble();
        }
        assertThat(batchCost / directCost).isCloseTo(0.5, offset(1e-9));
        System.out.printf("batch mode: direct $%.6f, batch $%.6f, ratio %.3f%n", directCost, batchCost, batchCost / directCost);

        // a baseline accepted from the batch run would leave every later latency gate without samples: said at once
        StringWriter acceptErr = new StringWriter();
        int accepted = Main.execute(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(acceptErr, true),
                "baseline", "accept", dir.resolve("batch").toString(), "--out", dir.resolve("b.json").toString());
        assertThat(accepted).as(acceptErr.toString()).isZero();
        assertThat(acceptErr.toString()).contains("sonde: warning: the accepted trials carry no timings");
        StringWriter timedErr = new StringWriter();
        Main.execute(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(timedErr, true), "baseline", "accept",
                dir.resolve("direct").toString(), "--out", dir.resolve("d.json").toString());
        assertThat(timedErr.toString()).doesNotContain("carry no timings");
    }
}
