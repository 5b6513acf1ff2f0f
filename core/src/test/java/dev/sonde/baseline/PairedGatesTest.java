package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run and baseline matched case × model: a shard judged on its own pairs, a baseline written before
 * per-trial timings compared as before and saying so, and a baseline of several runs whose own
 * spread widens the latency interval.
 */
class PairedGatesTest {
    private static final int CASES = 14;

    @TempDir
    Path dir;

    /** A case's cost grows steeply with its index (cheap cases and dear ones, as in a real suite). */
    private static double cost(int i) {
        return 0.0001 * (1 + i * i);
    }

    /** TTFT of case {@code i} on {@code model}, before {@code slow}. */
    private static double ttft(int i, String model) {
        return (model.equals("sonnet") ? 900 : 450) * (0.8 + 0.03 * ((i * 5) % 14));
    }

    /** The cases {@code only} keeps, on both models, TTFT × {@code slow}. */
    private RunResult run(String name, IntPredicate only, double slow) throws IOException {
        RunFixture f = new RunFixture();
        for (int i = 0; i < CASES; i++) {
            if (only.test(i)) {
                for (String model : List.of("sonnet", "haiku")) {
                    double t = ttft(i, model) * slow;
                    f.trial("case-" + i, model, 0, true, t, t + 800, cost(i), "Paris");
                }
            }
        }
        return f.write(Files.createDirectories(dir.resolve(name)));
    }

    private static Set<String> pairs(IntPredicate only) {
        return IntStream.range(0, CASES).filter(only).boxed()
                .flatMap(i -> List.of("case-" + i + " [sonnet]", "case-" + i + " [haiku]").stream())
                .collect(Collectors.toSet());
    }

    @Test
    void a_shard_is_judged_on_its_own_pairs_and_expects_the_others_absent() throws Exception {
        BaselineFile base = Baselines.of(run("whole", i -> true, 1));
        IntPredicate shard = i -> i % 3 == 1; // the cheap cases are few here: unpaired, cost per trial reads +30 %
        PlannedPairs planned = new PlannedPairs(pairs(shard), pairs(i -> true));
        Comparison c = Baselines.compare(base, "memory", run("shard", shard, 1), Gates.DEFAULTS,
                Baselines.defaultPricing(), planned);

        assertThat(c.verdict().passed()).as(String.join("\n", c.verdict().lines())).isTrue();
        assertThat(c.verdict().notes()).isEmpty();
        assertThat(c.cases().removed()).isEmpty();
        assertThat(c.cases().compared()).isEqualTo(10);
        assertThat(c.cost().perTrialRatio()).isEqualTo(1.0);
        assertThat(c.cost().pairs()).isEqualTo(10);
        assertThat(c.cost().baselinePricedTrials()).isEqualTo(10);
        assertThat(c.latency()).extracting(Comparison.LatencyChange::p95Ratio).containsOnly(1.0);
        assertThat(c.passRate().cases()).isEqualTo(10);
        assertThat(c.tokens().baselineTrials()).isEqualTo(10);

        // the same shard as a whole run: the other shards' pairs are missing, as they are for a merge of one shard
        Comparison whole = Baselines.compare(base, "memory", run("alone", shard, 1), Gates.DEFAULTS,
                Baselines.defaultPricing());
        assertThat(whole.cases().removed()).hasSize(18);
        assertThat(whole.verdict().notes()).anyMatch(n -> n.startsWith("18 baseline case(s) missing from this run"));
    }

    @Test
    void a_planned_pair_the_run_lost_and_a_case_the_plan_dropped_are_still_missing() throws Exception {
        BaselineFile base = Baselines.of(run("whole", i -> true, 1));
        IntPredicate plan = i -> i != 13; // case-13 was removed from the suite
        IntPredicate shard = i -> i < 7;
        PlannedPairs planned = new PlannedPairs(pairs(shard), pairs(plan));
        Comparison c = Baselines.compare(base, "memory", run("shard", i -> i < 6, 1), Gates.DEFAULTS,
                Baselines.defaultPricing(), planned);
        assertThat(c.cases().removed()).containsExactlyInAnyOrder("case-6 [haiku]", "case-6 [sonnet]",
                "case-13 [haiku]", "case-13 [sonnet]");
    }

    @Test
    void a_baseline_without_per_trial_timings_compares_unpaired_and_says_so() throws Exception {
        Path file = dir.resolve("old.json");
        Baselines.write(run("a", i -> true, 1), file);
        // as written before per-trial timings were kept
        Files.writeString(file, Files.readString(file).replaceAll(",\\s+\"(ttft|ttfb|e2e)_ms\" : [0-9.E-]+", ""));
        assertThat(Files.readString(file)).doesNotContain("\"ttfb_ms\" : 3");
        BaselineFile old = BaselineFile.read(file);
        assertThat(old.trials().values()).allMatch(t -> t.ttftMs() == null && t.e2eMs() == null);

        Comparison c = Baselines.compare(file, run("b", i -> true, 1.5), Gates.DEFAULTS, Baselines.defaultPricing());
        assertThat(c.latency()).extracting(Comparison.LatencyChange::pairs).containsOnlyNulls();
        assertThat(c.verdict().failures()).extracting(GateResult::name)
                .containsExactly("ttft_p95 [sonnet]", "ttft_p95 [haiku]");
        GateResult g = c.verdict().failures().get(0);
        assertThat(g.evidence()).startsWith("unpaired (the baseline has no per-trial timings; accept a run again to"
                + " pair by case): Mann-Whitney p = ");
        assertThat(g.pValue()).isLessThan(0.025);
        // cost and pass rate pair by case from what every baseline holds
        assertThat(c.cost().pairs()).isEqualTo(28);
        assertThat(c.passRate().test()).isEqualTo("mcnemar");
    }

