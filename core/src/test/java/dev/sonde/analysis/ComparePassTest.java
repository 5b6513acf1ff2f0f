package dev.sonde.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.check.CheckResult;
import dev.sonde.check.CheckSet;
import dev.sonde.check.Grader;
import dev.sonde.check.Graders;
import dev.sonde.journal.CompareRecord;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compare pass over a journal: groups, undecided groups, the budget, its file, and verdicts applied on read. */
class ComparePassTest {
    private static final List<String> MODELS = List.of("haiku", "sonnet", "opus");

    @TempDir
    Path dir;

    private final AtomicInteger calls = new AtomicInteger();
    /** A grader that always picks the last candidate, at $0.01 a call. */
    private final Graders graders = (model, params) -> new Grader() {
        @Override
        public String model() {
            return "judge";
        }

        @Override
        public Reply ask(String system, String prompt, ObjectNode schema) {
            calls.incrementAndGet();
            int last = prompt.split("<candidate-").length - 2;
            return new Reply("{\"best\": " + last + ", \"reason\": \"last\"}", Usage.NONE, 0.01, null);
        }
    };

    private static AssertSpec spec(String type, String... kv) {
        ObjectNode c = JsonNodeFactory.instance.objectNode().put("type", type);
        for (int i = 0; i < kv.length; i += 2) {
            c.put(kv[i], kv[i + 1]);
        }
        return new AssertSpec(type, c, new Location(Path.of("s.yaml"), 3, 5), "cases[0].assert[0]");
    }

    private CheckSet set() throws Exception {
        return CheckSet.create(List.of(spec("contains", "value", "Paris"), spec("select-best", "value", "best"),
                spec("max-score")), null, graders);
    }

    private static TrialResult answered(String caseId, String model, int repeat, String text) {
        boolean paris = text.contains("Paris");
        return TrialResult.builder(caseId + "/" + model + "/" + repeat, caseId, model, model + "-id", repeat)
                .outputText(text).pass(paris).checks(List.of( // pass as the run journals it: placeholders do not apply
                        paris ? CheckResult.pass("contains", "found") : CheckResult.fail("contains", "not found"),
                        CheckResult.notApplicable("select-best", "judged across the case's models after the run"),
                        CheckResult.notApplicable("max-score", "judged across the case's models after the run")))
                .build();
    }

    private Path journal(List<TrialResult> trials) throws Exception {
        Path journal = dir.resolve("trials.jsonl");
        try (Journal j = Journal.open(journal)) {
            for (TrialResult t : trials) {
                j.append(t);
            }
        }
        return journal;
    }

    @Test
    void each_group_is_judged_once_and_every_reader_sees_the_verdicts() throws Exception {
        List<TrialResult> trials = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            trials.add(answered("c", "haiku", r, "Lyon"));
            trials.add(answered("c", "sonnet", r, "Paris"));
            trials.add(answered("c", "opus", r, "Paris, France"));
        }
        trials.add(answered("d", "haiku", 0, "Paris"));
        trials.add(TrialResult.builder("d/sonnet/0", "d", "sonnet", "s", 0)
                .error(new TrialError("overloaded", 529, "overloaded_error", "busy")).build());
        trials.add(TrialResult.skipped("d/opus/0", "d", "opus", "o", 0, java.time.Instant.EPOCH, "budget"));
        Path journal = journal(trials);
        CheckSet set = set();

        ComparePass.Result result = new ComparePass(Map.of("c", new ComparePass.Case(set, MODELS), "d", new ComparePass.Case(set, MODELS)), null).run(dir);
        assertThat(calls.get()).isEqualTo(2); // one per select-best group, none for the undecided one
        assertThat(result.lines()).containsExactly(
                "select-best: 2 cases judged in 3 groups, 2 grader calls (one per group, $0.0200), 1 undecided",
                "max-score: 2 cases judged in 3 groups, 1 undecided",
                "compare verdicts of c: haiku 2 FAILED, sonnet 2 FAILED, opus 2 FAILED",
                "compare verdicts of d: haiku 1 undecided");

