package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * select-best and max-score end to end on the embedded emulator: two models answer differently
 * (rules by model), a rule answers the select-best grading, and the verdicts reach compare.jsonl,
 * the console, the JUnit XML and summary.md; a resumed run judges nothing again.
 */
class CompareRunTest {
    @TempDir
    Path dir;

    private static final String RULES = """
            rules:
              - name: judge
                match: {regex: "(?s)\\\\A<criterion-([0-9a-f]{16})>\\\\n"}
                reply: {text: "{\\"best\\": 1, \\"reason\\": \\"It names Paris.\\"}"}
              - {match: {contains: "capital of France", model: "claude-haiku-*"}, reply: {text: "It is Lyon."}}
              - {match: {contains: "capital of France"}, reply: {text: "Paris is the capital of France."}}
            """;

    private static final String SUITE = """
            name: compare
            grader: {model: claude-haiku-4-5}
            models: [{id: haiku, model: claude-haiku-4-5}, {id: sonnet, model: claude-sonnet-4-6}]
            cases:
              - id: scored
                prompt: "What is the capital of France?"
                assert:
                  - {type: contains, value: Paris, weight: 0}
                  - {type: icontains, value: paris, weight: 0}
                  - {type: max-score}
              - id: judged
                prompt: "Name the capital of France."
                assert: [{type: select-best, value: "Names the capital of France correctly."}]
            emulator: {rules: [rules.yaml]}
            """;

    private int run(StringWriter console, String... more) throws Exception {
        PrintWriter pw = new PrintWriter(console, true);
        List<String> args = new java.util.ArrayList<>(List.of("run", dir.resolve("suite.yaml").toString()));
        args.addAll(List.of(more));
        return Main.execute(Map.of(), pw, pw, args.toArray(String[]::new));
    }

