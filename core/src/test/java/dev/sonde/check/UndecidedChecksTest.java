package dev.sonde.check;

import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Exchange;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Checks that cannot reach a verdict — a grader that fails or answers no verdict, a check or an
 * embedder that throws — are undecided fails, and every wrapper keeps them fails: a broken grader
 * must never turn into a pass by negation, a threshold or a set's tolerance.
 */
class UndecidedChecksTest {
    private static final Usage USED = Usage.fromJson(Fixtures.yaml("{input_tokens: 50, output_tokens: 5}"));

    private static Graders answering(Grader.Reply reply) {
        return (m, p) -> new Grader() {
            @Override
            public String model() {
                return "g";
            }

            @Override
            public Reply ask(String system, String prompt, ObjectNode verdictSchema) {
                return reply;
            }
        };
    }

    private static final Graders UNPARSABLE = answering(new Grader.Reply("Sure, it passes.", USED, 0.0001, null));
    private static final Graders TIMED_OUT = answering(new Grader.Reply("", Usage.NONE, 0.0, "timeout: no response in 60 s"));

    @Test
    void not_llm_rubric_is_a_fail_when_the_grader_fails() throws SuiteException {
        for (Graders broken : List.of(UNPARSABLE, TIMED_OUT)) {
            CheckResult r = Checks.create(Fixtures.spec("{type: not-llm-rubric, value: 'mentions Lyon.'}"), broken)
                    .evaluate(text("It is Paris.").build(), 0.0);
            assertThat(r.pass()).isFalse();
            assertThat(r.undecided()).isTrue();
            assertThat(r.type()).isEqualTo("not-llm-rubric");
            assertThat(r.reason()).startsWith("cannot be negated, the check was not decided: grader g failed: ");
            assertThat(r.score()).isNull();
        }
        CheckResult spent = Checks.create(Fixtures.spec("{type: not-llm-rubric, value: x}"), UNPARSABLE)
                .evaluate(text("a").build(), 0.0);
        assertThat(spent.graderUsage().inputTokens()).isEqualTo(50); // still paid for
        assertThat(spent.graderCostUsd()).isEqualTo(0.0001);
    }

    @Test
    void a_set_whose_threshold_would_tolerate_the_failure_still_fails_on_an_undecided_member() throws SuiteException {
        Check set = Checks.create(Fixtures.spec("{type: assert-set, threshold: 0.5, assert: [{type: contains, value: Paris}, "
                + "{type: contains, value: is}, {type: llm-rubric, value: 'mentions Paris.'}]}"), TIMED_OUT);
        CheckResult r = set.evaluate(text("It is Paris.").build(), 0.0);
        assertThat(r.pass()).isFalse();
        assertThat(r.undecided()).isTrue();
        assertThat(r.reason()).isEqualTo("2 of 3 checks passed (score 0.67 ≥ threshold 0.50); failed: llm-rubric; "
                + "could not be decided (so the group fails): llm-rubric — llm-rubric: grader g failed: timeout: no "
                + "response in 60 s");

        // and a case's own threshold, likewise
        CheckSet.Evaluation e = CheckSet.create(List.of(Fixtures.spec("{type: contains, value: Paris}"),
                Fixtures.spec("{type: contains, value: is}"), Fixtures.spec("{type: not-llm-rubric, value: x}")), 0.5,
                UNPARSABLE).evaluate(text("It is Paris.").build(), 0.0);
        assertThat(e.pass()).isFalse();
        assertThat(e.reason()).endsWith("could not be decided (so the group fails): not-llm-rubric");

        // weight 0 stays informational: reported, never failing the case
        CheckSet.Evaluation info = CheckSet.create(List.of(Fixtures.spec("{type: contains, value: Paris}"),
                Fixtures.spec("{type: llm-rubric, value: x, weight: 0}")), null, TIMED_OUT)
                .evaluate(text("It is Paris.").build(), 0.0);
        assertThat(info.pass()).isTrue();
    }

    @Test
    void a_threshold_on_a_custom_check_keeps_an_undecided_result_a_fail() throws SuiteException {
        CheckProvider grading = provider("grading", spec -> fixed(CheckResult.undecided("grading", "its service is down",
                null, null)));
        Check c = CustomChecks.create(grading, new Params(Fixtures.spec("{type: grading, threshold: 0.5}")));
        CheckResult r = c.evaluate(text("x").build(), null);
        assertThat(r.pass()).isFalse();
        assertThat(r.undecided()).isTrue();
        assertThat(r.reason()).isEqualTo("no score to compare with threshold 0.5: its service is down");
    }

    @Test
    void a_check_that_throws_is_an_undecided_fail_naming_it_and_the_case_is_still_scored() throws SuiteException {
        Check boom = new Boom();
        CheckSet.Evaluation e = CheckSet.create(List.of(Fixtures.spec("{type: contains, value: a}")), null)
                .evaluate(text("a").build(), 0.0);
        assertThat(e.pass()).isTrue();

        CheckResult r = Guarded.evaluate(boom, text("a").build(), 0.0);
        assertThat(r.pass()).isFalse();
        assertThat(r.undecided()).isTrue();
        assertThat(r.type()).isEqualTo("boom");
        assertThat(r.reason()).isEqualTo("check dev.sonde.check.UndecidedChecksTest$Boom failed: IllegalStateException: "
                + "index 3 out of range; key [masked] on line 2");

        // through the SPI, inside a negation and a set: nothing escapes the case's evaluation
        CheckProvider throwing = provider("boom", spec -> boom);
        Check negated = new NotCheck(CustomChecks.create(throwing, new Params(Fixtures.spec("{type: boom}"))));
        CheckSet set = CheckSet.of(List.of(negated, new AssertSetCheck(List.of(boom), List.of(1.0), null)),
                List.of(1.0, 1.0), null);
        CheckSet.Evaluation scored = set.evaluate(text("a").build(), 0.0);
        assertThat(scored.pass()).isFalse();
        assertThat(scored.results()).allSatisfy(x -> assertThat(x.undecided()).isTrue());
        assertThat(scored.results().get(0).reason()).contains("UndecidedChecksTest$Boom failed: IllegalStateException");
    }

