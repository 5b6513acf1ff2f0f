package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's sharding recipe ("Sharding a suite across CI machines") on the shipped regression
 * suite, run as CI would run it: three {@code --shard k/3} runs and a {@code sonde merge}. The merge
 * is the unsharded run trial by trial (pass, output, usage, cost: the emulator is seeded), exits 0 as
 * the unsharded run does, and says what each shard was; without one shard the merge is refused in
 * one line naming it, and {@code --allow-partial} merges what there is under the verdict PARTIAL.
 */
class ShardedRegressionTest {
    private static final Path SUITE = Path.of("../suites/regression.yaml");

    @TempDir
    Path dir;

    private static SecretEchoTest.Run sonde(String... args) {
        return SecretEchoTest.run(Map.of(), args);
    }

    /** trial id → what the trial answered and cost, from a run's journal. */
    private static Map<String, String> trials(Path run) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            JsonNode t = Journal.JSON.readTree(line);
            out.put(t.get("trial_id").asText(), "pass=" + t.get("pass").asText() + " | output=" + t.get("output_text")
                    + " | usage=" + t.get("usage") + " | cost=" + t.get("cost_usd").asText());
        }
        return out;
    }

    private static JsonNode results(Path run) throws Exception {
        return Journal.JSON.readTree(run.resolve("results.json").toFile());
    }

    @Test
    void three_shards_merge_into_the_unsharded_run_and_a_missing_shard_is_refused() throws Exception {
        Path whole = dir.resolve("whole");
        SecretEchoTest.Run unsharded = sonde("run", SUITE.toString(), "--out", whole.toString(), "-q");
        assertThat(unsharded.exit()).as(unsharded.out() + unsharded.err()).isEqualTo(Main.PASSED);
        assertThat(results(whole).get("run").has("shard")).as("written, as null").isTrue();
        assertThat(results(whole).at("/run/shard").isNull()).isTrue();
        String planHash = results(whole).at("/run/plan_hash").asText();

        for (int k = 1; k <= 3; k++) {
            Path shard = dir.resolve("shard-" + k);
            SecretEchoTest.Run run = sonde("run", SUITE.toString(), "--shard", k + "/3", "--out", shard.toString(), "-q");
            // every shard of an unchanged suite passes its own pairs of the baseline (issue 19, item 2)
            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(Main.PASSED);
            JsonNode info = results(shard).get("run");
            assertThat(info.at("/shard/k").asInt()).isEqualTo(k);
            assertThat(info.at("/shard/n").asInt()).isEqualTo(3);
            assertThat(info.get("plan_hash").asText()).isEqualTo(planHash);
            assertThat(Journal.JSON.readTree(shard.resolve("run.json").toFile()).get("shard"))
                    .isEqualTo(info.get("shard"));
        }

        Path merged = dir.resolve("merged");
        SecretEchoTest.Run merge = sonde("merge", dir.resolve("shard-1").toString(), dir.resolve("shard-2").toString(),
                dir.resolve("shard-3").toString(), "--out", merged.toString());
        assertThat(merge.exit()).as(merge.out() + merge.err()).isEqualTo(Main.PASSED);
        assertThat(merge.out()).startsWith("PASS");
        assertThat(trials(merged)).hasSize(28).isEqualTo(trials(whole));
        JsonNode mergedRun = results(merged).get("run");
        assertThat(mergedRun.get("shard").isNull()).isTrue();
        assertThat(mergedRun.at("/merged/n").asInt()).isEqualTo(3);
        assertThat(mergedRun.at("/merged/shards").toString()).isEqualTo("[1,2,3]");
        assertThat(mergedRun.at("/merged/missing").toString()).isEqualTo("[]");
        assertThat(mergedRun.at("/merged/partial").asBoolean()).isFalse();
        assertThat(results(merged).get("verdict").asText()).isEqualTo("pass");
        for (String sum : List.of("trials", "passed", "failed", "errored", "input_tokens", "output_tokens")) {
            assertThat(results(merged).at("/summary/total/" + sum)).as(sum)
                    .isEqualTo(results(whole).at("/summary/total/" + sum));
        }
        assertThat(results(merged).at("/summary/total/cost_usd").asDouble()) // summed in another order
                .isCloseTo(results(whole).at("/summary/total/cost_usd").asDouble(), within(1e-12));

        Path without = dir.resolve("without-2");
        SecretEchoTest.Run refused = sonde("merge", dir.resolve("shard-1").toString(), dir.resolve("shard-3").toString(),
                "--out", without.toString());
        assertThat(refused.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).isEqualTo("sonde: merge: shard 2/3 missing (have 1/3, 3/3 of plan "
                + planHash.substring(0, 19) + "…): merge all 3, or pass --allow-partial (verdict PARTIAL)\n");
        assertThat(without.resolve("trials.jsonl")).doesNotExist();
        assertThat(without.resolve("results.json")).doesNotExist();

        Path partial = dir.resolve("partial");
        SecretEchoTest.Run allowed = sonde("merge", dir.resolve("shard-1").toString(), dir.resolve("shard-3").toString(),
                "--out", partial.toString(), "--allow-partial");
        assertThat(allowed.exit()).as(allowed.out() + allowed.err()).isEqualTo(Main.CHECK_FAILED);
        assertThat(allowed.out()).startsWith("PARTIAL  regression: ")
                .contains("\n  partial merge, not the whole suite: shard 2/3 missing\n");
        assertPartial(partial);
        assertThat(sonde("report", partial.toString()).exit()).isZero();
        assertPartial(partial); // re-rendered from the run's files alone, still partial
    }

    /** Every output of a partial merge says so: results.json, summary.md, report.html, junit.xml. */
    private static void assertPartial(Path run) throws Exception {
        JsonNode doc = results(run);
        assertThat(doc.get("verdict").asText()).isEqualTo("partial");
        assertThat(doc.at("/run/merged/missing").toString()).isEqualTo("[2]");
        assertThat(doc.at("/run/merged/shards").toString()).isEqualTo("[1,3]");
        assertThat(doc.at("/run/merged/partial").asBoolean()).isTrue();
        assertThat(Files.readString(run.resolve("summary.md"))).startsWith("## ❌ Sonde · regression — **PARTIAL**")
                .contains("⚠️ **Partial merge**: shard 2/3 missing — these results are not the whole suite.");
        String html = Files.readString(run.resolve("report.html"));
        assertThat(html).contains("<title>PARTIAL · regression · Sonde report</title>").contains("✗ Partial")
                .contains("partial merge, not the whole suite: shard 2/3 missing");
        assertThat(Files.readString(run.resolve("junit.xml"))).contains("name=\"sonde.verdict\" value=\"partial\"");
    }
}
