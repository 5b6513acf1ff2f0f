package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.Journal;
import dev.sonde.suite.LoadSpec;
import dev.sonde.testing.LoadRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sonde merge} refuses to combine as load generators, and what {@code sonde report}
 * refuses to read as a benchmark: one line naming the folder or file and the field, exit 2, and
 * nothing written.
 */
@Tag("hostile")
class LoadMergeRefusalTest {
    @TempDir
    Path dir;

    private Path machine(String name, String suite, LoadSpec load) throws Exception {
        return LoadRuns.write(dir.resolve(name), suite, load, LoadRuns.START, LoadRuns.requests(1, 0, 0));
    }

    private SecretEchoTest.Run merge(Path... runs) {
        List<String> args = new java.util.ArrayList<>(List.of("merge"));
        for (Path r : runs) {
            args.add(r.toString());
        }
        args.addAll(List.of("--out", dir.resolve("merged").toString()));
        return SecretEchoTest.run(Map.of(), args.toArray(String[]::new));
    }

    private void assertRefused(SecretEchoTest.Run r, String... fragments) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> !l.isBlank()).toList()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("sonde: ").contains(fragments).doesNotContain("Exception"));
        assertThat(dir.resolve("merged").resolve("trials.jsonl")).doesNotExist();
    }

    @Test
    void runs_of_another_load_are_refused_naming_the_field_that_differs() throws Exception {
        LoadSpec l = LoadRuns.load();
        Path other = machine("b", "bench", new LoadSpec(l.mode(), null, List.of(10.0, 30.0), l.poisson(), l.duration(),
                l.warmup(), l.maxRequests(), l.maxInFlight(), l.slo(), l.seed(), l.maxErrorRate()));
        assertRefused(merge(machine("a", "bench", l), other), other.toString(), "ran another load",
                "load.rates_per_second: [10.0,30.0] there, [10.0,20.0] in the first", "merge runs of one load spec");
    }

    @Test
    void runs_of_another_suite_are_refused() throws Exception {
        Path other = machine("b", "other", LoadRuns.load());
        assertRefused(merge(machine("a", "bench", LoadRuns.load()), other), "is a benchmark of suite 'other', not 'bench'");
    }

    @Test
    void an_evaluation_run_does_not_merge_with_a_benchmark() throws Exception {
        Path eval = Files.createDirectories(dir.resolve("eval"));
        Files.writeString(eval.resolve("results.json"), "{\"run\": {\"suite\": \"bench\"}}");
        Files.writeString(eval.resolve("trials.jsonl"), "");
        assertRefused(merge(machine("a", "bench", LoadRuns.load()), eval), eval + " is an evaluation run, not a benchmark");
    }

    @Test
    void an_evaluation_run_named_first_is_refused_as_plainly() throws Exception {
        Path eval = Files.createDirectories(dir.resolve("eval"));
        Files.writeString(eval.resolve("results.json"), "{\"run\": {\"suite\": \"bench\"}}");
        Files.writeString(eval.resolve("trials.jsonl"), "");
        assertRefused(merge(eval, machine("a", "bench", LoadRuns.load())), eval + " is an evaluation run, not a benchmark");
    }

    @Test
    void steps_that_started_days_apart_are_not_taken_for_a_clock_offset() throws Exception {
        Path a = machine("a", "bench", LoadRuns.load());
        Path late = LoadRuns.write(dir.resolve("late"), "bench", LoadRuns.load(), LoadRuns.START,
                LoadRuns.requests(2, 3 * 24 * 3.6e6, 0));
        assertRefused(merge(a, late), late + ": its step 0 started 72.0 h away from " + a, "not runs made at the same time");
    }

    @Test
    void a_folder_given_twice_is_refused() throws Exception {
        Path a = machine("a", "bench", LoadRuns.load());
        assertRefused(merge(a, a), "is given twice");
    }

    @Test
    void a_load_no_suite_could_make_is_refused_by_report_and_merge_naming_the_field() throws Exception {
        Path a = machine("a", "bench", LoadRuns.load());
        Path bad = machine("b", "bench", LoadRuns.load());
        String text = Files.readString(bad.resolve("results.json"));
        Files.writeString(bad.resolve("results.json"), text.replace("\"warmup\" : 1", "\"warmup\" : 9"));
        assertRefused(merge(a, bad), bad.resolve("results.json") + ": load.warmup: at least 0 and shorter than the duration");

        Files.writeString(bad.resolve("results.json"), text.replace("\"duration\" : 3", "\"duration\" : \"not a duration\""));
        SecretEchoTest.Run r = SecretEchoTest.run(Map.of(), "report", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("sonde: " + bad.resolve("results.json") + ": load.duration: not what Sonde writes there");
    }

    @Test
    void a_benchmark_without_run_json_or_with_a_damaged_results_json_is_one_line() throws Exception {
        Path a = machine("a", "bench", LoadRuns.load());
        Files.delete(a.resolve("run.json"));
        SecretEchoTest.Run r = SecretEchoTest.run(Map.of(), "report", a.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("sonde: " + a + " is a benchmark without run.json (what the run was): it"
                + " cannot be re-read");

        Path b = machine("b", "bench", LoadRuns.load());
        Files.writeString(b.resolve("results.json"), "{\"kind\": \"benchmark\", \"load\": [");
        r = SecretEchoTest.run(Map.of(), "report", b.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("sonde: " + b.resolve("results.json") + ": not JSON");
    }

    @Test
    void a_merged_run_is_not_merged_again_and_partial_merges_are_for_shards() throws Exception {
        Path a = machine("a", "bench", LoadRuns.load());
        Path b = machine("b", "bench", LoadRuns.load());
        assertThat(merge(a, b).exit()).isZero();
        Path merged = dir.resolve("merged");
        SecretEchoTest.Run again = SecretEchoTest.run(Map.of(), "merge", merged.toString(), a.toString(), "--out",
                dir.resolve("again").toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err().strip()).isEqualTo("sonde: merge: " + merged + " is already a merge of 2 machines: merge the"
                + " machines' own runs");

        SecretEchoTest.Run partial = SecretEchoTest.run(Map.of(), "merge", a.toString(), b.toString(), "--out",
                dir.resolve("p").toString(), "--allow-partial");
        assertThat(partial.exit()).isEqualTo(2);
        assertThat(partial.err()).contains("--allow-partial is for the shards of an evaluation");
    }

    @Test
    void a_journal_line_that_is_not_a_trial_record_stops_the_merge_with_its_line_number() throws Exception {
        Path a = machine("a", "bench", LoadRuns.load());
        Path b = machine("b", "bench", LoadRuns.load());
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(b.resolve("trials.jsonl")));
        lines.add(3, "{\"trial_id\": 12, \"oops\": [}");
        Files.write(b.resolve("trials.jsonl"), lines);
        assertRefused(merge(a, b), b.resolve("trials.jsonl") + ":4:", "sonde journal repair");
    }

    @Test
    void duration_is_read_back_as_the_run_wrote_it() throws Exception {
        // the round trip every re-render and merge rests on: the load as results.json holds it is the load
        LoadSpec l = LoadRuns.load();
        assertThat(Journal.JSON.treeToValue(Journal.JSON.valueToTree(l), LoadSpec.class)).isEqualTo(l);
        assertThat(Journal.JSON.valueToTree(l).path("duration").asDouble()).isEqualTo(Duration.ofSeconds(3).toSeconds());
    }

    @Test
    void a_stopped_benchmark_is_neither_merged_nor_accepted_as_a_baseline_and_a_re_render_keeps_the_mark() throws Exception {
        Path a = machine("a", "bench", LoadRuns.load());
        Path stopped = machine("b", "bench", LoadRuns.load());
        String text = Files.readString(stopped.resolve("results.json"));
        Files.writeString(stopped.resolve("results.json"), text.replaceFirst("\\{", "{ \"stopped\" : \"interrupted (SIGINT)\","));
        assertRefused(merge(a, stopped), stopped + " was stopped (interrupted (SIGINT)): its steps are partial");

        SecretEchoTest.Run accept = SecretEchoTest.run(Map.of(), "baseline", "accept", stopped.toString(), "--out",
                dir.resolve("base.json").toString());
        assertThat(accept.exit()).as(accept.out() + accept.err()).isEqualTo(2);
        assertThat(accept.err().strip()).isEqualTo("sonde: " + stopped + " was stopped (interrupted (SIGINT)): its steps are"
                + " partial, so it cannot be a baseline; run it again");
        assertThat(dir.resolve("base.json")).doesNotExist();

        assertThat(SecretEchoTest.run(Map.of(), "report", stopped.toString()).exit()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(stopped.resolve("results.json").toFile())
                .path("stopped").asText()).as("a re-render keeps the mark").isEqualTo("interrupted (SIGINT)");
    }
}
