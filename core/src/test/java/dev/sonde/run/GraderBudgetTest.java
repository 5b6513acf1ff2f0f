package dev.sonde.run;

import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.check.Grader;
import dev.sonde.check.Graders;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grader spend is journaled apart from each trial's cost, and counts toward budget.max_usd. */
class GraderBudgetTest {
    private static final double GRADING_USD = 1.0;
    @TempDir
    Path dir;

    @Test
    void grader_cost_is_apart_from_the_trial_cost_and_spends_the_budget() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: r
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 10}}]
                budget: {max_usd: 1.5}
                cases:
                  - {id: c0, prompt: "q0", assert: [{type: llm-rubric, value: "Is an answer."}]}
                  - {id: c1, prompt: "q1", assert: [{type: llm-rubric, value: "Is an answer."}]}
                  - {id: c2, prompt: "q2", assert: [{type: llm-rubric, value: "Is an answer."}]}
                """);
        Suite suite = SuiteLoader.load(f);
        Usage trialUsage = Usage.fromJson(JsonNodeFactory.instance.objectNode().put("input_tokens", 10).put("output_tokens", 5));
        Provider provider = new Provider() {
            @Override
            public Exchange send(MessageRequest request) {
                return new Exchange(200, "req", "claude-sonnet-4-6", List.of(new ContentBlock.Text("An answer.")),
                        "end_turn", null, trialUsage, Timings.NONE, null);
            }

            @Override
            public String endpoint() {
                return "scripted";
            }
        };
        Usage graderUsage = Usage.fromJson(JsonNodeFactory.instance.objectNode().put("input_tokens", 200).put("output_tokens", 20));
        Graders graders = (model, params) -> new Grader() {
            @Override
            public String model() {
                return "costly";
            }

            @Override
            public Reply ask(String system, String prompt, ObjectNode verdictSchema) {
                return new Reply("{\"pass\": true, \"score\": 1, \"reason\": \"fine\"}", graderUsage, GRADING_USD, null);
            }
        };
        RunInfo meta = new RunInfo("r", "s.yaml", "run", "x", true, Instant.EPOCH, null, 0, 0, 0, List.of(), null, "t", "21");
        Runner runner = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE)
                .withGraders(graders);
        try {
            runner.run(suite, Plan.expand(suite), 1, meta, dir.resolve("out"));
        } catch (RunAborted expected) {
            assertThat(expected.getMessage()).contains("budget: max_usd");
        }
        List<TrialResult> trials;
        try (Stream<TrialResult> s = Journal.read(dir.resolve("out/trials.jsonl"))) {
            trials = s.toList();
        }
        double ownCost = PricingTable.defaults().cost("claude-sonnet-4-6", trialUsage, false).orElseThrow().totalUsd();
        // c0 and c1 fit (the trial's worst case is cents); after them $2 of grading is spent: c2 is refused
        assertThat(trials).extracting(TrialResult::caseId).containsExactlyInAnyOrder("c0", "c1", "c2");
        for (TrialResult t : trials.subList(0, 2)) {
            assertThat(t.pass()).isTrue();
            assertThat(t.costUsd()).isEqualTo(ownCost);
            assertThat(t.graderCostUsd()).isEqualTo(GRADING_USD);
            assertThat(t.graderUsage().inputTokens()).isEqualTo(200);
            assertThat(t.graderUsage().calls()).isEqualTo(1);
            assertThat(t.checks().get(0).graderCostUsd()).isEqualTo(GRADING_USD);
        }
        TrialResult last = trials.get(2);
        assertThat(last.caseId()).isEqualTo("c2");
        assertThat(last.skipped()).startsWith("budget: max_usd $1.5000 would be exceeded (spent $2.0");
        assertThat(last.graderUsage()).isNull();
    }
}
