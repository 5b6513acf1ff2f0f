package dev.sonde.cli;

import dev.sonde.testing.Suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Shards are a stable, balanced partition, merging them gives the unsharded run's results, and a
 * merge takes only the n shards of one split, as each run recorded its shard.
 */
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

    private SecretEchoTest.Run sondeRun(String... args) {
        return SecretEchoTest.run(Map.of(), args);
    }

    @Test
    void a_shard_is_resumed_only_as_the_shard_it_was() throws Exception {
        Path suite = suite();
        Path one = dir.resolve("one");
        assertThat(sonde("run", suite.toString(), "--shard", "1/3", "--out", one.toString(), "-q")).isZero();

        SecretEchoTest.Run other = sondeRun("run", suite.toString(), "--shard", "2/3", "--resume", one.toString(), "-q");
        assertThat(other.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(other.err()).isEqualTo("sonde: --resume " + one + ": that run is shard 1/3 of the plan, not shard 2/3: "
                + "resume it with --shard 1/3\n");
        SecretEchoTest.Run whole = sondeRun("run", suite.toString(), "--resume", one.toString(), "-q");
        assertThat(whole.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(whole.err()).isEqualTo("sonde: --resume " + one + ": that run is shard 1/3 of the plan, not the whole "
                + "plan: resume it with --shard 1/3\n");
        SecretEchoTest.Run same = sondeRun("run", suite.toString(), "--shard", "1/3", "--resume", one.toString(), "-q");
        assertThat(same.exit()).as(same.err()).isZero();
        assertThat(JSON.readTree(one.resolve("results.json").toFile()).at("/run/shard").toString())
                .isEqualTo("{\"k\":1,\"n\":3}");
    }

    @Test
    void shards_recorded_before_shards_were_merge_only_as_partial() throws Exception {
        Path suite = suite();
        for (int k = 1; k <= 2; k++) {
            assertThat(sonde("run", suite.toString(), "--shard", k + "/2", "--out", dir.resolve("s" + k).toString(), "-q"))
                    .isZero();
        }
        Path old = dir.resolve("s2");
        ObjectNode info = (ObjectNode) JSON.readTree(
                old.resolve("run.json").toFile());
        info.remove("shard"); // as every run.json written before shards were recorded
        Files.writeString(old.resolve("run.json"), info.toPrettyString());

        SecretEchoTest.Run refused = sondeRun("merge", dir.resolve("s1").toString(), old.toString(), "--out",
                dir.resolve("m").toString());
        assertThat(refused.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(refused.err()).isEqualTo("sonde: merge: " + old + " records no shard (a run made before Sonde recorded "
                + "--shard k/n), so the set is not known to be whole: run it again, or merge with --allow-partial "
                + "(verdict PARTIAL)\n");

        SecretEchoTest.Run partial = sondeRun("merge", dir.resolve("s1").toString(), old.toString(), "--out",
                dir.resolve("p").toString(), "--allow-partial");
        assertThat(partial.exit()).as(partial.err()).isEqualTo(Main.CHECK_FAILED);
        assertThat(partial.out()).startsWith("PARTIAL  sharded: 28/28 passed")
                .contains("partial merge, not the whole suite: shard 2/2 missing; 1 run records no shard");
        JsonNode merged = JSON.readTree(dir.resolve("p/results.json").toFile());
        assertThat(merged.get("verdict").asText()).isEqualTo("partial");
        assertThat(merged.at("/run/merged/unrecorded").asInt()).isEqualTo(1);
        assertThat(merged.at("/summary/total/trials").asInt()).as("every trial is there, but nothing says so")
                .isEqualTo(28);
        String junit = Files.readString(dir.resolve("p/junit.xml"));
        assertThat(junit).as("a CI view of the partial merge is not green")
                .contains("tests=\"29\"", "errors=\"1\"")
                .contains("<testcase name=\"merge\"")
                .contains("<error message=\"partial merge, not the whole suite: shard 2/2 missing; 1 run records no shard\""
                        + " type=\"partial_merge\"");
    }

    @Test
    void shards_of_two_splits_or_a_whole_run_with_its_shards_are_refused_in_one_line() throws Exception {
        Path suite = suite();
        assertThat(sonde("run", suite.toString(), "--out", dir.resolve("whole").toString(), "-q")).isZero();
        assertThat(sonde("run", suite.toString(), "--shard", "1/2", "--out", dir.resolve("a").toString(), "-q")).isZero();
        assertThat(sonde("run", suite.toString(), "--shard", "2/3", "--out", dir.resolve("b").toString(), "-q")).isZero();

        SecretEchoTest.Run mixed = sondeRun("merge", dir.resolve("a").toString(), dir.resolve("b").toString(), "--out",
                dir.resolve("m1").toString(), "--allow-partial");
        assertThat(mixed.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(mixed.err()).isEqualTo("sonde: merge: shards of different splits: " + dir.resolve("a") + " is 1/2, "
                + dir.resolve("b") + " is 2/3: merge the n shards of one --shard k/n split\n");
        SecretEchoTest.Run withWhole = sondeRun("merge", dir.resolve("a").toString(), dir.resolve("whole").toString(),
                "--out", dir.resolve("m2").toString(), "--allow-partial");
        assertThat(withWhole.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(withWhole.err()).startsWith("sonde: merge: " + dir.resolve("whole") + " ran the whole plan (no --shard)")
                .hasLineCount(1);
        assertThat(dir.resolve("m1/trials.jsonl")).doesNotExist();
        assertThat(dir.resolve("m2/trials.jsonl")).doesNotExist();
    }

    @Test
    void a_shard_record_edited_by_hand_is_one_line_naming_the_file_and_field() throws Exception {
        Path suite = suite();
        Path one = dir.resolve("one");
        assertThat(sonde("run", suite.toString(), "--shard", "1/2", "--out", one.toString(), "-q")).isZero();
        Path results = one.resolve("results.json");
        ObjectNode doc = (ObjectNode)
                JSON.readTree(results.toFile());
        assertThat(doc.at("/run/shard").toString()).isEqualTo("{\"k\":1,\"n\":2}");

        ((ObjectNode) doc.get("run")).putObject("shard").put("k", 4).put("n", 2);
        Files.writeString(results, doc.toPrettyString());
        SecretEchoTest.Run outOfRange = sondeRun("merge", one.toString(), "--out", dir.resolve("m1").toString());
        assertThat(outOfRange.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(outOfRange.err()).isEqualTo("sonde: merge: " + results + ": run.shard: a shard is k/n with 1 <= k <= n, "
                + "not 4/2\n");

        ((ObjectNode) doc.get("run")).put("shard", "1/2");
        Files.writeString(results, doc.toPrettyString());
        SecretEchoTest.Run text = sondeRun("merge", one.toString(), "--out", dir.resolve("m2").toString());
        assertThat(text.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(text.err()).isEqualTo("sonde: merge: " + results + ": run.shard: not what Sonde writes there\n");
    }
}
