package dev.sonde.cli;

import dev.sonde.testing.Suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.Journal;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code sonde run} learns everything from one pass over its trials, fed as the journal takes
 * each one, so it never reads its journal back (a resumed run reads the old journal once, before
 * sending), and it parses its suite file once: the baseline comparison and its update, the model
 * comparison, the cache-variant analysis, grader totals and every output format share the same
 * pass. A benchmark reads its journal once after its steps.
 */
class OneReadTest {
    @TempDir
    Path dir;


    private record Counted(int exit, long reads, long parses, String err) {}

    private Counted run(String... args) {
        long reads = Journal.reads();
        long parses = SuiteLoader.parses();
        SecretEchoTest.Run r = SecretEchoTest.run(Map.of(), args);
        return new Counted(r.exit(), Journal.reads() - reads, SuiteLoader.parses() - parses, r.err());
    }

    private Path suite(String name, String body) throws Exception {
        Path suites = Files.createDirectories(dir.resolve("suites"));
        Suites.fastEmulator(suites);
        Path file = suites.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\nemulator: {config: fast.yaml}\n" + body);
        return file;
    }

    @Test
    void a_run_with_a_baseline_its_update_and_a_comparison_never_reads_its_journal_and_parses_its_suite_once()
            throws Exception {
        Path suite = suite("gate", """
                models: [{id: a, model: claude-haiku-4-5}, {id: b, model: claude-sonnet-4-6}]
                cases:
                  - {id: one, prompt: "Tell me about harbours", assert: [{type: contains, value: " "}]}
                  - {id: two, prompt: "Tell me about bridges", assert: [{type: llm-rubric, value: "is about bridges"}]}
                run: {repeat: 2}
                baseline: {}
                """);
        List<Counted> runs = new ArrayList<>();
        runs.add(run("run", suite.toString(), "-q", "--out", dir.resolve("first").toString(), "--update-baseline"));
        runs.add(run("run", suite.toString(), "-q", "--out", dir.resolve("second").toString()));
        assertThat(dir.resolve("reports/baselines/gate.json")).exists();
        for (Counted c : runs) {
            assertThat(c.exit()).as(c.err()).isIn(Main.PASSED, Main.CHECK_FAILED);
            assertThat(c.reads()).as("journal reads").isZero();
            assertThat(c.parses()).as("suite parses").isEqualTo(1);
        }
        for (String out : List.of("first", "second")) {
            for (String file : List.of("results.json", "junit.xml", "summary.md", "report.html", "results.csv")) {
                assertThat(dir.resolve(out).resolve(file)).exists();
            }
        }
    }

    @Test
    void a_model_migration_and_a_cache_variant_run_never_read_their_journals() throws Exception {
        Path compare = suite("migrate", """
                models: [{id: a, model: claude-sonnet-4-6}, {id: b, model: claude-haiku-4-5}]
                cases: [{id: one, prompt: "Tell me about harbours"}, {id: two, prompt: "Tell me about bridges"}]
                compare: {baseline: a, candidates: [b]}
                run: {repeat: 2}
                """);
        Path variants = suite("variants", """
                models: [{id: a, model: claude-sonnet-4-6}]
                defaults: {system: "You answer questions about harbours and bridges in two sentences."}
                cases: [{id: one, prompt: "Tell me about harbours"}]
                variants: [{id: none, cache: none}, {id: system, cache: [{at: system}]}]
                sequence: {requests: 3, inter_arrival_s: 60, concurrency: 1, warmup: true}
                """);
        for (Path suite : List.of(compare, variants)) {
            Counted c = run("run", suite.toString(), "-q", "--out", dir.resolve("out-" + suite.getFileName()).toString());
            assertThat(c.exit()).as(c.err()).isIn(Main.PASSED, Main.CHECK_FAILED);
            assertThat(c.reads()).as(suite.getFileName() + ": journal reads").isZero();
            assertThat(c.parses()).as(suite.getFileName() + ": suite parses").isEqualTo(1);
        }
        assertThat(Files.readString(dir.resolve("out-migrate.yaml/results.json"))).contains("\"model_comparison\"");
        assertThat(Files.readString(dir.resolve("out-variants.yaml/results.json"))).contains("\"cache_variants\"");
    }

    @Test
    void a_resumed_run_reads_the_old_journal_once_and_its_outputs_count_every_trial() throws Exception {
        Path suite = suite("resume", """
                models: [{id: a, model: claude-haiku-4-5}]
                cases:
                  - {id: one, prompt: "Tell me about harbours", assert: [{type: contains, value: " "}]}
                  - {id: two, prompt: "Tell me about bridges", assert: [{type: contains, value: " "}]}
                  - {id: three, prompt: "Tell me about rivers", assert: [{type: contains, value: " "}]}
                run: {repeat: 2}
                """);
        Path out = dir.resolve("resumed");
        assertThat(run("run", suite.toString(), "-q", "--out", out.toString()).exit()).isEqualTo(Main.PASSED);
        List<String> lines = Files.readAllLines(out.resolve("trials.jsonl"));
        assertThat(lines).hasSize(6);
        Files.write(out.resolve("trials.jsonl"), lines.subList(0, 4)); // the process died after four trials
        for (String f : List.of("results.json", "junit.xml", "summary.md", "report.html", "results.csv")) {
            Files.delete(out.resolve(f));
        }

        Counted c = run("run", suite.toString(), "-q", "--resume", out.toString());

        assertThat(c.exit()).as(c.err()).isEqualTo(Main.PASSED);
        assertThat(c.reads()).as("journal reads").isEqualTo(1);
        assertThat(Files.readAllLines(out.resolve("trials.jsonl"))).hasSize(6);
        String csv = Files.readString(out.resolve("results.csv"));
        for (String line : Files.readAllLines(out.resolve("trials.jsonl"))) {
            assertThat(csv).contains(Journal.JSON.readTree(line).get("trial_id").asText());
        }
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("tests=\"6\"");
        assertThat(Journal.JSON.readTree(out.resolve("results.json").toFile()).at("/summary/total/trials").asInt())
                .isEqualTo(6);
    }

    @Test
    void a_benchmark_journals_every_request_and_reads_its_journal_once() throws Exception {
        Path suite = suite("bench", """
                models: [{id: a, model: claude-haiku-4-5, params: {max_tokens: 20}}]
                cases: [{id: one, prompt: "Tell me about harbours"}]
                load: {mode: closed, concurrency: [1, 2], duration_s: 0.6, warmup_s: 0.1, max_requests: 40}
                """);
        Counted c = run("run", suite.toString(), "-q", "--out", dir.resolve("bench").toString());
        assertThat(c.exit()).as(c.err()).isEqualTo(Main.PASSED);
        assertThat(c.reads()).as("journal reads").isEqualTo(1);
        assertThat(c.parses()).as("suite parses").isEqualTo(1);
        List<String> lines = Files.readAllLines(dir.resolve("bench/trials.jsonl"));
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"load\":{\"step\":"));
        assertThat(dir.resolve("bench/run.json")).exists();
    }
}
