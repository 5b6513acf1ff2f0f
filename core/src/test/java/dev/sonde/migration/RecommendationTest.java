package dev.sonde.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.journal.Journal;
import dev.sonde.stats.PairedProportions;
import dev.sonde.suite.CompareSpec;
import dev.sonde.suite.Location;
import dev.sonde.testing.ParagraphFigures;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The decision table of {@link Recommendation} row by row, and the paragraph's wording, on
 * hand-made comparisons (tolerance 5 pp, at most 2 excepted cases).
 */
class RecommendationTest {
    private static final CompareSpec SPEC = new CompareSpec("sonnet", List.of("haiku"), 5, 2, CompareSpec.Volume.NONE,
            new Location(Path.of("s.yaml"), 1, 1));
    private static final ModelComparison.TokenChange NO_TOKENS = new ModelComparison.TokenChange(0, null, null, null,
            null, null, null, null, null, null, null, null);

    private static final ModelComparison.CostChange UNPRICED = new ModelComparison.CostChange(true, 0, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    private static ModelComparison.Agreement agreement(int both, List<String> newlyFailing, int newlyPassing,
            int bothFail) {
        return new ModelComparison.Agreement(both + newlyFailing.size() + newlyPassing + bothFail, both,
                newlyFailing.size(), newlyPassing, bothFail, newlyFailing, List.of(), List.of(), List.of());
    }

    /** A cost ratio with its CI; per-request $0.004 on the baseline, monthly figures when given. */
    private static ModelComparison.CostChange cost(double ratio, double ciLow, double ciHigh, Double baseMonthly,
            Double candMonthly, Double exceptMonthly) {
        return new ModelComparison.CostChange(false, 10, 1.0, ratio, 0.004, null, null, 0.004 * ratio, null, null,
                ratio, ciLow, ciHigh, baseMonthly, null, null, candMonthly, null, null,
                exceptMonthly == null ? null : 0.003, exceptMonthly);
    }

    private static ModelComparison.CostChange cheaper(double ratio) {
        return cost(ratio, ratio * 0.9, ratio * 1.1, null, null, null);
    }

    private static List<ModelComparison.LatencyChange> ttftP95(double change, double ciLow, double ciHigh) {
        ModelComparison.Quantile q = new ModelComparison.Quantile(100.0, null, null, 100 * (1 + change), null, null,
                change, ciLow, ciHigh);
        return List.of(new ModelComparison.LatencyChange("ttft_ms", 20, 20, q, q));
    }

    private static List<ModelComparison.LatencyChange> noFaster() {
        return ttftP95(0.1, -0.05, 0.3);
    }

    private static ModelComparison.Recommendation decide(ModelComparison.Agreement g, ModelComparison.CostChange c,
            List<ModelComparison.LatencyChange> latency) {
        return decide(g, c, latency, NO_TOKENS, 0, 0, List.of());
    }

    private static ModelComparison.Recommendation decide(ModelComparison.Agreement g, ModelComparison.CostChange c,
            List<ModelComparison.LatencyChange> latency, ModelComparison.TokenChange tokens, long baseErrored,
            long candErrored, List<String> params) {
        return Recommendation.decide(SPEC, new Recommendation.Facts("claude-haiku-4-5", "claude-sonnet-4-6", g,
                Migration.passRate(g), c, latency, tokens, baseErrored, candErrored, params));
    }

    @Test
    void a_cheaper_candidate_that_breaks_no_case_migrates_even_on_a_small_suite() {
        ModelComparison.Agreement g = agreement(3, List.of(), 0, 1); // identical pass sets on 4 cases
        ModelComparison.Recommendation r = decide(g, cheaper(0.34), noFaster());
        assertThat(Migration.passRate(g).ciLowPp()).as("a small suite's CI reaches below −5 pp").isLessThan(-5);
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE);
        assertThat(r.resolvesTolerance()).isFalse();
        assertThat(r.text()).startsWith("claude-haiku-4-5 passes 3 of the 3 cases claude-sonnet-4-6 passes (0.0 pp")
                .endsWith(": migrate (none of the cases claude-sonnet-4-6 passes fails on it). 4 cases cannot show any"
                        + " drop: the exact McNemar test needs 6 cases newly failing, and the 95 % CI of the difference"
                        + " is " + Recommendation.signedPp(Migration.passRate(g).ciWidthPp()) + " pp wide; the"
                        + " decision rests on case agreement: 4 of 4 cases agree.");
    }

