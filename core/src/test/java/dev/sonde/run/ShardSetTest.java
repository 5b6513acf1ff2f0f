package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge takes exactly the n shards of one plan, told from what each run recorded at its start:
 * what is refused always, what only without {@code --allow-partial}, and how run.json is read.
 */
class ShardSetTest {
    private static final String PLAN = "sha256:ab12cd34ef56" + "0".repeat(52);

    @TempDir
    Path dir;

    private static RunInfo info() {
        return new RunInfo("regression", "suites/regression.yaml", "run", "emulator", false, Instant.EPOCH, Instant.EPOCH,
                0, 9, 8, List.of(), "2026-11", "test", "21")
                .withPlan(PLAN, null, null);
    }

    private static ShardSet.Member shard(String name, int k, int n) {
        return new ShardSet.Member(Path.of(name), info(), new ShardSet.Sharded(new RunInfo.Shard(k, n)));
    }

    private static ShardSet.Member whole(String name) {
        return new ShardSet.Member(Path.of(name), info(), new ShardSet.Whole());
    }

    private static ShardSet.Member unrecorded(String name) {
        return new ShardSet.Member(Path.of(name), info(), new ShardSet.Unrecorded());
    }

    private static String refusal(boolean allowPartial, ShardSet.Member... members) {
        try {
            ShardSet.check(List.of(members), allowPartial);
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new AssertionError("merged: " + List.of(members));
    }

    @Test
    void the_n_shards_of_a_plan_in_any_order_are_whole() throws Exception {
        RunInfo.Merged merged = ShardSet.check(List.of(shard("s3", 3, 3), shard("s1", 1, 3), shard("s2", 2, 3)), false);

        assertThat(merged).isEqualTo(new RunInfo.Merged(3, List.of(1, 2, 3), List.of(), 0, false));
        assertThat(merged.lacking()).isEmpty();
    }

    @Test
    void missing_shards_are_named_with_the_ones_there_and_the_plan() {
        assertThat(refusal(false, shard("s1", 1, 3), shard("s3", 3, 3))).isEqualTo(
                "shard 2/3 missing (have 1/3, 3/3 of plan sha256:ab12cd34ef56…): merge all 3, or pass --allow-partial"
                        + " (verdict PARTIAL)");
        assertThat(refusal(false, shard("s4", 4, 4), shard("s1", 1, 4))).startsWith(
                "shards 2/4, 3/4 missing (have 1/4, 4/4 of plan sha256:ab12cd34ef56…)");
    }

    @Test
    void allow_partial_merges_what_there_is_and_records_what_is_missing() throws Exception {
        RunInfo.Merged merged = ShardSet.check(List.of(shard("s1", 1, 3), shard("s3", 3, 3)), true);

        assertThat(merged).isEqualTo(new RunInfo.Merged(3, List.of(1, 3), List.of(2), 0, true));
        assertThat(merged.lacking()).isEqualTo("shard 2/3 missing");
        assertThat(ShardSet.check(List.of(shard("s1", 1, 2), shard("s2", 2, 2)), true).partial())
                .as("a whole set asked with --allow-partial is not partial").isFalse();
    }

    @Test
    void a_shard_twice_shards_of_two_splits_a_whole_run_among_shards_or_a_merge_are_refused_even_when_partial_is_allowed() {
        for (boolean allowPartial : new boolean[] {false, true}) {
            assertThat(refusal(allowPartial, shard("a", 2, 3), shard("b", 1, 3), shard("c", 2, 3)))
                    .isEqualTo("shard 2/3 given twice (a, c): merge each shard once");
            assertThat(refusal(allowPartial, shard("a", 1, 3), shard("b", 2, 4)))
                    .isEqualTo("shards of different splits: a is 1/3, b is 2/4: merge the n shards of one --shard k/n split");
            assertThat(refusal(allowPartial, shard("a", 1, 2), whole("w"), shard("b", 2, 2)))
                    .isEqualTo("w ran the whole plan (no --shard), so it cannot be merged with other runs: merge only the"
                            + " folders of sonde run --shard k/n");
            ShardSet.Member merged = new ShardSet.Member(Path.of("m"),
                    new RunInfo("regression", null, "m", "emulator", false, null, null, 0, 0, 0, List.of(), null, "t", "21",
                            null, null, PLAN, null, null, null, null, RunInfo.Merged.of(2, List.of(1, 2), List.of(), 0), null),
                    new ShardSet.Unrecorded());
            assertThat(refusal(allowPartial, merged, shard("b", 1, 2)))
                    .isEqualTo("m is a merged run already: merge the shard folders it was made of");
        }
    }

    @Test
    void a_whole_run_merged_alone_is_the_whole_plan() throws Exception {
        assertThat(ShardSet.check(List.of(whole("w")), false)).isEqualTo(RunInfo.Merged.of(1, List.of(1), List.of(), 0));
    }

    @Test
    void runs_that_recorded_no_shard_are_not_known_to_be_whole_and_merge_only_as_partial() throws Exception {
        assertThat(refusal(false, shard("a", 1, 2), unrecorded("old"))).isEqualTo(
                "old records no shard (a run made before Sonde recorded --shard k/n), so the set is not known to be whole:"
                        + " run it again, or merge with --allow-partial (verdict PARTIAL)");

        RunInfo.Merged merged = ShardSet.check(List.of(unrecorded("old-1"), unrecorded("old-2")), true);
        assertThat(merged).isEqualTo(new RunInfo.Merged(null, List.of(), List.of(), 2, true));
        assertThat(merged.lacking()).isEqualTo("2 runs record no shard");
        assertThat(ShardSet.check(List.of(shard("a", 1, 2), unrecorded("old")), true).lacking())
                .isEqualTo("shard 2/2 missing; 1 run records no shard");
    }

    @Test
    void run_json_says_the_shard_the_whole_plan_or_nothing() throws Exception {
        RunInfo sharded = info().withShard(new RunInfo.Shard(2, 3));
        sharded.writeTo(Files.createDirectories(dir.resolve("s")));
        info().writeTo(Files.createDirectories(dir.resolve("w")));
        Files.writeString(Files.createDirectories(dir.resolve("old")).resolve(RunInfo.FILE),
                "{\"suite\": \"regression\", \"models\": [{\"id\": \"a\", \"model\": \"m\"}], \"plan_hash\": \"" + PLAN + "\"}");
        Files.createDirectories(dir.resolve("older")); // no run.json at all

        assertThat(ShardSet.shareOf(dir.resolve("s"))).isEqualTo(new ShardSet.Sharded(new RunInfo.Shard(2, 3)));
        assertThat(Files.readString(dir.resolve("w").resolve(RunInfo.FILE))).contains("\"shard\" : null");
        assertThat(ShardSet.shareOf(dir.resolve("w"))).isEqualTo(new ShardSet.Whole());
        assertThat(ShardSet.shareOf(dir.resolve("old"))).isEqualTo(new ShardSet.Unrecorded());
        assertThat(ShardSet.shareOf(dir.resolve("older"))).isEqualTo(new ShardSet.Unrecorded());
        assertThat(RunInfo.readFrom(dir.resolve("old")).orElseThrow().shard()).as("old files stay readable").isNull();
        assertThat(RunInfo.readFrom(dir.resolve("s")).orElseThrow()).isEqualTo(sharded);
    }

    @Test
    void a_shard_edited_out_of_range_or_out_of_shape_is_one_line_naming_the_file() throws Exception {
        List<String> messages = new ArrayList<>();
        for (String shard : List.of("{\"k\": 4, \"n\": 3}", "{\"k\": \"two\", \"n\": 3}", "[2, 3]", "{\"k\": 0, \"n\": 0}")) {
            Path run = Files.createDirectories(dir.resolve("r" + messages.size()));
            Files.writeString(run.resolve(RunInfo.FILE), "{\"suite\": \"x\", \"shard\": " + shard + "}");
            try {
                messages.add("read as " + ShardSet.shareOf(run));
            } catch (IOException e) {
                messages.add(e.getMessage());
            }
        }
        Path file = dir.resolve("r0").resolve(RunInfo.FILE);
        assertThat(messages.get(0)).isEqualTo(file + ": a shard is k/n with 1 <= k <= n, not 4/3");
        assertThat(messages.get(1)).isEqualTo(dir.resolve("r1").resolve(RunInfo.FILE) + ": shard is not {k, n} (whole numbers)");
        assertThat(messages.get(2)).isEqualTo(dir.resolve("r2").resolve(RunInfo.FILE) + ": shard is not {k, n} (whole numbers)");
        assertThat(messages.get(3)).isEqualTo(dir.resolve("r3").resolve(RunInfo.FILE) + ": a shard is k/n with 1 <= k <= n, not 0/0");
        assertThat(messages).noneMatch(m -> m.contains("\n") || m.contains("dev.sonde"));
    }
}
