package dev.sonde.check;

import static dev.sonde.check.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.journal.Journal;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An answer that was never timed by design (Message Batches, the response cache) makes every check
 * that needs a timing not applicable — neither a pass nor a fail — and every wrapper keeps it so:
 * the score and a case's verdict rest on the checks that apply, and a case none of whose checks
 * applies has no verdict at all.
 */
class NotApplicableChecksTest {
    private static final String BATCH = "sent through Message Batches, which report no timings";

    /** A successful answer "Paris." with no timings, as a batch result carries it. */
    private static Exchange untimed() {
        return new Exchange(200, null, "claude-sonnet-4-6", List.of(new ContentBlock.Text("Paris.")), "end_turn", null,
                Usage.fromJson(Fixtures.yaml("{input_tokens: 10, output_tokens: 3}")), Timings.unmeasured(BATCH), null);
    }

    private static CheckSet set(String... yaml) throws SuiteException {
        List<AssertSpec> specs = new ArrayList<>();
        for (String y : yaml) {
            specs.add(spec(y));
        }
        return CheckSet.create(specs, null);
    }

    @Test
    void latency_ttft_and_itl_bounds_do_not_apply_to_an_untimed_answer_and_say_why() throws SuiteException {
        for (String type : List.of("latency", "ttft", "itl-p95")) {
            CheckResult r = Fixtures.check("{type: " + type + ", max_ms: 1000}").evaluate(untimed(), 0.001);
            assertThat(r.applicable()).as(type).isFalse();
            assertThat(r.pass()).as(type).isFalse();
            assertThat(r.undecided()).as(type).isFalse();
            assertThat(r.reason()).as(type).isEqualTo("not applicable: " + BATCH);
            assertThat(r.whyNotApplicable()).isEqualTo(BATCH);
        }
        // cost and the answer's content are known: those checks still decide
        assertThat(Fixtures.check("{type: cost, max_usd: 0.01}").evaluate(untimed(), 0.001).pass()).isTrue();
        assertThat(Fixtures.check("{type: cost, max_usd: 0.0001}").evaluate(untimed(), 0.001).pass()).isFalse();
        assertThat(Fixtures.check("{type: contains, value: Paris}").evaluate(untimed(), 0.001).applicable()).isTrue();
    }

    @Test
    void a_timed_answer_without_the_event_still_fails_as_before() throws SuiteException {
        Exchange noText = Fixtures.ex().tool("lookup", "{q: x}").timesMs(-1, 300).build();
        CheckResult ttft = Fixtures.check("{type: ttft, max_ms: 1000}").evaluate(noText, 0.0);
        assertThat(ttft.applicable()).isTrue();
        assertThat(ttft.pass()).isFalse();
        CheckResult latency = Fixtures.check("{type: latency, max_ms: 10}").evaluate(
                new Exchange(200, null, "m", List.of(), "end_turn", null, Usage.NONE, Timings.NONE, null), 0.0);
        assertThat(latency.applicable()).as("Timings.NONE: an event that never happened, not a batch").isTrue();
        assertThat(latency.pass()).isFalse();
        assertThat(latency.reason()).isEqualTo("no complete response");
    }

    @Test
    void the_case_is_decided_by_the_checks_that_apply() throws SuiteException {
        CheckSet.Evaluation passing = set("{type: latency, max_ms: 1}", "{type: contains, value: Paris}",
                "{type: ttft, max_ms: 1}").evaluate(untimed(), 0.001);
        assertThat(passing.pass()).isTrue();
        assertThat(passing.evaluated()).isTrue();
        assertThat(passing.score()).isEqualTo(1.0);
        assertThat(passing.reason()).isEqualTo("1 of 1 check passed; not applicable: latency, ttft");

        CheckSet.Evaluation failing = set("{type: latency, max_ms: 1}", "{type: contains, value: Lyon}")
                .evaluate(untimed(), 0.001);
        assertThat(failing.pass()).isFalse();
        assertThat(failing.evaluated()).isTrue();
        assertThat(failing.reason()).isEqualTo("0 of 1 check passed (score 0.00); failed: contains; not applicable: latency");

        // with a threshold the share is over the applicable weight: 1 of 2 applicable = 0.5
        CheckSet half = CheckSet.create(List.of(spec("{type: latency, max_ms: 1, weight: 5}"),
                spec("{type: contains, value: Paris}"), spec("{type: contains, value: Lyon}")), 0.5);
        assertThat(half.evaluate(untimed(), 0.0).pass()).isTrue();
        assertThat(half.evaluate(untimed(), 0.0).score()).isEqualTo(0.5);
    }

