package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.journal.TrialResult;
import dev.sonde.testing.Suites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sonde run --repeat N}: it replaces the suite's {@code run.repeat} in the plan itself, so the
 * plan hash, {@code --resume}, the shards, {@code sonde merge} and the baseline all see the same count;
 * a count out of range, or a benchmark, is one line and exit 2 before anything is sent.
 */
class RepeatOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private static Result sonde(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path suite() {
        return Suites.write(dir, "repeat.yaml", """
                name: repeat
                models:
                  - {id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 20}}
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 20}}
                cases:
                  - {id: a, prompt: "Say one thing.", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                  - {id: b, prompt: "Say another.", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                  - {id: c, prompt: "Say a third.", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                run: {concurrency: 4, repeat: 2}
                emulator: {seed: 11, config: fast.yaml}
                baseline:
                  file: repeat-baseline.json
                  gates: {ttft_p95: false}
                """);
    }

    private static List<TrialResult> journal(Path run) throws Exception {
        try (var s = dev.sonde.journal.Journal.read(run.resolve("trials.jsonl"))) {
            return s.toList();
        }
    }

    private static String planHash(Path run) throws Exception {
        return JSON.readTree(run.resolve("run.json").toFile()).path("plan_hash").asText();
    }

    @Test
    void repeat_replaces_the_suites_run_repeat_in_the_plan_and_its_hash() throws Exception {
        Path suite = suite();
        Result own = sonde("run", suite.toString(), "-q", "--out", dir.resolve("own").toString());
        Result same = sonde("run", suite.toString(), "-q", "--repeat", "2", "--out", dir.resolve("same").toString());
        Result five = sonde("run", suite.toString(), "-q", "--repeat", "5", "--out", dir.resolve("five").toString());

        assertThat(List.of(own.exit(), same.exit(), five.exit())).as(own.err() + same.err() + five.err())
                .containsOnly(Main.PASSED);
        assertThat(journal(dir.resolve("own"))).hasSize(3 * 2 * 2);
        assertThat(journal(dir.resolve("five"))).hasSize(3 * 2 * 5)
                .extracting(TrialResult::repeat).containsOnly(0, 1, 2, 3, 4);
        assertThat(planHash(dir.resolve("same"))).as("--repeat equal to run.repeat is the same plan")
                .isEqualTo(planHash(dir.resolve("own")));
        assertThat(planHash(dir.resolve("five"))).isNotEqualTo(planHash(dir.resolve("own")));
        assertThat(five.out()).contains("30/30 passed");
    }

    @Test
    @Tag("hostile")
    void a_repeat_out_of_range_or_not_a_number_is_one_line_and_exit_2_before_anything_is_written() throws Exception {
        Path suite = suite();
        for (String bad : List.of("0", "-1", "100001", "2147483648", "three")) {
            Path out = dir.resolve("bad-" + bad);
            Result r = sonde("run", suite.toString(), "--repeat", bad, "--out", out.toString());

            assertThat(r.exit()).as(bad + ": " + r.err()).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err().strip()).as(bad).contains("--repeat").doesNotContain("Exception")
                    .doesNotContain("\tat ");
            assertThat(out).as(bad + ": nothing made").doesNotExist();
        }
        Result r = sonde("run", suite.toString(), "--repeat", "0");
        assertThat(r.err().strip()).isEqualTo("sonde: --repeat must be from 1 to 100000, not 0");
    }

    @Test
    @Tag("hostile")
    void a_benchmark_refuses_repeat_in_one_line() throws Exception {
        Path suite = Suites.write(dir, "bench.yaml", """
                name: bench
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 8}}]
                cases: [{id: a, prompt: "hi"}]
                load: {mode: closed, concurrency: [1], duration_s: 1}
                emulator: {seed: 1, config: fast.yaml}
                """);
        Result r = sonde("run", suite.toString(), "--repeat", "3", "--out", dir.resolve("b").toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).startsWith("sonde: --repeat does not apply to a benchmark (load:)")
                .doesNotContain("\n");
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void resume_needs_the_repeat_the_run_started_with() throws Exception {
        Path suite = suite();
        Path run = dir.resolve("run");
        assertThat(sonde("run", suite.toString(), "-q", "--repeat", "4", "--out", run.toString()).exit())
                .isEqualTo(Main.PASSED);
        // a crash that lost the last lines: the resume must send them again, with the same plan
        List<String> lines = Files.readAllLines(run.resolve("trials.jsonl"));
        Files.write(run.resolve("trials.jsonl"), lines.subList(0, 10));

        for (String[] other : List.of(new String[0], new String[] {"--repeat", "3"})) {
            List<String> args = new java.util.ArrayList<>(List.of("run", suite.toString(), "-q", "--resume", run.toString()));
            args.addAll(List.of(other));
            Result refused = sonde(args.toArray(String[]::new));
            assertThat(refused.exit()).as(refused.err()).isEqualTo(Main.BAD_INPUT);
            assertThat(refused.err().strip()).startsWith("sonde: --resume " + run + ": the plan has changed")
                    .contains("--repeat").doesNotContain("\n");
        }
        assertThat(Files.readAllLines(run.resolve("trials.jsonl"))).as("nothing sent by a refused resume").hasSize(10);

        Result resumed = sonde("run", suite.toString(), "-q", "--resume", run.toString(), "--repeat", "4");
        assertThat(resumed.exit()).as(resumed.err()).isEqualTo(Main.PASSED);
        assertThat(journal(run)).hasSize(3 * 2 * 4);
    }

    @Test
    void shards_merge_only_with_one_repeat() throws Exception {
        Path suite = suite();
        for (String k : List.of("1", "2")) {
            assertThat(sonde("run", suite.toString(), "-q", "--repeat", "3", "--shard", k + "/2", "--out",
                    dir.resolve("s" + k).toString()).exit()).isEqualTo(Main.PASSED);
        }
        assertThat(sonde("run", suite.toString(), "-q", "--repeat", "4", "--shard", "2/2", "--out",
                dir.resolve("other").toString()).exit()).isEqualTo(Main.PASSED);
        assertThat(journal(dir.resolve("s1")).size() + journal(dir.resolve("s2")).size()).isEqualTo(3 * 2 * 3);

        Result merged = sonde("merge", dir.resolve("s1").toString(), dir.resolve("s2").toString(), "--out",
                dir.resolve("merged").toString());
        assertThat(merged.exit()).as(merged.err() + merged.out()).isEqualTo(Main.PASSED);
        assertThat(merged.err()).as("every output written").doesNotContain("could not write");
        assertThat(merged.out()).contains("18/18 passed");
        // each case closes after the shards' 3 repeats × 2 models, not the suite file's 2
        JsonNode results = JSON.readTree(dir.resolve("merged/results.json").toFile());
        assertThat(results.at("/summary/total/trials").asInt()).isEqualTo(3 * 2 * 3);
        assertThat(results.at("/run/repeat").asInt()).as("the merged run records the shards' --repeat").isEqualTo(3);
        assertThat(dir.resolve("merged/report.html")).isNotEmptyFile();
        assertThat(JSON.readTree(dir.resolve("s1/run.json").toFile()).path("repeat").asInt()).isEqualTo(3);
        Result mixed = sonde("merge", dir.resolve("s1").toString(), dir.resolve("other").toString(), "--out",
                dir.resolve("mixed").toString());
        assertThat(mixed.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(mixed.err()).contains("ran another plan").contains("--repeat");
    }

    @Test
    void merged_shards_of_a_model_comparison_count_the_repeats_they_ran_not_the_suite_files() throws Exception {
        Path suite = Suites.write(dir, "compare.yaml", """
                name: compare
                models:
                  - {id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 20}}
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 20}}
                compare: {baseline: sonnet, candidates: [haiku]}
                cases:
                  - {id: a, prompt: "Say one thing.", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                  - {id: b, prompt: "Say another.", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                run: {repeat: 2}
                emulator: {seed: 5, config: fast.yaml}
                """);
        for (String k : List.of("1", "2")) {
            Result shard = sonde("run", suite.toString(), "-q", "--repeat", "4", "--shard", k + "/2", "--out",
                    dir.resolve("c" + k).toString());
            assertThat(shard.exit()).as(shard.err()).isEqualTo(Main.PASSED);
        }
        Result merged = sonde("merge", dir.resolve("c1").toString(), dir.resolve("c2").toString(), "--out",
                dir.resolve("merged").toString());

        assertThat(merged.exit()).as(merged.err() + merged.out()).isEqualTo(Main.PASSED);
        assertThat(merged.err()).doesNotContain("could not write");
        JsonNode results = JSON.readTree(dir.resolve("merged/results.json").toFile());
        assertThat(results.at("/model_comparison/repeats").asInt()).isEqualTo(4);
        assertThat(results.at("/summary/total/trials").asInt()).isEqualTo(2 * 2 * 4);
    }

    @Test
    @Tag("hostile")
    void a_merge_whose_suite_file_now_refuses_the_recorded_repeat_is_one_line_and_exit_2() throws Exception {
        Path suite = suite();
        for (String k : List.of("1", "2")) {
            assertThat(sonde("run", suite.toString(), "-q", "--repeat", "3", "--shard", k + "/2", "--out",
                    dir.resolve("s" + k).toString()).exit()).isEqualTo(Main.PASSED);
        }
        Files.writeString(suite, Files.readString(suite).replace("run: {concurrency: 4, repeat: 2}\n", "")
                .replace("baseline:\n  file: repeat-baseline.json\n  gates: {ttft_p95: false}\n", "")
                + "load: {mode: closed, concurrency: [1], duration_s: 1}\n");
        Result merged = sonde("merge", dir.resolve("s1").toString(), dir.resolve("s2").toString(), "--out",
                dir.resolve("merged").toString());

        assertThat(merged.exit()).as(merged.out() + merged.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(merged.err().strip()).startsWith("sonde: merge: " + suite + " no longer plans the run's 3 repeats")
                .contains("load:").doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void a_run_with_more_repeats_than_its_baseline_is_compared_case_by_case_not_refused() throws Exception {
        Path suite = suite();
        Result base = sonde("run", suite.toString(), "-q", "--repeat", "3", "--update-baseline", "--out",
                dir.resolve("base").toString());
        assertThat(base.exit()).as(base.err()).isEqualTo(Main.PASSED);
        Result more = sonde("run", suite.toString(), "-q", "--repeat", "5", "--out", dir.resolve("more").toString());

        assertThat(more.exit()).as(more.out() + more.err()).isEqualTo(Main.PASSED);
        JsonNode c = JSON.readTree(dir.resolve("more/results.json").toFile()).get("comparison");
        assertThat(c.path("status").asText()).isEqualTo("compared");
        assertThat(c.at("/cases/compared").asInt()).as("every case × model, on both sides").isEqualTo(3 * 2);
        for (String none : List.of("removed", "added", "new_failures")) {
            assertThat(c.at("/cases/" + none).isArray()).as(none).isTrue();
            assertThat(c.at("/cases/" + none)).as(none).isEmpty();
        }
        assertThat(c.at("/repeats/k").asInt()).isEqualTo(5);
    }
}