    @Test
    void more_newly_failing_cases_never_give_a_better_decision_on_the_same_suite() {
        ModelComparison.Recommendation none = decide(agreement(3, List.of(), 0, 1), cheaper(0.34), noFaster());
        ModelComparison.Recommendation one = decide(agreement(2, List.of("b"), 0, 1), cheaper(0.34), noFaster());
        ModelComparison.Recommendation three = decide(agreement(0, List.of("a", "b", "c"), 0, 1), cheaper(0.34),
                noFaster());
        assertThat(List.of(none.decision(), one.decision(), three.decision())).containsExactly(
                ModelComparison.Decision.MIGRATE, ModelComparison.Decision.MIGRATE_EXCEPT,
                ModelComparison.Decision.DONT_MIGRATE);
        assertThat(one.text()).contains(": migrate, except case `b` (1 case newly fails, at most 2 may stay on"
                + " claude-sonnet-4-6). 4 cases cannot show any drop");
        assertThat(three.text()).contains(": don't migrate (3 cases newly fail, more than the 2 that may stay on"
                + " claude-sonnet-4-6, and the 95 % CI's lower bound, −");
    }

    @Test
    void migrates_with_the_ci_within_the_tolerance_and_states_why() {
        ModelComparison.Agreement g = agreement(200, List.of(), 0, 0);
        ModelComparison.Recommendation r = decide(g, cost(0.34, 0.30, 0.38, 412.0, 140.08, null), ttftP95(-0.38,
                -0.5, -0.2));
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE);
        assertThat(r.text()).isEqualTo("claude-haiku-4-5 passes 200 of the 200 cases claude-sonnet-4-6 passes"
                + " (0.0 pp, 95 % CI [−1.9, 1.9]), costs 34 % as much ($412 → $140 a month at your volume),"
                + " TTFT p95 −38 %: migrate (none of the cases claude-sonnet-4-6 passes fails on it; the 95 % CI's"
                + " lower bound, −1.9 pp, is within the tolerated −5.0 pp).");
        assertThat(r.resolvesTolerance()).as("200 cases can show a drop of 6 / 200 = 3.0 pp").isTrue();
        assertThat(r.reasons()).contains("it costs 34 % as much per request (95 % CI [0.30, 0.38])",
                "TTFT p95 is lower (change 95 % CI [−50 %, −20 %])");
    }

    @Test
    void many_newly_failing_cases_are_excepted_only_when_the_tolerance_holds() {
        ModelComparison.Agreement g = agreement(400, List.of("a", "b", "c"), 20, 0); // net +3.9 pp
        ModelComparison.Recommendation r = decide(g, cheaper(0.5), noFaster());
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE_EXCEPT);
        assertThat(r.exceptCases()).containsExactly("a", "b", "c");
        assertThat(r.text()).contains("and 20 cases claude-sonnet-4-6 fails")
                .contains(": migrate, except cases `a`, `b`, `c` (3 cases newly fail, more than the 2 that may stay"
                        + " on claude-sonnet-4-6, but the 95 % CI's lower bound, ");
    }

    @Test
    void the_excepted_cases_blend_the_monthly_projection_and_the_paragraph_says_so() {
        ModelComparison.Agreement g = agreement(10, List.of("legal-summary"), 0, 1);
        ModelComparison.Recommendation r = decide(g, cost(0.1, 0.08, 0.12, 457.0, 45.7, 80.0), noFaster());
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE_EXCEPT);
        assertThat(r.text()).contains(", costs 10 % as much ($457 → $80.00 a month at your volume, with the excepted"
                + " case kept on claude-sonnet-4-6), TTFT p95 +10 %: migrate, except case `legal-summary`");
    }

    @Test
    void gains_within_noise_are_no_gains() {
        ModelComparison.Agreement g = agreement(30, List.of(), 0, 2);
        ModelComparison.Recommendation r = decide(g, cost(0.97, 0.91, 1.04, null, null, null),
                ttftP95(-0.06, -0.2, 0.08));
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.DONT_MIGRATE);
        assertThat(r.basis()).isEqualTo(ModelComparison.Basis.COST_AND_LATENCY);
        assertThat(r.text()).contains("passes 30 of the 30 cases claude-sonnet-4-6 passes (0.0 pp").contains(
                ": don't migrate (it is neither cheaper nor faster than claude-sonnet-4-6 beyond noise: the cost"
                        + " ratio's 95 % CI [0.91, 1.04] does not lie below 1, the TTFT p95 change's 95 % CI [−20 %,"
                        + " +8 %] does not lie below 0). 32 cases cannot show a drop as small as 5.0 pp: the smallest"
                        + " they can show is 18.8 pp (6 cases newly failing, none newly passing, by the exact McNemar"
                        + " test) and the 95 % CI of the difference is ")
                .endsWith(" pp wide; the decision rests on cost and latency, not on the pass rate.");
        ModelComparison.Recommendation u = decide(g, UNPRICED, ttftP95(0.0, -0.1, 0.1));
        assertThat(u.decision()).isEqualTo(ModelComparison.Decision.DONT_MIGRATE);
        assertThat(u.text()).contains(", cost unknown (unpriced), TTFT p95 0 %: don't migrate (it is neither cheaper"
                + " nor faster than claude-sonnet-4-6 beyond noise: its cost is unknown");
    }

    @Test
    void a_better_but_dearer_candidate_is_offered_as_an_upgrade_with_its_cost() {
        ModelComparison.Agreement g = agreement(13, List.of(), 1, 0);
        ModelComparison.Recommendation r = decide(g, cost(1.82, 1.7, 1.9, 457.0, 831.0, null), ttftP95(0.22, 0.1,
                0.3));
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.UPGRADE);
        assertThat(r.basis()).isEqualTo(ModelComparison.Basis.CASE_AGREEMENT);
        assertThat(r.text()).contains("passes 13 of the 13 cases claude-sonnet-4-6 passes and 1 case claude-sonnet-4-6"
                + " fails (7.1 pp").contains(", 1.8× the cost ($457 → $831 a month at your volume), TTFT p95 +22 %:"
                        + " upgrade — +1 case, +$374 a month (it passes 1 case claude-sonnet-4-6 fails and none of the"
                        + " cases claude-sonnet-4-6 passes fails on it, but it is neither cheaper nor faster beyond"
                        + " noise: the cost ratio's 95 % CI [1.70, 1.90] does not lie below 1, the TTFT p95 change's"
                        + " 95 % CI [+10 %, +30 %] does not lie below 0). 14 cases cannot show a drop as small as"
                        + " 5.0 pp: the smallest they can show is 42.9 pp (6 cases newly failing, none newly passing,"
                        + " by the exact McNemar test) and the 95 % CI of the difference is 46.6 pp wide; the decision"
                        + " rests on case agreement: 13 of 14 cases agree.");
        // without a volume the change is per request; unpriced, it is said to be unknown
        assertThat(decide(g, cost(1.82, 1.7, 1.9, null, null, null), noFaster()).text())
                .contains(": upgrade — +1 case, +$0.0033 per request (");
        assertThat(decide(g, UNPRICED, noFaster()).text()).contains(": upgrade — +1 case, cost unknown (unpriced) (");
    }

    @Test
    void a_candidate_that_gains_cases_and_loses_one_is_no_upgrade_and_a_cheaper_better_one_migrates() {
        ModelComparison.Agreement traded = agreement(11, List.of("a"), 2, 0);
        ModelComparison.Recommendation r = decide(traded, cost(1.82, 1.7, 1.9, null, null, null), noFaster());
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.DONT_MIGRATE);
        assertThat(r.reasons().get(0)).endsWith("; it passes 2 cases claude-sonnet-4-6 fails but newly fails 1 case,"
                + " so it is no upgrade");
        ModelComparison.Recommendation both = decide(agreement(13, List.of(), 1, 0), cheaper(0.5), noFaster());
        assertThat(both.decision()).as("cheaper and not worse: migrate, the better option")
                .isEqualTo(ModelComparison.Decision.MIGRATE);
    }

    @Test
    void too_few_cases_for_the_tolerance_are_said_with_what_the_decision_rests_on() {
        ModelComparison.Agreement haikuLike = agreement(12, List.of("legal-summary"), 0, 1);
        ModelComparison.Recommendation r = decide(haikuLike, cheaper(0.32), noFaster());
        assertThat(r.decision()).isEqualTo(ModelComparison.Decision.MIGRATE_EXCEPT);
        assertThat(r.resolvesTolerance()).isFalse();
        assertThat(r.text()).contains("(−7.1 pp, 95 % CI [−31.8, 16.4])").endsWith(": migrate, except case"
                + " `legal-summary` (1 case newly fails, at most 2 may stay on claude-sonnet-4-6). 14 cases cannot"
                + " show a drop as small as 5.0 pp: the smallest they can show is 42.9 pp (6 cases newly failing,"
                + " none newly passing, by the exact McNemar test) and the 95 % CI of the difference is 48.2 pp wide;"
                + " the decision rests on case agreement: 13 of 14 cases agree.");
        ModelComparison.Recommendation many = decide(agreement(8, List.of("a", "b", "c"), 0, 3), cheaper(0.32),
                noFaster());
        assertThat(many.basis()).isEqualTo(ModelComparison.Basis.TOLERANCE_BOUND);
        assertThat(many.text()).endsWith("; the decision rests on the CI's lower bound: more cases newly fail than"
                + " may stay on the baseline.");

        // 120 cases can show 6 / 120 = 5.0 pp: nothing more is said; 119 cannot
        ModelComparison.Recommendation enough = decide(agreement(110, List.of("x"), 0, 9), cheaper(0.32), noFaster());
        assertThat(enough.resolvesTolerance()).isTrue();
        assertThat(enough.text()).doesNotContain("cannot show").endsWith("may stay on claude-sonnet-4-6).");
        ModelComparison.Recommendation fewer = decide(agreement(108, List.of("x"), 0, 10), cheaper(0.32), noFaster());
        assertThat(fewer.resolvesTolerance()).isFalse();
        assertThat(fewer.text()).contains(" 119 cases cannot show a drop as small as 5.0 pp: the smallest they can"
                + " show is 5.0 pp (6 cases");
    }

    @Test
    void when_the_cases_can_show_the_tolerated_drop_a_run_whose_cases_all_agree_has_its_bound_within_it() {
        // why no sentence is needed then: the bound can hold (docs/STATISTICS.md)
        for (double tolerance : new double[] {1, 2.5, 5, 10, 20}) {
            for (int n = 1; n <= 1000; n++) {
                ModelComparison.PassRate p = Migration.passRate(agreement(n, List.of(), 0, 0));
                assertThat(Recommendation.resolvesTolerance(p, tolerance)).as("%d cases, %s pp", n, tolerance)
                        .isEqualTo(600.0 / n <= tolerance);
                if (!Recommendation.resolvesTolerance(p, tolerance)) {
                    continue;
                }
                double lowest = 0;
                for (int a = 0; a <= n; a++) { // every split of both-pass and both-fail
                    lowest = Math.min(lowest, 100 * PairedProportions.newcombeCi(a, 0, 0, n - a)[0]);
                }
                assertThat(lowest).as("%d cases, %s pp", n, tolerance).isGreaterThanOrEqualTo(-tolerance);
            }
        }
    }

    @Test
    void more_newly_failing_cases_never_give_a_better_decision_upgrade_included() {
        // best first: migrate, migrate except, upgrade, don't migrate (the enum's order)
        for (ModelComparison.CostChange cost : List.of(cheaper(0.4), cost(1.5, 1.3, 1.7, null, null, null))) {
            for (int newlyPassing : new int[] {0, 1, 3}) {
                ModelComparison.Decision previous = null;
                for (int k = 0; k <= 6; k++) {
                    List<String> failing = IntStream.range(0, k).mapToObj(i -> "c" + i).toList();
                    ModelComparison.Decision d = decide(agreement(20 - k, failing, newlyPassing, 2), cost, noFaster())
                            .decision();
                    if (previous != null) {
                        assertThat(d.ordinal()).as("k = %d, %d newly passing, ratio %s", k, newlyPassing, cost.ratio())
                                .isGreaterThanOrEqualTo(previous.ordinal());
                    }
                    previous = d;
                }
            }
        }
    }

    @Test
    void every_figure_of_every_paragraph_is_a_field_of_its_json() throws Exception {
        ObjectMapper json = Journal.JSON;
        ModelComparison.TokenChange tokens = new ModelComparison.TokenChange(14, 110.0, 28.0, -82.0, null, null,
                -0.75, 82.0, 0.0, -82.0, null, null);
        List<Object[]> cases = List.of(
                new Object[] {agreement(12, List.of("legal-summary"), 0, 1), cost(0.32, 0.3, 0.34, 457.0, 146.0,
                        152.6), ttftP95(-0.44, -0.6, -0.2)},
                new Object[] {agreement(13, List.of(), 1, 0), cost(1.82, 1.7, 1.9, 457.0, 831.0, null), noFaster()},
                new Object[] {agreement(3, List.of(), 0, 1), cheaper(0.34), noFaster()},
                new Object[] {agreement(8, List.of("a", "b", "c"), 0, 3), cheaper(0.32), noFaster()},
                new Object[] {agreement(30, List.of(), 0, 2), UNPRICED, ttftP95(0.0, -0.1, 0.1)},
                new Object[] {agreement(200, List.of(), 0, 0), cost(0.34, 0.30, 0.38, 412.0, 140.08, null),
                        ttftP95(-0.38, -0.5, -0.2)});
        List<String> params = List.of("claude-sonnet-4-6 runs with thinking (budget 1024), claude-haiku-4-5 without");
        ModelComparison whole = null;
        for (Object[] c : cases) {
            ModelComparison.Agreement g = (ModelComparison.Agreement) c[0];
            ModelComparison.CostChange cost = (ModelComparison.CostChange) c[1];
            @SuppressWarnings("unchecked")
            List<ModelComparison.LatencyChange> latency = (List<ModelComparison.LatencyChange>) c[2];
            ModelComparison.Recommendation r = decide(g, cost, latency, tokens, 1, 3, params);
            ModelComparison.Candidate candidate = new ModelComparison.Candidate("haiku", "claude-haiku-4-5",
                    "claude-haiku-4-5", "claude-sonnet-4-6", g, Migration.passRate(g), cost, latency, tokens, r, 1, 3,
                    params, new ModelComparison.SameOutput(15, 14));
            whole = new ModelComparison("sonnet", "claude-sonnet-4-6", Migration.PASS_RULE, 3, 5, 2,
                    new ModelComparison.Volume("requests_per_month", 250_000.0, java.util.Map.of()), List.of(),
                    List.of(candidate));
            JsonNode tree = json.readTree(json.writeValueAsString(whole));
            JsonNode node = tree.at("/candidates/0");
            assertThat(ParagraphFigures.figures(r.text(), node)).as(r.text()).hasSizeGreaterThan(8);
            assertThat(ParagraphFigures.missing(r.text(), tree, node)).as(r.text()).isEmpty();
            assertThat(ParagraphFigures.missing(r.text() + " It saves 77.7 pp.", tree, node)).as("a made-up figure")
                    .containsExactly("77.7");
        }
        JsonNode round = json.readTree(json.writeValueAsString(whole));
        assertThat(json.treeToValue(round, ModelComparison.class)).as("results.json reads back (sonde report)")
                .isEqualTo(whole);
    }

    @Test
    void differing_request_params_and_errored_trials_are_named() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode sonnet = json.createObjectNode().put("max_tokens", 2048);
        sonnet.putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
        ObjectNode haiku = json.createObjectNode().put("max_tokens", 400).put("temperature", 0);
        List<String> params = ParamDifferences.of("claude-sonnet-4-6", sonnet, "claude-haiku-4-5", haiku);
        assertThat(params).containsExactly("claude-sonnet-4-6 runs with max_tokens 2048, claude-haiku-4-5 with"
                + " max_tokens 400", "claude-sonnet-4-6 runs with thinking (budget 1024), claude-haiku-4-5 without",
                "claude-sonnet-4-6 runs with temperature unset, claude-haiku-4-5 with temperature 0");
        assertThat(ParamDifferences.of("a", sonnet, "b", sonnet.deepCopy())).isEmpty();
        ModelComparison.TokenChange tokens = new ModelComparison.TokenChange(14, 110.0, 28.0, -82.0, null, null,
                -0.75, 82.0, 0.0, -82.0, null, null);
        ModelComparison.Recommendation r = decide(agreement(14, List.of(), 0, 0), cheaper(0.07), noFaster(), tokens,
                0, 3, params);
        assertThat(r.text()).contains(", TTFT p95 +10 %; errored (counted as failing, left out of cost and latency):"
                + " 3 errored on claude-haiku-4-5; note: claude-sonnet-4-6 runs with max_tokens 2048,"
                + " claude-haiku-4-5 with max_tokens 400; claude-sonnet-4-6 runs with thinking (budget 1024),"
                + " claude-haiku-4-5 without; claude-sonnet-4-6 runs with temperature unset, claude-haiku-4-5 with"
                + " temperature 0 — output tokens per case 110 → 28, of them thinking 82 → 0: migrate (");
    }

    @Test
    void formats_numbers_for_reading() {
        assertThat(Recommendation.signedPp(-0.04)).isEqualTo("0.0");
        assertThat(Recommendation.signedPp(-7.14)).isEqualTo("−7.1");
        assertThat(Recommendation.signedPct(-0.38)).isEqualTo("−38");
        assertThat(Recommendation.signedPct(0.051)).isEqualTo("+5");
        assertThat(Recommendation.ratio(0.0712)).isEqualTo("7 % as much");
        assertThat(Recommendation.ratio(1.824)).isEqualTo("1.8× the cost");
        assertThat(Recommendation.usd(457.3)).isEqualTo("$457");
        assertThat(Recommendation.usd(30.456)).isEqualTo("$30.46");
        assertThat(Recommendation.usd(0.004213)).isEqualTo("$0.0042");
    }
}