    @Test
    void a_case_none_of_whose_checks_applies_is_not_evaluated_and_never_passes() throws SuiteException {
        CheckSet.Evaluation e = set("{type: latency, max_ms: 30000}", "{type: ttft, max_ms: 10000}")
                .evaluate(untimed(), 0.001);
        assertThat(e.evaluated()).isFalse();
        assertThat(e.pass()).isFalse();
        assertThat(e.reason()).isEqualTo("no check applies (not applicable: latency, ttft)");
        assertThat(e.results()).noneMatch(CheckResult::applicable);
        // a case with no checks at all still passes, as before
        assertThat(set().evaluate(untimed(), 0.0).pass()).isTrue();
        assertThat(set().evaluate(untimed(), 0.0).evaluated()).isTrue();
    }

    @Test
    void sets_negations_and_thresholds_pass_not_applicable_on() throws SuiteException {
        CheckResult mixed = Fixtures.check("{type: assert-set, assert: [{type: latency, max_ms: 1}, "
                + "{type: contains, value: Paris}]}").evaluate(untimed(), 0.0);
        assertThat(mixed.applicable()).isTrue();
        assertThat(mixed.pass()).isTrue();

        CheckResult none = Fixtures.check("{type: assert-set, threshold: 0.5, assert: [{type: latency, max_ms: 1}, "
                + "{type: itl-p95, max_ms: 1}]}").evaluate(untimed(), 0.0);
        assertThat(none.applicable()).isFalse();
        assertThat(none.pass()).isFalse();
        assertThat(none.reason()).isEqualTo("not applicable: no member applies (latency: " + BATCH + ")");

        Check timingOnly = new Check() {
            @Override
            public String type() {
                return "team-timing";
            }

            @Override
            public CheckResult evaluate(Exchange exchange, Double costUsd) {
                return exchange.timings().unmeasured() != null
                        ? CheckResult.notApplicable(type(), exchange.timings().unmeasured())
                        : new CheckResult(type(), true, "fast", 0.9);
            }
        };
        CheckResult negated = new NotCheck(timingOnly).evaluate(untimed(), 0.0);
        assertThat(negated.applicable()).as("the negation of 'not measured' is not a pass").isFalse();
        assertThat(negated.type()).isEqualTo("not-team-timing");
        assertThat(negated.reason()).isEqualTo("not applicable: " + BATCH);
        CheckResult thresholded = new MinScoreCheck(timingOnly, 0.5).evaluate(untimed(), 0.0);
        assertThat(thresholded.applicable()).isFalse();
        assertThat(thresholded.pass()).isFalse();
    }

    @Test
    void not_applicable_is_journaled_as_a_boolean_pass_false_plus_applicable_false_and_old_lines_read_as_before()
            throws Exception {
        ObjectMapper json = Journal.JSON;
        CheckResult na = CheckResult.notApplicable("latency", BATCH);
        String line = json.writeValueAsString(na);
        assertThat(line).isEqualTo("{\"type\":\"latency\",\"pass\":false,\"reason\":\"not applicable: " + BATCH
                + "\",\"applicable\":false}");
        assertThat(json.readValue(line, CheckResult.class)).isEqualTo(na);

        String applies = json.writeValueAsString(CheckResult.pass("contains", "found"));
        assertThat(applies).doesNotContain("applicable");
        CheckResult old = json.readValue("{\"type\":\"latency\",\"pass\":true,\"reason\":\"e2e 12.0 ms ≤ 30000 ms\"}",
                CheckResult.class);
        assertThat(old.applicable()).as("a journal written before the state existed").isTrue();
        assertThat(old.pass()).isTrue();
        CheckResult undecided = json.readValue("{\"type\":\"llm-rubric\",\"pass\":false,\"reason\":\"x\","
                + "\"undecided\":true}", CheckResult.class);
        assertThat(undecided.undecided()).isTrue();
        assertThat(undecided.applicable()).isTrue();
    }

    @Test
    void a_not_applicable_check_can_neither_pass_nor_be_undecided() {
        assertThatThrownBy(() -> new CheckResult("latency", true, "x", null, null, null, false, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CheckResult("latency", false, "x", null, null, null, true, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
