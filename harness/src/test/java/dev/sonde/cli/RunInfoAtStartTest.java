package dev.sonde.cli;

import dev.sonde.testing.Suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.RunInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run records at its start what every later reader needs ({@code run.json}): one plan hash that
 * resume, shards and merge all trust, the prices it used (with {@code --pricing}) and the timing
 * origin.
 */
class RunInfoAtStartTest {
    @TempDir
    Path dir;

    private Path suite(String prompt) throws Exception {
        Suites.fastEmulator(dir);
        Path file = dir.resolve("suite.yaml");
        Files.writeString(file, """
                name: start
                emulator: {config: fast.yaml}
                models: [{id: a, model: claude-haiku-4-5}, {id: b, model: claude-sonnet-4-6}]
                cases: [{id: one, prompt: "%s"}, {id: two, prompt: "Tell me about bridges"}, {id: three, prompt: hi}]
                run: {repeat: 2}
                """.formatted(prompt));
        return file;
    }

    private SecretEchoTest.Run run(String... args) {
        return SecretEchoTest.run(Map.of(), args);
    }

    @Test
    void run_json_holds_the_plan_hash_prices_and_timing_origin_and_shards_share_the_hash() throws Exception {
        Path suite = suite("Tell me about harbours");
        Files.writeString(dir.resolve("prices.yaml"), "version: test\nmodels: {claude-haiku-4-5: {input: 2, output: 9}}\n");
        assertThat(run("run", suite.toString(), "-q", "--out", dir.resolve("whole").toString(), "--pricing",
                dir.resolve("prices.yaml").toString()).exit()).isEqualTo(Main.PASSED);
        RunInfo whole = RunInfo.readFrom(dir.resolve("whole")).orElseThrow();
        assertThat(whole.planHash()).matches("sha256:[0-9a-f]{64}");
        assertThat(whole.prices().get("claude-haiku-4-5").inputPerMTok()).isEqualTo(2.0);
        assertThat(whole.prices().get("claude-sonnet-4-6").outputPerMTok()).isEqualTo(15.0);
        assertThat(whole.timingOrigin()).isEqualTo(RunInfo.TIMING_ORIGIN);
        assertThat(Files.readString(dir.resolve("whole/results.json"))).contains(whole.planHash());

        for (int k = 1; k <= 2; k++) {
            assertThat(run("run", suite.toString(), "-q", "--shard", k + "/2", "--out", dir.resolve("shard-" + k).toString())
                    .exit()).isEqualTo(Main.PASSED);
            assertThat(RunInfo.readFrom(dir.resolve("shard-" + k)).orElseThrow().planHash()).isEqualTo(whole.planHash());
        }
        long reads = dev.sonde.journal.Journal.reads();
        SecretEchoTest.Run merged = run("merge", dir.resolve("shard-1").toString(), dir.resolve("shard-2").toString(),
                "--out", dir.resolve("merged").toString());
        assertThat(merged.exit()).as(merged.err()).isEqualTo(Main.PASSED);
        // each shard's journal once, then the merged one once for every verdict and output
        assertThat(dev.sonde.journal.Journal.reads() - reads).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("merged/results.json"))).contains(whole.planHash());
    }

    @Test
    void a_changed_suite_cannot_resume_an_old_journal_nor_merge_with_its_shards() throws Exception {
        Path suite = suite("Tell me about harbours");
        assertThat(run("run", suite.toString(), "-q", "--shard", "1/2", "--out", dir.resolve("one").toString()).exit())
                .isEqualTo(Main.PASSED);
        suite("Tell me about lighthouses");
        SecretEchoTest.Run resumed = run("run", suite.toString(), "-q", "--resume", dir.resolve("one").toString());
        assertThat(resumed.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(resumed.err().strip()).startsWith("sonde: --resume " + dir.resolve("one")
                + ": the plan has changed since that run started (plan sha256:").doesNotContain("\n");
        assertThat(run("run", suite.toString(), "-q", "--shard", "2/2", "--out", dir.resolve("two").toString()).exit())
                .isEqualTo(Main.PASSED);
        SecretEchoTest.Run merged = run("merge", dir.resolve("one").toString(), dir.resolve("two").toString(), "--out",
                dir.resolve("merged").toString());
        assertThat(merged.exit()).isNotEqualTo(Main.PASSED);
        assertThat(merged.err()).contains("ran another plan of suite 'start'");
    }

    @Test
    void a_run_made_before_run_json_existed_still_resumes() throws Exception {
        Path suite = suite("Tell me about harbours");
        assertThat(run("run", suite.toString(), "-q", "--shard", "1/2", "--out", dir.resolve("old").toString()).exit())
                .isEqualTo(Main.PASSED);
        Files.delete(dir.resolve("old").resolve(RunInfo.FILE)); // as runs made before 2026-12 left it
        suite("Tell me about lighthouses");
        SecretEchoTest.Run resumed = run("run", suite.toString(), "-q", "--resume", dir.resolve("old").toString());
        assertThat(resumed.exit()).as(resumed.err()).isEqualTo(Main.PASSED);
    }

    @Test
    void run_json_hashes_each_request_and_a_rerender_hides_bodies_the_suite_no_longer_builds() throws Exception {
        Path suite = suite("Tell me about harbours");
        assertThat(run("run", suite.toString(), "-q", "--out", dir.resolve("r").toString()).exit()).isEqualTo(Main.PASSED);
        RunInfo info = RunInfo.readFrom(dir.resolve("r")).orElseThrow();
        assertThat(info.requestHashes()).containsOnlyKeys("one/a", "one/b", "two/a", "two/b", "three/a", "three/b");
        assertThat(info.requestHashes().values()).allMatch(h -> h.matches("sha256:[0-9a-f]{64}"));
        assertThat(info.requestHashes().get("one/a")).as("another prompt, another body")
                .isNotEqualTo(info.requestHashes().get("two/a"));
        assertThat(Files.readString(dir.resolve("r/report.html"))).contains("Tell me about harbours");

        suite("Tell me about lighthouses"); // the suite changes after the run
        SecretEchoTest.Run report = run("report", dir.resolve("r").toString(), "--format", "html");
        assertThat(report.exit()).as(report.err()).isEqualTo(Main.PASSED);
        String html = Files.readString(dir.resolve("r/report.html"));
        assertThat(html).doesNotContain("Tell me about lighthouses").doesNotContain("Tell me about harbours")
                .contains("2 requests are not shown: the suite now builds a different body than this run sent")
                .contains("Tell me about bridges");
    }
}
