package dev.sonde.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.check.CheckResult;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trials answered without timings (a batch) and checked only by latency bounds have no verdict:
 * every count of the analysis keeps them apart — never a pass, never a failure, outside the pass
 * rate — and the run's verdict rests on the trials that were evaluated.
 */
class NotEvaluatedTrialsTest {
    private static final String BATCH = "sent through Message Batches, which report no timings";
    private static final Instant AT = Instant.parse("2026-12-05T08:00:00Z");

    @TempDir
    Path dir;

    /** One untimed trial: {@code content} null = checked by latency alone, else a contains check with that verdict. */
    private static TrialResult trial(String caseId, String model, Boolean content) {
        List<CheckResult> checks = new ArrayList<>(List.of(CheckResult.notApplicable("latency", BATCH)));
        if (content != null) {
            checks.add(content ? CheckResult.pass("contains", "found") : CheckResult.fail("contains", "not found"));
        }
        String usage = "{\"input_tokens\":10,\"output_tokens\":5,\"service_tier\":\"batch\"}";
        try {
            return TrialResult.builder(caseId + "/" + model + "/0", caseId, model, "claude-haiku-4-5", 0)
                    .pass(Boolean.TRUE.equals(content)).outputText("Paris").usage(Journal.JSON.readTree(usage))
                    .timings(TimingsMillis.of(Timings.unmeasured(BATCH), 5)).costUsd(0.00001).checks(checks)
                    .attempts(1).startedAt(AT).untimed(BATCH).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RunResult run(String name, List<TrialResult> trials) throws Exception {
        Path out = Files.createDirectories(dir.resolve(name));
        Path journal = out.resolve("trials.jsonl");
        try (Journal j = Journal.open(journal)) {
            for (TrialResult t : trials) {
                j.append(t);
            }
        }
        RunInfo info = new RunInfo("s", "s.yaml", "s-1", "emulator", false, AT, AT.plusSeconds(1), 1000, trials.size(),
                4, List.of(new RunInfo.ModelRef("haiku", "claude-haiku-4-5")), "2026-11", "0.1.0", "25");
        return new RunResult(info, journal, out);
    }

    @Test
    void a_trial_none_of_whose_checks_applied_is_counted_apart_everywhere() throws Exception {
        RunResult run = run("mixed", List.of(trial("fast", "haiku", null), trial("paris", "haiku", true),
                trial("lyon", "haiku", false)));
        List<TrialResult> back;
        try (var s = run.trials()) {
            back = s.toList();
        }
        assertThat(back).extracting(TrialResult::status).containsExactly("not_evaluated", "passed", "failed");
        assertThat(back.get(0).notEvaluated()).isTrue();
        assertThat(back.get(0).untimed()).isEqualTo(BATCH);
        assertThat(back.get(0).checks().get(0).applicable()).as("read back from the journal").isFalse();

        RunAnalysis a = RunAnalysis.read(run.journal(), run.info(), run.outDir(), PricingTable.defaults(), true);
        RunSummary.Stats total = a.summary().total();
        assertThat(total.trials()).isEqualTo(3);
        assertThat(total.passed()).isEqualTo(1);
        assertThat(total.failed()).isEqualTo(1);
        assertThat(total.errored()).isZero();
        assertThat(total.notEvaluated()).isEqualTo(1);
        assertThat(total.evaluated()).isEqualTo(2);
        assertThat(total.passRate()).isEqualTo(0.5);
        assertThat(total.untimedTrials()).isEqualTo(3);
        assertThat(total.untimedReason()).isEqualTo(BATCH);
        assertThat(total.ttftMs().count()).isZero();

        Aggregate.Stats model = a.aggregates().snapshot().models().get("haiku");
        assertThat(model.notEvaluated()).isEqualTo(1);
        assertThat(model.failed()).isEqualTo(1);
        assertThat(model.passRate()).isEqualTo(0.5);
        assertThat(model.untimedTrials()).isEqualTo(3);
        assertThat(a.aggregates().models().get("haiku").untimedReason()).isEqualTo(BATCH);
        assertThat(a.aggregates().snapshot().cases().get("fast").get("haiku").notEvaluated()).isEqualTo(1);

        assertThat(a.failures().notPassed()).as("not evaluated is no failure").isEqualTo(1);
        assertThat(a.failures().notEvaluated()).isEqualTo(1);
        assertThat(a.failures().notEvaluatedShown()).extracting(TrialResult::caseId).containsExactly("fast");
        assertThat(Failures.why(back.get(0))).isEqualTo("not evaluated, no check applies (latency): " + BATCH);
        assertThat(Failures.why(back.get(2))).as("a not-applicable check is never listed as failed")
                .isEqualTo("contains: not found");

        CaseScan.Cell cell = a.caseScan().cases().get("fast").cells().get("haiku");
        assertThat(cell.status()).isEqualTo("not_evaluated");
        assertThat(cell.allPassed()).isFalse();
        assertThat(a.caseScan().cases().get("fast").failedCheckTypes()).isEmpty();
        assertThat(a.caseScan().cases().get("lyon").failedCheckTypes()).containsExactly("contains");
    }

    @Test
    void the_verdict_rests_on_the_trials_evaluated_and_needs_one() throws Exception {
        RunResult some = run("some", List.of(trial("fast", "haiku", null), trial("paris", "haiku", true)));
        RunSummary.Snapshot summary = RunAnalysis.read(some.journal(), some.info(), some.outDir(), PricingTable.defaults(), false)
                .summary();
        assertThat(RunVerdict.of(summary, some, false)).isEqualTo(RunVerdict.PASS);

        RunResult none = run("none", List.of(trial("fast", "haiku", null), trial("slow", "haiku", null)));
        RunSummary.Snapshot nothing = RunAnalysis.read(none.journal(), none.info(), none.outDir(), PricingTable.defaults(), false)
                .summary();
        assertThat(nothing.total().evaluated()).isZero();
        assertThat(RunVerdict.of(nothing, none, false)).as("nothing was judged: never a pass").isEqualTo(RunVerdict.FAIL);
    }
}