    @Test
    void the_losers_fail_the_winners_pass_and_every_output_says_so() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), RULES);
        Files.writeString(dir.resolve("suite.yaml"), SUITE);
        Path out = dir.resolve("out");
        StringWriter console = new StringWriter();
        int exit = run(console, "--out", out.toString());
        assertThat(exit).as(console.toString()).isEqualTo(1);
        assertThat(console.toString())
                .contains("select-best: 1 case judged in 1 group, 1 grader call (one per group, $")
                .contains("max-score: 1 case judged in 1 group")
                .contains("2/4 passed, 2 failed, 0 errored");

        List<String> records = Files.readAllLines(out.resolve("compare.jsonl"));
        assertThat(records).hasSize(2);
        assertThat(records.get(0)).contains("\"case\":\"scored\"", "\"type\":\"max-score\"", "\"index\":2",
                "\"winner\":{\"trial_id\":");
        assertThat(records.get(1)).contains("\"type\":\"select-best\"", "\"grader\":\"claude-haiku-4-5\"",
                "\"grader_usage\":{\"calls\":1");

        String junit = Files.readString(out.resolve("junit.xml"));
        assertThat(junit).contains("tests=\"4\"").contains("failures=\"2\"")
                .contains("select-best: not chosen: sonnet was best of 2 by claude-haiku-4-5: It names Paris.")
                .contains("max-score: not the highest: sonnet scored average 1.000, this one 0.000");
        assertThat(Files.readString(out.resolve("summary.md"))).contains("1 grader call")
                .contains("**Compared across models** (select-best, max-score):\n\n"
                        + "- `scored` max-score: best sonnet (won 1 of 1 group)\n"
                        + "- `judged` select-best: best sonnet (won 1 of 1 group)\n");
        assertThat(Files.readString(out.resolve("report.html")))
                .contains("<div class=\"compare\">select-best: best sonnet (won 1 of 1 group)</div>");
        // the trials' own lines are never rewritten
        assertThat(Files.readString(out.resolve("trials.jsonl"))).contains(
                "judged across the case's models after the run").doesNotContain("not chosen");

        // a re-render reads the same verdicts
        StringWriter again = new StringWriter();
        PrintWriter pw = new PrintWriter(again, true);
        int reported = Main.execute(Map.of(), pw, pw, "report", out.toString());
        assertThat(reported).as(again.toString()).isIn(0, 1);
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("failures=\"2\"");
    }

    @Test
    void a_resumed_run_keeps_unchanged_groups_without_asking_the_grader() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), RULES);
        Files.writeString(dir.resolve("suite.yaml"), SUITE);
        Path out = dir.resolve("out");
        run(new StringWriter(), "--out", out.toString());
        String before = Files.readString(out.resolve("compare.jsonl"));
        StringWriter console = new StringWriter();
        int exit = run(console, "--resume", out.toString());
        assertThat(exit).as(console.toString()).isEqualTo(1);
        assertThat(console.toString()).contains("select-best: 1 case judged in 1 group, 0 grader calls (one per group, $0")
                .contains("1 kept from before (unchanged)");
        assertThat(Files.readString(out.resolve("compare.jsonl"))).isEqualTo(before);
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("failures=\"2\"");
    }

    @Test
    void merged_shards_end_with_every_group_judged_max_score_again_and_split_select_best_undecided() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), RULES);
        // three models and two repeats: six select-best trials in two groups, which two shards deal apart
        Files.writeString(dir.resolve("suite.yaml"), SUITE.replace("{id: sonnet, model: claude-sonnet-4-6}]",
                "{id: sonnet, model: claude-sonnet-4-6}, {id: opus, model: claude-opus-4-6}]\nrun: {repeat: 2}"));
        run(new StringWriter(), "--out", dir.resolve("s1").toString(), "--shard", "1/2");
        run(new StringWriter(), "--out", dir.resolve("s2").toString(), "--shard", "2/2");
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int exit = Main.execute(Map.of(), pw, pw, "merge", dir.resolve("s1").toString(), dir.resolve("s2").toString(),
                "--out", dir.resolve("m").toString());
        assertThat(exit).as(console.toString()).isEqualTo(1);
        // which shard ran each judged trial, by repeat
        Map<Integer, java.util.Set<String>> shardsOf = new java.util.TreeMap<>();
        for (String shard : List.of("s1", "s2")) {
            for (String line : Files.readAllLines(dir.resolve(shard + "/trials.jsonl"))) {
                if (line.contains("\"case\":\"judged\"")) {
                    int repeat = line.contains("\"repeat\":1") ? 1 : 0;
                    shardsOf.computeIfAbsent(repeat, k -> new java.util.TreeSet<>()).add(shard);
                }
            }
        }
        List<Integer> split = shardsOf.entrySet().stream().filter(e -> e.getValue().size() == 2).map(Map.Entry::getKey)
                .toList();
        assertThat(split).as("the plan's shards split a select-best group").isNotEmpty();
        List<String> records = Files.readAllLines(dir.resolve("m/compare.jsonl"));
        assertThat(records).hasSize(4);
        assertThat(records.stream().filter(r -> r.contains("\"max-score\""))).hasSize(2)
                .allSatisfy(r -> assertThat(r).contains("\"winner\":{\"trial_id\":").contains("\"model\":\"sonnet\"}"));
        for (String r : records.stream().filter(r -> r.contains("\"select-best\"")).toList()) {
            int repeat = r.contains("\"repeat\":1") ? 1 : 0;
            if (split.contains(repeat)) {
                assertThat(r).contains("sonde merge asks no grader").doesNotContain("\"winner\"");
            } else {
                assertThat(r).contains("\"winner\":{");
            }
        }
        // the shards left the split groups to the merge: no verdict on them of their own
        for (String shard : List.of("s1", "s2")) {
            for (String r : Files.readAllLines(dir.resolve(shard + "/compare.jsonl"))) {
                assertThat(split).doesNotContain(r.contains("\"repeat\":1") ? 1 : 0);
            }
        }
        assertThat(Files.readString(dir.resolve("m/junit.xml"))).contains("tests=\"12\"")
                .contains("max-score: not the highest: sonnet scored average 1.000, this one 0.000");
    }

    @Test
    void a_baseline_keeps_the_winners_and_the_next_run_lists_a_changed_one() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), RULES);
        Files.writeString(dir.resolve("suite.yaml"), SUITE + "baseline: {file: base.json}\n");
        int accepted = run(new StringWriter(), "--out", dir.resolve("a").toString(), "--update-baseline");
        assertThat(accepted).isIn(0, 1);
        assertThat(Files.readString(dir.resolve("base.json")))
                .contains("\"winners\"").contains("\"judged\"").contains("\"select-best\"").contains("\"sonnet\"");

        Files.writeString(dir.resolve("rules.yaml"), RULES.replace("{\\\"best\\\": 1,", "{\\\"best\\\": 0,"));
        StringWriter console = new StringWriter();
        run(console, "--out", dir.resolve("b").toString());
        String summary = Files.readString(dir.resolve("b/summary.md"));
        assertThat(summary).as(console.toString())
                .contains("Compare winners changed (informational): judged select-best: sonnet → haiku");
        assertThat(Files.readString(dir.resolve("b/results.json"))).contains("\"winners_changed\"");
    }

    @Test
    void under_max_usd_the_grader_call_is_paid_into_the_runs_ledger() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), RULES);
        Files.writeString(dir.resolve("suite.yaml"), SUITE + "budget: {max_usd: 5}\n");
        Path out = dir.resolve("out");
        StringWriter console = new StringWriter();
        run(console, "--out", out.toString());
        List<String> graded = Files.readAllLines(out.resolve("spend.jsonl")).stream()
                .filter(l -> l.contains("\"grader_usd\"")).toList();
        assertThat(graded).as(console.toString()).singleElement().asString().contains("\"trial\":\"judged/");
        double paid = Double.parseDouble(graded.get(0).replaceAll(".*\"grader_usd\":([0-9.eE-]+).*", "$1"));
        assertThat(paid).isPositive();
        assertThat(console.toString()).contains("after the compare pass, budget: ");
        // a resume keeps the record (no new call) and its budget counts the call already paid
        StringWriter again = new StringWriter();
        run(again, "--resume", out.toString());
        assertThat(Files.readAllLines(out.resolve("spend.jsonl")).stream().filter(l -> l.contains("\"grader_usd\"")))
                .hasSize(1);
        assertThat(again.toString()).doesNotContain("after the compare pass");
    }

    @Test
    void a_damaged_compare_file_is_one_line_under_sonde_report() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), RULES);
        Files.writeString(dir.resolve("suite.yaml"), SUITE);
        Path out = dir.resolve("out");
        run(new StringWriter(), "--out", out.toString());
        Files.writeString(out.resolve("compare.jsonl"), "not a record\n{}\n");
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int exit = Main.execute(Map.of(), pw, pw, "report", out.toString());
        assertThat(exit).isEqualTo(2);
        assertThat(console.toString().lines().filter(l -> l.contains("compare.jsonl"))).singleElement().asString()
                .contains("compare.jsonl:1: not a compare record");
    }

    @Test
    void with_history_the_trial_rows_carry_the_compare_verdicts_from_the_one_read_after_the_compare_pass()
            throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), RULES);
        Files.writeString(dir.resolve("suite.yaml"), SUITE);
        Path out = dir.resolve("out");
        Path store = dir.resolve("h.duckdb");
        StringWriter console = new StringWriter();

        int exit = run(console, "--out", out.toString(), "--history=" + store);

        assertThat(exit).as(console.toString()).isEqualTo(1);
        assertThat(console.toString()).contains("(4 trials) into " + store);
        java.util.Properties readOnly = new java.util.Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (java.sql.Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + store, readOnly);
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT model, case_id, pass FROM trials ORDER BY case_id, model")) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(2) + " " + rs.getString(1) + " " + rs.getBoolean(3));
            }
            assertThat(rows).containsExactly("judged haiku false", "judged sonnet true", "scored haiku false",
                    "scored sonnet true");
        }
    }
}
