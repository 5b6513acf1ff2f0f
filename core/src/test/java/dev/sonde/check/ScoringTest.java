package dev.sonde.check;

import static dev.sonde.check.Fixtures.spec;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sonde.api.Exchange;
import dev.sonde.suite.AssertSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringTest {
    private static final CheckResult OK = CheckResult.pass("a", "fine");
    private static final CheckResult BAD = CheckResult.fail("b", "wrong");

    @Test
    void without_a_threshold_every_check_of_positive_weight_must_pass() {
        Scoring.Score all = Scoring.score(List.of(OK, OK), null, null);
        Scoring.Score one = Scoring.score(List.of(OK, BAD, OK), null, null);

        assertThat(all.pass()).isTrue();
        assertThat(all.score()).isEqualTo(1.0);
        assertThat(all.reason()).isEqualTo("2 of 2 checks passed");
        assertThat(one.pass()).isFalse();
        assertThat(one.score()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(one.reason()).isEqualTo("2 of 3 checks passed (score 0.67); failed: b");
    }

    @Test
    void a_threshold_passes_on_the_weighted_share_of_passing_checks() {
        List<CheckResult> results = List.of(OK, BAD, OK);

        Scoring.Score heavyFailure = Scoring.score(results, List.of(1.0, 3.0, 1.0), 0.5);
        Scoring.Score lightFailure = Scoring.score(results, List.of(2.0, 1.0, 2.0), 0.8);
        Scoring.Score exactlyTwoThirds = Scoring.score(results, null, 2.0 / 3);

        assertThat(heavyFailure.pass()).isFalse();
        assertThat(heavyFailure.score()).isCloseTo(0.4, within(1e-12));
        assertThat(heavyFailure.reason()).isEqualTo("2 of 3 checks passed (score 0.40 < threshold 0.50); failed: b");
        assertThat(lightFailure.pass()).isTrue();
        assertThat(lightFailure.reason()).isEqualTo("2 of 3 checks passed (score 0.80 ≥ threshold 0.80); failed: b");
        assertThat(exactlyTwoThirds.pass()).isTrue();
        assertThat(Scoring.score(results, null, 0.0).pass()).isTrue();
        assertThat(Scoring.score(List.of(BAD), null, 0.0).pass()).isTrue();
        assertThat(Scoring.score(results, null, 1.0).pass()).isFalse();
    }

    @Test
    void weight_zero_is_informational_and_an_empty_group_passes() {
        Scoring.Score informational = Scoring.score(List.of(OK, BAD), List.of(1.0, 0.0), null);

        assertThat(informational.pass()).isTrue();
        assertThat(informational.score()).isEqualTo(1.0);
        assertThat(informational.reason()).isEqualTo("1 of 2 checks passed (score 1.00); failed with weight 0: b");
        assertThat(Scoring.score(List.of(BAD), List.of(0.0), 1.0).pass()).isTrue();
        assertThat(Scoring.score(List.of(), null, null)).isEqualTo(new Scoring.Score(true, 1.0, "0 of 0 checks passed", false, false));
    }

    @Test
    void bad_weights_and_thresholds_are_programming_errors() {
        assertThatThrownBy(() -> Scoring.score(List.of(OK), List.of(1.0, 1.0), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("1 results but 2 weights");
        assertThatThrownBy(() -> Scoring.score(List.of(OK), List.of(-1.0), null)).hasMessageContaining("weight");
        assertThatThrownBy(() -> Scoring.score(List.of(OK), List.of(Double.NaN), null)).hasMessageContaining("weight");
        assertThatThrownBy(() -> Scoring.score(List.of(OK), null, 1.5)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> CheckSet.create(List.of(), -0.1)).hasMessageContaining("threshold");
    }

    @Test
    void a_check_set_reads_weights_from_the_assertions_and_applies_the_case_threshold() throws Exception {
        List<AssertSpec> specs = List.of(
                spec("{type: contains, value: Paris, weight: 3}"),
                spec("{type: word-count, max: 3}"),
                spec("{type: regex, value: '^[A-Z]', weight: 0}"));
        Exchange answer = text("the capital of France is Paris").build();

        CheckSet strict = CheckSet.create(specs, null);
        CheckSet.Evaluation lenient = CheckSet.create(specs, 0.75).evaluate(answer, null);

        assertThat(strict.weights()).containsExactly(3.0, 1.0, 0.0);
        CheckSet.Evaluation e = strict.evaluate(answer, null);
        assertThat(e.results()).extracting(CheckResult::type).containsExactly("contains", "word-count", "regex");
        assertThat(e.results()).extracting(CheckResult::pass).containsExactly(true, false, false);
        assertThat(e.pass()).isFalse();
        assertThat(e.score()).isEqualTo(0.75);
        assertThat(e.reason()).isEqualTo("1 of 3 checks passed (score 0.75); failed: word-count; failed with weight 0: regex");
        assertThat(lenient.pass()).isTrue();
        assertThat(lenient.reason()).startsWith("1 of 3 checks passed (score 0.75 ≥ threshold 0.75)");
    }

    @Test
    void an_assert_set_is_one_weighted_check_with_its_own_threshold() throws Exception {
        String set = "{type: assert-set, threshold: 0.5, weight: 2, assert: ["
                + "{type: icontains, value: refund}, {type: icontains, value: apolog, weight: 2}, {type: word-count, max: 5}]}";
        Exchange polite = text("We apologise; a refund is on its way to you today.").build();
        Exchange curt = text("Refund sent.").build();
        Exchange neither = text("Your order shipped yesterday, tracking to follow.").build();

        CheckResult p = Checks.create(spec(set)).evaluate(polite, null);
        CheckResult c = Checks.create(spec(set)).evaluate(curt, null);
        CheckResult n = Checks.create(spec(set)).evaluate(neither, null);

        assertThat(p.pass()).isTrue();
        assertThat(p.score()).isEqualTo(0.75);
        assertThat(p.reason()).startsWith("2 of 3 checks passed (score 0.75 ≥ threshold 0.50); failed: word-count"
                + " — word-count: words 11 > max 5");
        assertThat(c.pass()).as(c.reason()).isTrue();
        assertThat(c.score()).isEqualTo(0.5);
        assertThat(n.pass()).isFalse();
        assertThat(n.reason()).startsWith("0 of 3 checks passed (score 0.00 < threshold 0.50); failed: icontains, icontains,"
                + " word-count — icontains: expected to contain (any case)");
        assertThat(n.reason()).doesNotContain("\n").hasSizeLessThan(260);
        assertThat(CheckSet.create(List.of(spec(set), spec("{type: contains, value: zzz}")), 0.6).weights())
                .containsExactly(2.0, 1.0);
    }

    @Test
    void assert_sets_nest_and_without_a_threshold_need_all_members() throws Exception {
        Check nested = Checks.create(spec("{type: assert-set, assert: [{type: contains, value: a},"
                + " {type: assert-set, threshold: 0.5, assert: [{type: contains, value: x}, {type: contains, value: b}]}]}"));

        assertThat(nested.evaluate(text("a b").build(), null).pass()).isTrue();
        assertThat(nested.evaluate(text("a").build(), null).reason())
                .startsWith("1 of 2 checks passed (score 0.50); failed: assert-set — assert-set: 0 of 2 checks passed");
    }
}