    @Test
    void key_like_text_is_masked_but_ordinary_messages_are_kept() {
        assertThat(Guarded.describe(new IllegalStateException("call failed: Authorization: Bearer abc.def-123\nretry")))
                .isEqualTo("IllegalStateException: call failed: Authorization: [masked] retry");
        assertThat(Guarded.describe(new RuntimeException("api_key=0123456789abcdef was refused")))
                .isEqualTo("RuntimeException: [masked] was refused");
        assertThat(Guarded.describe(new IllegalArgumentException("Unexpected token: '}' at 3")))
                .isEqualTo("IllegalArgumentException: Unexpected token: '}' at 3");
        assertThat(Guarded.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }

    @Test
    void a_provider_that_throws_while_creating_is_a_suite_error_at_the_assertion() {
        CheckProvider broken = provider("broken", spec -> {
            throw new NullPointerException("Cannot invoke \"String.length()\" because \"limit\" is null");
        });
        assertThatThrownBy(() -> CustomChecks.create(broken, new Params(Fixtures.spec("{type: broken}"))))
                .isInstanceOf(SuiteException.class)
                .hasMessageStartingWith("s.yaml:7:9: cases[0].assert[0]: custom check provider ")
                .hasMessageEndingWith(" failed to create 'broken': NullPointerException: Cannot invoke "
                        + "\"String.length()\" because \"limit\" is null");
    }

    @Test
    void an_embedder_that_throws_on_the_answer_is_undecided_and_on_the_values_a_suite_error() {
        Embedder flaky = new Embedder() {
            @Override
            public String model() {
                return "flaky";
            }

            @Override
            public float[] embed(String text) {
                if (text.contains("!")) {
                    throw new IllegalStateException("tokenizer failed");
                }
                return new float[] {1, text.length()};
            }
        };
        CheckResult r = new SimilarCheck(flaky, List.of("Paris"), 0.8).evaluate(text("Paris!").build(), 0.0);
        assertThat(r.pass()).isFalse();
        assertThat(r.undecided()).isTrue();
        assertThat(r.reason()).isEqualTo("embedder flaky failed on the answer: IllegalStateException: tokenizer failed");
        assertThat(new NotCheck(new SimilarCheck(flaky, List.of("Lyon"), 0.8)).evaluate(text("Paris!").build(), 0.0)
                .pass()).isFalse();
    }

    @Test
    void an_unpriced_grader_call_keeps_the_priced_ones_cost_for_the_budget() throws SuiteException {
        Graders mixed = (m, p) -> answering(new Grader.Reply("{\"pass\": true, \"score\": 1, \"reason\": \"ok\"}", USED,
                "priced".equals(m) ? 0.0002 : null, null)).resolve(m, p);
        CheckSet.Evaluation e = CheckSet.create(List.of(Fixtures.spec("{type: llm-rubric, value: x, grader: priced}"),
                Fixtures.spec("{type: llm-rubric, value: x, grader: local}"),
                Fixtures.spec("{type: llm-rubric, value: x, grader: priced}")), null, mixed).evaluate(text("a").build(), 0.0);
        assertThat(e.graderUsage().calls()).isEqualTo(3);
        assertThat(e.graderUsage().unpricedCalls()).isEqualTo(1);
        assertThat(e.graderCostUsd()).isEqualTo(0.0004);
        CheckSet.Evaluation none = CheckSet.create(List.of(Fixtures.spec("{type: llm-rubric, value: x, grader: local}")),
                null, mixed).evaluate(text("a").build(), 0.0);
        assertThat(none.graderCostUsd()).isNull(); // unknown, never $0
    }

    @Test
    void undecided_is_journaled_only_when_true_and_reads_back() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = dev.sonde.journal.Journal.JSON;
        CheckResult undecided = CheckResult.undecided("llm-rubric", "grader g failed: timeout", new GraderUsage(1, 5, 0, 0,
                0, 0), 0.001);
        String line = json.writeValueAsString(undecided);
        assertThat(line).contains("\"undecided\":true");
        assertThat(json.readValue(line, CheckResult.class)).isEqualTo(undecided);
        CheckResult decided = CheckResult.fail("contains", "no");
        assertThat(json.writeValueAsString(decided)).doesNotContain("undecided");
        assertThat(json.readValue(json.writeValueAsString(decided), CheckResult.class)).isEqualTo(decided);
        assertThatThrownBy(() -> new CheckResult("x", true, "r", null, null, null, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A check whose code throws, with a key-like string in its message. */
    static final class Boom implements Check {
        @Override
        public String type() {
            return "boom";
        }

        @Override
        public CheckResult evaluate(Exchange exchange, Double costUsd) {
            throw new IllegalStateException("index 3 out of range; key sk-ant-api03-abcdefgh on line 2");
        }
    }

    private static Check fixed(CheckResult result) {
        return new Check() {
            @Override
            public String type() {
                return result.type();
            }

            @Override
            public CheckResult evaluate(Exchange exchange, Double costUsd) {
                return result;
            }
        };
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
                return Set.of();
            }

            @Override
            public Check create(AssertSpec spec) throws SuiteException {
                return maker.make(spec);
            }
        };
    }
}