        List<CompareRecord> back = CompareRecord.read(dir);
        assertThat(back).isEqualTo(result.records());
        CompareRecord first = back.get(0);
        assertThat(first.type()).isEqualTo("select-best");
        assertThat(first.index()).isEqualTo(1);
        assertThat(first.members()).extracting(CompareRecord.Member::model).containsExactly("haiku", "sonnet", "opus");
        assertThat(first.winner().model()).isEqualTo("opus");
        // opus is chosen, but sonnet and opus tie on max-score and the first in model order (sonnet) wins it
        assertThat(first.members()).extracting(CompareRecord.Member::pass).containsExactly(false, false, false);
        CompareRecord undecided = back.stream().filter(r -> r.caseId().equals("d")).findFirst().orElseThrow();
        assertThat(undecided.members()).singleElement().satisfies(m -> {
            assertThat(m.result().undecided()).isTrue();
            assertThat(m.result().reason()).isEqualTo("only 1 of 3 models answered");
        });

        RunAnalysis a = RunAnalysis.read(journal, null, dir, PricingTable.defaults(), false);
        assertThat(a.summary().total().notEvaluated()).isZero();
        assertThat(a.summary().total().failed()).isEqualTo(7);
        assertThat(a.grader().snapshot().calls()).isEqualTo(2); // counted once per group
        assertThat(a.grader().snapshot().costUsd()).isEqualTo(0.02);
    }

    @Test
    void winners_pass_once_all_compare_results_are_in_place() throws Exception {
        journal(List.of(answered("c", "haiku", 0, "Lyon"), answered("c", "sonnet", 0, "Lyon"),
                answered("c", "opus", 0, "Paris")));
        new ComparePass(Map.of("c", new ComparePass.Case(set(), MODELS)), null).run(dir);
        RunAnalysis a = RunAnalysis.read(dir.resolve("trials.jsonl"), null, dir, PricingTable.defaults(), false);
        assertThat(a.summary().total().passed()).isEqualTo(1); // opus: contains, chosen, highest
        assertThat(a.summary().models().get("opus").passed()).isEqualTo(1);
        assertThat(a.summary().models().get("haiku").failed()).isEqualTo(1);
    }

    @Test
    void once_the_budget_is_spent_the_groups_left_are_undecided() throws Exception {
        List<TrialResult> trials = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            trials.add(answered("c", "haiku", r, "Paris").toBuilder().costUsd(0.3).build());
            trials.add(answered("c", "sonnet", r, "Paris").toBuilder().costUsd(0.3).build());
        }
        journal(trials);
        // $1.80 of trials against $1.81: one call ($0.01) fits, the next group finds it spent
        ComparePass.Result result = new ComparePass(Map.of("c", new ComparePass.Case(set(), List.of("haiku", "sonnet"))), 1.81).run(dir);
        assertThat(calls.get()).isEqualTo(1);
        List<CompareRecord> selectBest = result.records().stream().filter(r -> r.type().equals("select-best")).toList();
        assertThat(selectBest.get(0).winner()).isNotNull();
        assertThat(selectBest.subList(1, 3)).allSatisfy(r -> assertThat(r.members().get(0).result().reason())
                .startsWith("budget spent ($1.81 of $1.81)"));
    }

    @Test
    void a_group_this_run_holds_only_part_of_is_left_to_the_merge() throws Exception {
        journal(List.of(answered("c", "haiku", 0, "Lyon"), answered("c", "sonnet", 0, "Paris"))); // opus: another shard
        ComparePass.Result result = new ComparePass(Map.of("c", new ComparePass.Case(set(), MODELS)), null).run(dir);
        assertThat(result.records()).isEmpty();
        assertThat(calls.get()).isZero();
        assertThat(result.lines()).contains("max-score: 0 cases judged in 0 groups, 1 group split across shards left to "
                + "sonde merge");
        RunAnalysis a = RunAnalysis.read(dir.resolve("trials.jsonl"), null, dir, PricingTable.defaults(), false);
        assertThat(a.summary().total().failed()).isEqualTo(1); // haiku's contains; no compare verdict yet
        assertThat(a.summary().total().passed()).isEqualTo(1);
    }

    @Test
    void a_damaged_compare_file_is_one_line_naming_it() throws Exception {
        journal(List.of(answered("c", "haiku", 0, "Paris")));
        Files.writeString(dir.resolve("compare.jsonl"), "{\"case\": \"c\"}\nnot json\n");
        assertThatThrownBy(() -> CompareRecord.read(dir)).hasMessageStartingWith(dir.resolve("compare.jsonl") + ":1: ")
                .hasMessageContaining("delete compare.jsonl and resume the run").hasMessageNotContaining("\n");
    }

    /** A grader that fails while {@code broken} holds, else picks candidate 0, logging the first candidate's text. */
    private Graders scripted(java.util.concurrent.atomic.AtomicBoolean broken, List<String> firstShown) {
        return (model, params) -> new Grader() {
            @Override
            public String model() {
                return "judge";
            }

            @Override
            public Reply ask(String system, String prompt, ObjectNode schema) {
                calls.incrementAndGet();
                String from = prompt.substring(prompt.indexOf("index=\"0\">\n") + 11);
                firstShown.add(from.substring(0, from.indexOf('\n')));
                return broken.get() ? new Reply("", Usage.NONE, 0.01, "HTTP 529 overloaded")
                        : new Reply("{\"best\": 0, \"reason\": \"first\"}", Usage.NONE, 0.01, null);
            }
        };
    }

    private CheckSet selectBestOnly(Graders g) throws Exception {
        return CheckSet.create(List.of(spec("contains", "value", "Paris"), spec("select-best", "value", "best")), null, g);
    }

    private static TrialResult answered2(String model, int repeat, String text) {
        return TrialResult.builder("c/" + model + "/" + repeat, "c", model, model + "-id", repeat).outputText(text)
                .pass(true).checks(List.of(CheckResult.pass("contains", "found"),
                        CheckResult.notApplicable("select-best", "judged across the case's models after the run")))
                .build();
    }

    @Test
    void a_resumed_pass_judges_again_only_the_groups_a_grader_failure_left_undecided() throws Exception {
        journal(List.of(answered2("haiku", 0, "Paris A"), answered2("sonnet", 0, "Paris B"),
                answered2("haiku", 1, "Paris C"), answered2("sonnet", 1, "Paris D")));
        var broken = new java.util.concurrent.atomic.AtomicBoolean(false);
        List<String> shown = new ArrayList<>();
        Map<String, ComparePass.Case> cases = Map.of("c", new ComparePass.Case(selectBestOnly(scripted(broken, shown)),
                List.of("haiku", "sonnet")));
        new ComparePass(cases, null).run(dir); // both groups decided
        assertThat(calls.get()).isEqualTo(2);
        // candidates rotate per group: repeat 0 shows haiku first, repeat 1 sonnet; the winner maps back
        assertThat(shown).containsExactly("Paris A", "Paris D");
        assertThat(CompareRecord.read(dir)).extracting(r -> r.winner().model()).containsExactly("haiku", "sonnet");

        Files.delete(dir.resolve("compare.jsonl"));
        broken.set(true);
        ComparePass.Result failed = new ComparePass(cases, null).run(dir);
        assertThat(calls.get()).isEqualTo(4);
        assertThat(failed.records()).allSatisfy(r -> assertThat(r.members().get(0).result().undecided()).isTrue());

        broken.set(false); // the grader is fixed: resume
        new ComparePass(cases, null).run(dir);
        assertThat(calls.get()).isEqualTo(6); // each undecided group once more
        ComparePass.Result again = new ComparePass(cases, null).run(dir);
        assertThat(calls.get()).isEqualTo(6); // decided records are kept: no call
        assertThat(again.lines().get(0)).contains("2 kept from before (unchanged)");
        assertThat(CompareRecord.read(dir)).hasSize(2).allSatisfy(r -> assertThat(r.winner()).isNotNull());
        assertThat(CompareRecord.readAll(dir)).hasSize(4); // the failed ones stay on file: their spend was real
    }

    @Test
    void a_stop_keeps_the_groups_judged_and_leaves_the_rest_without_a_record() throws Exception {
        journal(List.of(answered2("haiku", 0, "Paris A"), answered2("sonnet", 0, "Paris B"),
                answered2("haiku", 1, "Paris C"), answered2("sonnet", 1, "Paris D")));
        Map<String, ComparePass.Case> cases = Map.of("c", new ComparePass.Case(
                selectBestOnly(scripted(new java.util.concurrent.atomic.AtomicBoolean(), new ArrayList<>())),
                List.of("haiku", "sonnet")));
        ComparePass.Result stopped = new ComparePass(cases, null).run(dir, () -> calls.get() >= 1
                ? "interrupted (SIGINT)" : null, null);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(stopped.stopped()).isEqualTo("interrupted (SIGINT)");
        assertThat(stopped.lines()).last().asString().startsWith("compare pass stopped (interrupted (SIGINT))");
        assertThat(CompareRecord.read(dir)).singleElement().satisfies(r -> assertThat(r.repeat()).isZero());

        ComparePass.Result resumed = new ComparePass(cases, null).run(dir);
        assertThat(calls.get()).isEqualTo(2); // only the group left
        assertThat(resumed.stopped()).isNull();
        assertThat(CompareRecord.read(dir)).hasSize(2);
    }

    @Test
    void a_torn_last_record_is_cut_and_the_pass_appends_after_it() throws Exception {
        journal(List.of(answered2("haiku", 0, "Paris A"), answered2("sonnet", 0, "Paris B")));
        Map<String, ComparePass.Case> cases = Map.of("c", new ComparePass.Case(
                selectBestOnly(scripted(new java.util.concurrent.atomic.AtomicBoolean(), new ArrayList<>())),
                List.of("haiku", "sonnet")));
        Files.writeString(dir.resolve("compare.jsonl"), "{\"case\": \"c\", \"var");
        assertThat(CompareRecord.read(dir)).isEmpty();
        new ComparePass(cases, null).run(dir);
        assertThat(CompareRecord.readAll(dir)).singleElement().satisfies(r -> assertThat(r.winner()).isNotNull());
        assertThat(Files.readString(dir.resolve("compare.jsonl"))).startsWith("{\"case\":\"c\"").endsWith("}\n");
    }

    @Test
    void a_tie_names_no_best_model() {
        var wins = new java.util.LinkedHashMap<String, Integer>();
        wins.put("sonnet", 1);
        wins.put("haiku", 1);
        CompareWinners.Tally tie = new CompareWinners.Tally("c", "select-best", wins, 2);
        assertThat(tie.best()).isNull();
        assertThat(tie.leaders()).containsExactly("sonnet", "haiku");
        assertThat(tie.line()).isEqualTo("select-best: tie sonnet, haiku (won 1 of 2 groups each)");
        wins.put("haiku", 2);
        CompareWinners.Tally won = new CompareWinners.Tally("c", "select-best", wins, 3);
        assertThat(won.best()).isEqualTo("haiku");
        assertThat(won.line()).isEqualTo("select-best: best haiku (won 2 of 3 groups)");
    }

    @Test
    void records_whose_group_changed_since_are_not_applied() throws Exception {
        List<TrialResult> trials = new ArrayList<>(List.of(answered2("haiku", 0, "Paris A"), answered2("sonnet", 0,
                "Paris B"), TrialResult.skipped("c/opus/0", "c", "opus", "o", 0, java.time.Instant.EPOCH, "budget")));
        Path journal = journal(trials);
        Map<String, ComparePass.Case> cases = Map.of("c", new ComparePass.Case(
                selectBestOnly(scripted(new java.util.concurrent.atomic.AtomicBoolean(), new ArrayList<>())), MODELS));
        new ComparePass(cases, null).run(dir);
        assertThat(CompareVerdicts.current(dir)).singleElement().satisfies(r -> assertThat(r.members()).hasSize(2));
        RunAnalysis judged = RunAnalysis.read(journal, null, dir, PricingTable.defaults(), false);
        assertThat(judged.summary().total().failed()).isEqualTo(1); // sonnet: not chosen
        assertThat(judged.compared().tallies()).hasSize(1);

        // a resumed run sent opus and stopped before its compare pass: the old record no longer holds
        try (Journal j = Journal.open(journal)) {
            j.append(answered2("opus", 0, "Paris C"));
        }
        assertThat(CompareVerdicts.current(dir)).isEmpty();
        RunAnalysis stale = RunAnalysis.read(journal, null, dir, PricingTable.defaults(), false);
        assertThat(stale.summary().total().failed()).isZero(); // the journaled verdicts, no compare result applied
        assertThat(stale.summary().total().passed()).isEqualTo(3);
        assertThat(stale.compared().tallies()).isEmpty();

        // nor does one whose member's answer changed
        Files.delete(dir.resolve("compare.jsonl"));
        new ComparePass(cases, null).run(dir);
        assertThat(CompareVerdicts.current(dir)).hasSize(1);
        try (Journal j = Journal.open(journal)) {
            j.append(answered2("haiku", 0, "Lyon"));
        }
        assertThat(CompareVerdicts.current(dir)).isEmpty();
    }
}
