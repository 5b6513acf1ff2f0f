package dev.sonde.cli;

import dev.sonde.testing.Suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Shards;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.Trial;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shards are a stable, balanced partition, and merging them gives the unsharded run's results. */
class ShardAndMergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private Path suite() throws Exception {
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            cases.append("  - {id: c").append(i).append(", prompt: \"Question number ").append(i)
                    .append("\", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}\n");
        }
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, """
                name: sharded
                models:
                  - {id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 30}}
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 30}}
                cases:
                %s
                run: {repeat: 2, concurrency: 4}
                emulator: {seed: 99, config: fast.yaml}
                """.formatted(cases));
        Suites.fastEmulator(dir);
        return f;
    }

    private int sonde(String... args) {
        StringWriter sink = new StringWriter();
        return Main.execute(Map.of(), new PrintWriter(sink), new PrintWriter(sink), args);
    }

    private static Map<String, String> results(Path journal) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(journal)) {
            JsonNode t = JSON.readTree(line);
            out.put(t.get("trial_id").asText(), t.get("pass").asText() + "|" + t.get("output_text").asText() + "|"
                    + t.at("/usage/output_tokens").asText() + "|" + t.get("cost_usd").asText());
        }
        return out;
    }

    @Test
    void shards_partition_the_plan_evenly_and_stably() throws Exception {
        List<Trial> plan = Plan.expand(SuiteLoader.load(suite()));
        Set<String> seen = new HashSet<>();
        for (int k = 1; k <= 3; k++) {
            List<Trial> shard = Shards.select(plan, new Shards.Shard(k, 3));
            assertThat(shard.size()).isBetween(plan.size() / 3, plan.size() / 3 + 1);
            shard.forEach(t -> assertThat(seen.add(t.id())).as(t.id() + " in two shards").isTrue());
            assertThat(Shards.select(plan, new Shards.Shard(k, 3))).isEqualTo(shard);
        }
        assertThat(seen).hasSize(plan.size());
    }

    @Test
    void a_merged_compare_run_with_failed_checks_is_compared_and_exits_0_like_the_unsharded_run() throws Exception {
        Path suite = dir.resolve("compare.yaml");
        Files.writeString(suite, """
                name: compared
                models:
                  - {id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 30}}
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 30}}
                compare: {baseline: sonnet, candidates: [haiku]}
                cases:
                  - {id: a, prompt: "Question a", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                  - {id: b, prompt: "Question b", assert: [{type: contains, value: "no emulator says this"}]}
                emulator: {seed: 5, config: fast.yaml}
                """);
        Suites.fastEmulator(dir);
        for (int k = 1; k <= 2; k++) {
            assertThat(sonde("run", suite.toString(), "--shard", k + "/2", "--out", dir.resolve("c" + k).toString(), "-q"))
                    .isZero();
        }
        StringWriter out = new StringWriter();
        int exit = Main.execute(Map.of(), new PrintWriter(out), new PrintWriter(out), "merge", dir.resolve("c1").toString(),
                dir.resolve("c2").toString(), "--out", dir.resolve("cm").toString());

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).startsWith("COMPARED").doesNotContain("FAIL");
        assertThat(JSON.readTree(dir.resolve("cm/results.json").toFile()).get("verdict").asText()).isEqualTo("compared");
    }

    @Test
    void merging_three_shards_reproduces_the_unsharded_run() throws Exception {
        Path suite = suite();
        assertThat(sonde("run", suite.toString(), "--out", dir.resolve("whole").toString(), "-q")).isZero();
        for (int k = 1; k <= 3; k++) {
            assertThat(sonde("run", suite.toString(), "--shard", k + "/3", "--out", dir.resolve("s" + k).toString(), "-q"))
                    .isZero();
        }
        int exit = sonde("merge", dir.resolve("s1").toString(), dir.resolve("s2").toString(), dir.resolve("s3").toString(),
                "--out", dir.resolve("merged").toString());

        assertThat(exit).isZero();
        assertThat(results(dir.resolve("merged/trials.jsonl"))).isEqualTo(results(dir.resolve("whole/trials.jsonl")));
        JsonNode merged = JSON.readTree(dir.resolve("merged/results.json").toFile());
        JsonNode whole = JSON.readTree(dir.resolve("whole/results.json").toFile());
        assertThat(merged.at("/summary/total/trials").asInt()).isEqualTo(28);
        assertThat(merged.at("/summary/total/output_tokens")).isEqualTo(whole.at("/summary/total/output_tokens"));
        assertThat(merged.at("/run/trials_planned").asInt()).isEqualTo(28);
        assertThat(dir.resolve("merged/report.html")).exists();
        assertThat(sonde("merge", dir.resolve("s1").toString(), dir.resolve("s1").toString(), "--out",
                dir.resolve("twice").toString())).as("overlapping shards").isEqualTo(2);
        assertThat(sonde("run", suite.toString(), "--shard", "4/3")).isEqualTo(2);
    }
}
