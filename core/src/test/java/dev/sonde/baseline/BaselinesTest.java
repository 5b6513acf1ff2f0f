package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.metrics.PricingTable;
import dev.sonde.journal.RunInfo;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselinesTest {
    private static final List<String> CASES = List.of("capital-france", "sentiment", "ticket-priority", "invoice",
            "contact", "summary", "refusal", "tool-call", "policy", "translate", "code-review", "stop", "truncate",
            "extra");

    @TempDir
    Path dir;

    /** 14 cases × 2 models with fixed, spread-out latencies; {@code broken} fails; {@code slow} scales TTFT. */
    private RunResult run(String name, String broken, DoubleUnaryOperator slow, double costFactor) throws IOException {
        return run(name, broken, slow, costFactor, null);
    }

    /** As above, the run recording {@code timingOrigin} ({@code RunInfo.timing_origin}; null as in old runs). */
    private RunResult run(String name, String broken, DoubleUnaryOperator slow, double costFactor, String timingOrigin)
            throws IOException {
        RunFixture f = new RunFixture().timingOrigin(timingOrigin);
        for (int i = 0; i < CASES.size(); i++) {
            String c = CASES.get(i);
            for (String model : List.of("sonnet", "haiku")) {
                double base = (model.equals("sonnet") ? 900 : 450) * (0.8 + 0.03 * ((i * 5) % 14));
                boolean pass = !c.equals(broken);
                f.trial(c, model, 0, pass, slow.applyAsDouble(base), slow.applyAsDouble(base) + 800,
                        0.0004 * costFactor, pass ? "Paris" : "Lyon");
            }
        }
        return f.write(Files.createDirectories(dir.resolve(name)));
    }

    private Comparison compare(Path baseline, RunResult run) throws IOException {
        return Baselines.compare(baseline, run, Gates.DEFAULTS, PricingTable.defaults());
    }

    @Test
    void accepted_run_round_trips_as_a_sorted_diffable_file() throws Exception {
        Path file = dir.resolve("baselines/regression.json");
        Baselines.write(run("a", null, x -> x, 1), file);
        String text = Files.readString(file);
        assertThat(text).startsWith("{\n  \"format\" : \"sonde-baseline\",\n  \"format_version\" : 1,");
        // trials sorted by id whatever the journal order; check reasons (which quote timings) left out
        assertThat(text.indexOf("\"capital-france/haiku/0\"")).isLessThan(text.indexOf("\"capital-france/sonnet/0\""));
        assertThat(text).doesNotContain("\"reason\"").contains("\"output_sha256\"");
        // raw samples on one line, ascending
        assertThat(text).containsPattern("\"ttft_ms\" : \\{\\s+\"count\" : 14,\\s+\"values\" : \\[ 720\\.0, [^\\n]*\\]");
        assertThat(text).contains("\"hdr\" : \""); // inter-token gaps as an encoded histogram
        // each trial's own latencies, so a comparison can pair them by case
        assertThat(text).containsPattern("\"cost_usd\" : 4\\.0E-4,\\s+\"ttft_ms\" : 720\\.0,\\s+\"ttfb_ms\" : 360\\.0,"
                + "\\s+\"e2e_ms\" : 1520\\.0\\s+}");
        assertThat(text).doesNotContain("\"runs\"").doesNotContain("\"run\" :");

        BaselineFile back = BaselineFile.read(file);
        assertThat(back.trials()).hasSize(28);
        assertThat(back.trials().get("capital-france/sonnet/0").checks())
                .containsExactly(new BaselineFile.CheckEntry("stop-reason", true), new BaselineFile.CheckEntry("contains", true));
        assertThat(back.models().get("sonnet").samples().get("itl_ms").toSamples(0.001).count()).isEqualTo(28);
        assertThat(back.models().get("haiku").tokens().cacheRead()).isEqualTo(14 * 50);
        assertThat(back.trials().get("capital-france/sonnet/0").ttftMs()).isEqualTo(720.0);
        assertThat(back.runCount()).isEqualTo(1);
    }

    @Test
    void the_same_run_passes_every_gate() throws Exception {
        Path file = dir.resolve("b.json");
        Baselines.write(run("a", null, x -> x, 1), file);
        Comparison c = compare(file, run("b", null, x -> x, 1));
        assertThat(c.status()).isEqualTo(Comparison.Status.COMPARED);
        assertThat(c.verdict().passed()).as(String.join("\n", c.verdict().lines())).isTrue();
        assertThat(c.verdict().gates()).extracting(GateResult::name).containsExactly("new_failures", "pass_rate",
                "ttft_p95 [sonnet]", "ttft_p95 [haiku]", "cost_per_trial", "cache_hit_ratio");
        assertThat(c.cases().newFailures()).isEmpty();
        assertThat(c.cases().outputsChanged()).isZero();
        assertThat(c.latency()).extracting(Comparison.LatencyChange::p95Ratio).containsOnly(1.0);
        assertThat(c.latency()).extracting(Comparison.LatencyChange::pairs).containsOnly(14);
        assertThat(c.passRate().pValue()).isEqualTo(1.0);
        assertThat(c.passRate().test()).isEqualTo("mcnemar");
        assertThat(c.cost().ciLow()).isEqualTo(1.0);
        assertThat(c.cost().ciHigh()).isEqualTo(1.0);
    }

    @Test
    void a_broken_case_fails_the_gate_naming_the_case_and_why() throws Exception {
        Path file = dir.resolve("b.json");
        Baselines.write(run("a", null, x -> x, 1), file);
        Comparison c = compare(file, run("b", "ticket-priority", x -> x, 1));
        assertThat(c.verdict().passed()).isFalse();
        GateResult g = c.verdict().failures().get(0);
        assertThat(g.gate()).isEqualTo("new_failures");
        assertThat(g.line()).contains("2 new failures").contains("ticket-priority [haiku] was pass, now fail")
                .contains("ticket-priority [sonnet]").contains("contains: expected \"Paris\", got \"Lyon\"");
        assertThat(c.cases().outputsChanged()).isEqualTo(2);
        // 2 of 28 cases newly failing is not a significant drop on its own (McNemar p = 0.25): only the flip gate fails
        assertThat(c.verdict().failures()).extracting(GateResult::gate).containsExactly("new_failures");
        assertThat(c.passRate().newlyFailing()).isEqualTo(2);
        assertThat(c.passRate().pValue()).isEqualTo(0.25);

        Comparison back = compare(file(run("c", "ticket-priority", x -> x, 1)), run("d", null, x -> x, 1));
        assertThat(back.cases().fixed()).extracting(Comparison.CaseChange::name)
                .containsExactlyInAnyOrder("ticket-priority [sonnet]", "ticket-priority [haiku]");
        assertThat(back.verdict().passed()).isTrue();
    }

    @Test
    void a_baseline_timed_from_the_call_against_a_run_timed_from_the_wire_says_the_shift_once_until_re_accepted()
            throws Exception {
        Path old = dir.resolve("old.json");
        Baselines.write(run("a", null, x -> x, 1), old); // no timing_origin: a run made before, timed from the call
        assertThat(BaselineFile.read(old).source().timingOrigin()).isNull();

        Comparison shifted = compare(old, run("b", null, x -> x, 1, RunInfo.TIMING_ORIGIN));
        assertThat(shifted.verdict().notes()).filteredOn(n -> n.startsWith("timing origin shifted")).singleElement()
                .satisfies(n -> assertThat(n).contains("baseline's latencies start at the call")
                        .contains("this run's at the wire").contains("dispatch_ms").contains("re-accept"));
        assertThat(shifted.verdict().lines()).anyMatch(l -> l.startsWith("note: timing origin shifted"));

        Path accepted = dir.resolve("new.json");
        Baselines.write(run("c", null, x -> x, 1, RunInfo.TIMING_ORIGIN), accepted);
        assertThat(BaselineFile.read(accepted).source().timingOrigin()).isEqualTo("wire");
        assertThat(compare(accepted, run("d", null, x -> x, 1, RunInfo.TIMING_ORIGIN)).verdict().notes())
                .noneMatch(n -> n.startsWith("timing origin"));
        // the old baseline and an old run agree: both from the call, nothing to say
        assertThat(compare(old, run("e", null, x -> x, 1)).verdict().notes()).noneMatch(n -> n.startsWith("timing origin"));
    }

    private Path file(RunResult run) throws IOException {
        Path f = dir.resolve(run.outDir().getFileName() + ".json");
        Baselines.write(run, f);
        return f;
    }

    @Test
    void fifty_percent_slower_first_tokens_fail_the_latency_gate_with_evidence() throws Exception {
        Comparison c = compare(file(run("a", null, x -> x, 1)), run("b", null, x -> x * 1.5, 1));
        assertThat(c.verdict().passed()).isFalse();
        assertThat(c.verdict().failures()).extracting(GateResult::name)
                .containsExactly("ttft_p95 [sonnet]", "ttft_p95 [haiku]");
        GateResult g = c.verdict().failures().get(0);
        assertThat(g.value()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(g.pValue()).isNull();
        assertThat(g.ciLow()).isGreaterThan(0.2);
        assertThat(g.line()).contains("+50.0%").contains("paired by case (14 cases): 95% CI of ratio +50.0% … +50.0%")
                .contains("limit +20%, whole 95% CI above it (α/2 models)");
    }

    @Test
    void ten_percent_slower_is_under_the_threshold_and_passes() throws Exception {
        Comparison c = compare(file(run("a", null, x -> x, 1)), run("b", null, x -> x * 1.1, 1));
        assertThat(c.verdict().passed()).isTrue();
    }

    @Test
    void cost_up_more_than_ten_percent_fails() throws Exception {
        Comparison c = compare(file(run("a", null, x -> x, 1)), run("b", null, x -> x, 1.2));
        assertThat(c.verdict().failures()).extracting(GateResult::gate).containsExactly("cost_per_trial");
        assertThat(c.cost().perTrialRatio()).isCloseTo(1.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c.verdict().failures().get(0).line()).contains("paired by case (28 cases, mean of each case's mean):"
                + " 90% CI of ratio +20.0% … +20.0%").contains("limit +10%, whole 90% CI above it");
    }

    @Test
    void a_missing_baseline_passes_and_says_how_to_make_one() throws Exception {
        Comparison c = compare(dir.resolve("nope.json"), run("b", null, x -> x, 1));
        assertThat(c.status()).isEqualTo(Comparison.Status.NO_BASELINE_FILE);
        assertThat(c.verdict().passed()).isTrue();
        assertThat(c.message()).contains("no baseline file yet").contains("sonde baseline accept");
        assertThat(c.aggregates().run().trials()).isEqualTo(28);
    }

    @Test
    void an_unreadable_or_newer_baseline_fails_loudly() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"sonde-baseline\", \"format_version\": 99, \"trials\": {}, \"models\": {}}");
        Comparison c = compare(bad, run("b", null, x -> x, 1));
        assertThat(c.status()).isEqualTo(Comparison.Status.BASELINE_UNREADABLE);
        assertThat(c.verdict().passed()).isFalse();
        assertThat(c.verdict().lines().get(0)).contains("format_version 99 is not supported");
        Files.writeString(bad, "not json");
        assertThatThrownBy(() -> BaselineFile.read(bad))
                .hasMessage(bad + ": not a readable Sonde baseline: not valid JSON (line 1, column 1)");
        Files.writeString(bad, "{\"format\": \"sonde-baseline\",\n \"format_version\": \"one\"}");
        assertThatThrownBy(() -> BaselineFile.read(bad))
                .hasMessageStartingWith(bad + ": not a readable Sonde baseline: format_version is not what a baseline holds there (line 2");
    }

    @Test
    void repeats_give_pass_rate_pass_hat_k_and_name_flaky_cases() throws Exception {
        RunFixture f = new RunFixture();
        for (int r = 0; r < 3; r++) {
            f.trial("stable", "sonnet", r, true, 900.0 + r, 1500.0, 0.001, "Paris");
            f.trial("flaky", "sonnet", r, r != 1, 910.0 + r, 1500.0, 0.001, r != 1 ? "Paris" : "Lyon");
        }
        RunResult run = f.write(Files.createDirectories(dir.resolve("rep")));
        RunFixture g = new RunFixture();
        for (int r = 0; r < 3; r++) {
            g.trial("stable", "sonnet", r, true, 900.0 + r, 1500.0, 0.001, "Paris");
            g.trial("flaky", "sonnet", r, true, 910.0 + r, 1500.0, 0.001, "Paris");
        }
        Path base = file(g.write(Files.createDirectories(dir.resolve("rep-base"))));
        Comparison c = compare(base, run);
        assertThat(c.repeats().k()).isEqualTo(3);
        assertThat(c.repeats().flaky()).containsExactly("flaky [sonnet] (2/3)");
        assertThat(c.repeats().meanPassHatK()).isEqualTo(0.5);
        assertThat(c.cases().newFailures()).singleElement().satisfies(ch -> {
            assertThat(ch.run()).isEqualTo("flaky 2/3");
            assertThat(ch.baseline()).isEqualTo("pass 3/3");
        });
        assertThat(BaselineJudge.passHatK(2, 3, 2)).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
    }
}