    @Test
    void a_baseline_of_several_runs_holds_each_trial_with_its_run_and_reads_back() throws Exception {
        Path file = dir.resolve("multi.json");
        List<RunResult> runs = List.of(run("r1", i -> true, 1), run("r2", i -> true, 1.1), run("r3", i -> true, 0.95));
        Baselines.accept(runs.subList(0, 1), file, false);
        assertThat(BaselineFile.read(file).formatVersion()).isEqualTo(1);
        BaselineFile b = Baselines.accept(runs.subList(1, 3), file, true);

        assertThat(b.formatVersion()).isEqualTo(2);
        assertThat(b.runCount()).isEqualTo(3);
        assertThat(b.runs()).extracting(BaselineFile.Source::runId)
                .containsExactly("regression-r1", "regression-r2", "regression-r3");
        assertThat(b.trials()).hasSize(84).containsKeys("case-0/sonnet/0", "case-0/sonnet/0@1", "case-0/sonnet/0@2");
        assertThat(b.trials().get("case-0/sonnet/0@2").run()).isEqualTo(2);
        assertThat(b.trials().get("case-0/sonnet/0").run()).isNull();
        assertThat(b.models().get("sonnet").trials()).isEqualTo(42);
        assertThat(b.models().get("sonnet").samples().get("ttft_ms").count()).isEqualTo(42);
        String text = Files.readString(file);
        assertThat(text).contains("\"format_version\" : 2,").contains("\"runs\" : [ {")
                .contains("\"run\" : 1,");
        BaselineFile back = BaselineFile.read(file);
        assertThat(back.trials()).isEqualTo(b.trials());
        assertThat(back.runs()).isEqualTo(b.runs());

        Comparison c = Baselines.compare(file, run("now", i -> true, 1), Gates.DEFAULTS, Baselines.defaultPricing());
        assertThat(c.verdict().passed()).as(String.join("\n", c.verdict().lines())).isTrue();
        assertThat(c.latency()).extracting(Comparison.LatencyChange::baselineRuns).containsOnly(3);
        assertThat(c.verdict().gates().get(2).evidence()).contains("the baseline's 3 runs resampled too");
        assertThat(c.cases().outputsChanged()).isZero();
        assertThat(c.cost().baselineTotalUsd()).isCloseTo(c.cost().runTotalUsd(), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void runs_that_cannot_be_one_baseline_are_refused_in_one_line() throws Exception {
        Path file = dir.resolve("multi.json");
        RunResult r1 = run("r1", i -> true, 1);
        Baselines.accept(List.of(r1), file, false);
        assertThatThrownBy(() -> Baselines.accept(List.of(r1), file, true))
                .isInstanceOf(Baselines.Refused.class).hasMessage("run regression-r1 is already in the baseline");
        RunResult shard = run("x-shard-1-of-2", i -> true, 1);
        assertThatThrownBy(() -> Baselines.accept(List.of(shard), file, true))
                .isInstanceOf(Baselines.Refused.class).hasMessageContaining("is one shard of a run");
        Files.writeString(dir.resolve("broken.json"), "{");
        assertThatThrownBy(() -> Baselines.accept(List.of(r1), dir.resolve("broken.json"), true))
                .isInstanceOf(Baselines.Refused.class).hasMessageStartingWith("--append: ");
        // a run index the file does not hold is refused on reading
        String text = Files.readString(file).replace("\"repeat\" : 0,", "\"repeat\" : 0,\n      \"run\" : 4,");
        Files.writeString(dir.resolve("bad.json"), text);
        assertThatThrownBy(() -> BaselineFile.read(dir.resolve("bad.json")))
                .hasMessageContaining(".run is 4, but the baseline holds 1 run");
    }

    @Test
    void a_noisy_machine_that_trips_a_one_run_baseline_passes_against_one_that_knows_its_spread() throws Exception {
        // the machine's runs vary as a whole: 1.0, 1.3 and 1.05 times as slow; the new run lands at 1.3
        RunResult quiet = run("quiet", i -> true, 1);
        RunResult loud = run("loud", i -> true, 1.3);
        RunResult mid = run("mid", i -> true, 1.05);
        RunResult now = run("now", i -> true, 1.3);
        Path one = dir.resolve("one.json");
        Path three = dir.resolve("three.json");
        Baselines.accept(List.of(quiet), one, false);
        Baselines.accept(List.of(quiet, loud, mid), three, false);

        Comparison single = Baselines.compare(one, now, Gates.DEFAULTS, Baselines.defaultPricing());
        assertThat(single.verdict().failures()).extracting(GateResult::gate).containsOnly("ttft_p95");
        Comparison spread = Baselines.compare(three, now, Gates.DEFAULTS, Baselines.defaultPricing());
        assertThat(spread.verdict().passed()).as(String.join("\n", spread.verdict().lines())).isTrue();
        GateResult g = spread.verdict().gates().get(2);
        assertThat(g.ciLow()).isLessThan(0.2);
    }
}
