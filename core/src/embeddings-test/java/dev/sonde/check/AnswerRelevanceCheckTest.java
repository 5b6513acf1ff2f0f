package dev.sonde.check;

import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.suite.SuiteException;
import org.junit.jupiter.api.Test;

/**
 * 'answer-relevance' with the real model (built only under -Pembeddings) and a scripted grader:
 * questions the answer replies to that restate the question asked score high, unrelated ones low,
 * and the grader's spend is kept either way.
 */
class AnswerRelevanceCheckTest {
    private static final String YAML = "{type: answer-relevance, question: 'What is the capital of France?'}";

    @Test
    void questions_that_restate_the_one_asked_pass() throws SuiteException {
        ScriptedGrader g = new ScriptedGrader("{\"questions\": [\"What is the capital city of France?\", "
                + "\"Which city is the capital of France?\", \"What is France's capital?\"]}");
        CheckResult r = Checks.create(Fixtures.spec(YAML), g.graders())
                .evaluate(text("The capital of France is Paris.").build(), null);

        assertThat(r.pass()).as(r.reason()).isTrue();
        assertThat(r.score()).isGreaterThan(0.85);
        assertThat(r.reason()).matches("grader judge: mean cosine 0\\.\\d{3} \\(≥ threshold 0\\.70\\) of the question with "
                + "the 3 the answer replies to \\(all-MiniLM-L6-v2-q\\), e\\.g\\. \"What is the capital city of France\\?\"");
        assertThat(r.graderUsage()).isEqualTo(ScriptedGrader.calls(1));
        assertThat(g.requests.get(0).prompt()).startsWith("Answer relevance: ")
                .contains("The capital of France is Paris.").doesNotContain("What is the capital of France?");
    }

    @Test
    void questions_about_something_else_fail_and_not_answer_relevance_passes() throws SuiteException {
        String unrelated = "{\"questions\": [\"What did you buy yesterday?\", \"How was your bicycle ride?\", "
                + "\"Where can I buy a bicycle?\"]}";
        CheckResult r = Checks.create(Fixtures.spec(YAML), new ScriptedGrader(unrelated).graders())
                .evaluate(text("I bought a new bicycle yesterday.").build(), null);
        assertThat(r.pass()).isFalse();
        assertThat(r.undecided()).isFalse();
        assertThat(r.score()).isLessThan(0.3);

        CheckResult negated = Checks.create(Fixtures.spec(YAML.replace("answer-relevance", "not-answer-relevance")),
                new ScriptedGrader(unrelated).graders()).evaluate(text("I bought a new bicycle yesterday.").build(), null);
        assertThat(negated.pass()).isTrue();
    }

    @Test
    void a_stricter_threshold_is_the_pass_bar() throws SuiteException {
        ScriptedGrader g = new ScriptedGrader("{\"questions\": [\"Which city is the capital of France?\", "
                + "\"What is Paris?\", \"Where is the Eiffel Tower?\"]}");
        CheckResult r = Checks.create(Fixtures.spec("{type: answer-relevance, question: 'What is the capital of France?',"
                + " threshold: 0.99}"), g.graders()).evaluate(text("Paris.").build(), null);
        assertThat(r.pass()).isFalse();
        assertThat(r.reason()).contains("< threshold 0.99");
    }
}
