package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.api.Exchange;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Custom checks (CheckProvider): the test class path registers dev.sonde.examples.KeywordCoverageProvider
 * through META-INF/services; the registry gives it not-, weight and threshold, checks its parameters,
 * and refuses providers that would shadow a built-in or each other.
 */
class CustomChecksTest {

    @Test
    void a_provider_on_the_class_path_is_a_type_with_a_not_form() throws SuiteException {
        assertThat(Checks.types()).contains("keyword-coverage", "not-keyword-coverage");
        Check c = check("{type: keyword-coverage, value: [Paris, France]}");
        CheckResult all = c.evaluate(text("Paris is in France.").build(), null);
        CheckResult half = c.evaluate(text("Paris, Texas").build(), null);
        assertThat(all.pass()).isTrue();
        assertThat(all.score()).isEqualTo(1.0);
        assertThat(half.pass()).isFalse();
        assertThat(half.reason()).isEqualTo("missing france");
        assertThat(half.score()).isEqualTo(0.5);

        CheckResult not = check("{type: not-keyword-coverage, value: [Paris, France]}")
                .evaluate(text("Paris, Texas").build(), null);
        assertThat(not.pass()).isTrue();
        assertThat(not.type()).isEqualTo("not-keyword-coverage");
        assertThat(not.reason()).isEqualTo("does not hold, as required: missing france");
    }

    @Test
    void a_threshold_decides_on_the_score() throws SuiteException {
        Check c = check("{type: keyword-coverage, value: [Paris, France, Europe, Seine], threshold: 0.5, weight: 2}");
        CheckResult half = c.evaluate(text("Paris, France").build(), null);
        CheckResult quarter = c.evaluate(text("Paris, Texas").build(), null);
        assertThat(half.pass()).as(half.reason()).isTrue();
        assertThat(half.reason()).isEqualTo("score 0.50 ≥ threshold 0.50: missing europe, seine");
        assertThat(quarter.pass()).isFalse();
        assertThat(quarter.reason()).startsWith("score 0.25 < threshold 0.50");
        assertThat(Checks.weight(Fixtures.spec("{type: keyword-coverage, value: [a], weight: 2}"))).isEqualTo(2.0);
    }

    @Test
    void bad_parameters_are_suite_errors_at_the_assertion() {
        assertThatThrownBy(() -> check("{type: keyword-coverage, values: [a]}"))
                .isInstanceOf(SuiteException.class)
                .hasMessageContaining("s.yaml:7:9: cases[0].assert[0].values: 'keyword-coverage' takes no 'values' "
                        + "(did you mean 'value'?)");
        assertThatThrownBy(() -> check("{type: keyword-coverage, value: Paris}"))
                .hasMessageContaining("cases[0].assert[0].value: 'keyword-coverage' needs a 'value': a non-empty list");
        assertThatThrownBy(() -> check("{type: keyword-coverage, value: [a], threshold: 2}"))
                .hasMessageContaining("cases[0].assert[0].threshold: 'threshold' must be a number from 0 to 1");
    }

    @Test
    void an_illegal_argument_from_a_provider_is_reported_at_the_assertion() throws SuiteException {
        CheckProvider picky = provider("picky", spec -> {
            throw new IllegalArgumentException("'limit' must be even");
        });
        assertThatThrownBy(() -> CustomChecks.create(picky, new Params(Fixtures.spec("{type: picky, limit: 3}"))))
                .isInstanceOf(SuiteException.class)
                .hasMessage("s.yaml:7:9: cases[0].assert[0]: 'picky': 'limit' must be even");
    }

    @Test
    void a_threshold_on_a_check_without_a_score_fails_saying_so() throws SuiteException {
        CheckProvider plain = provider("plain", spec -> new Check() {
            @Override
            public String type() {
                return "plain";
            }

            @Override
            public CheckResult evaluate(Exchange exchange, Double costUsd) {
                return CheckResult.pass("plain", "fine");
            }
        });
        Check c = CustomChecks.create(plain, new Params(Fixtures.spec("{type: plain, threshold: 0.5}")));
        CheckResult r = c.evaluate(text("x").build(), null);
        assertThat(r.pass()).isFalse();
        assertThat(r.reason()).isEqualTo("has a threshold but gave no score: fine");
    }

    @Test
    void built_in_names_cannot_be_overridden_nor_claimed_twice() {
        Set<String> builtIns = Set.of("contains", "regex");
        CheckProvider shadow = provider("contains", spec -> null);
        CustomChecks.Index i = CustomChecks.index(List.of(shadow), builtIns);
        assertThat(i.providers()).isEmpty();
        assertThat(i.problem()).contains("claims 'contains', a built-in type: built-in names cannot be overridden");

        CustomChecks.Index twice = CustomChecks.index(List.of(provider("mine", s -> null), provider("mine", s -> null)),
                builtIns);
        assertThat(twice.problem()).contains("both claim type 'mine'");
        assertThat(CustomChecks.index(List.of(provider("not-mine", s -> null)), builtIns).problem())
                .contains("does not start with 'not-'");
        assertThat(CustomChecks.index(List.of(provider("Mine", s -> null)), builtIns).problem())
                .contains("has type 'Mine'");
        assertThat(CustomChecks.index(List.of(provider("mine", s -> null)), builtIns).providers()).containsKey("mine");
    }

    private interface Maker {
        Check make(AssertSpec spec) throws SuiteException;
    }

    private static CheckProvider provider(String type, Maker maker) {
        return new CheckProvider() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Set<String> parameters() {
                return Set.of("limit");
            }

            @Override
            public Check create(AssertSpec spec) throws SuiteException {
                return maker.make(spec);
            }
        };
    }
}
