package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.suite.SuiteException;
import org.junit.jupiter.api.Test;

/**
 * 'similar' with the real model (built only under -Pembeddings): paraphrases score high, unrelated
 * text low, a list passes on its best member, and bad parameters are suite errors.
 */
class SimilarCheckTest {

    @Test
    void the_embeddings_profile_provides_the_bundled_model() {
        assertThat(Embedders.get()).isNotNull();
        assertThat(Embedders.get().model()).isEqualTo("all-MiniLM-L6-v2-q");
        assertThat(Embedders.get().embed("Paris")).hasSize(384);
    }

    @Test
    void a_paraphrase_passes_with_a_high_score() throws SuiteException {
        CheckResult r = check("{type: similar, value: 'The capital of France is Paris.'}")
                .evaluate(text("Paris is the capital city of France.").build(), null);
        assertThat(r.pass()).as(r.reason()).isTrue();
        assertThat(r.score()).isGreaterThan(0.8);
        assertThat(r.reason()).matches("cosine 0\\.\\d{3} ≥ threshold 0\\.80 to \"The capital of France is Paris\\.\" "
                + "\\(all-MiniLM-L6-v2-q\\)");
    }

    @Test
    void unrelated_text_fails_with_a_low_score() throws SuiteException {
        CheckResult r = check("{type: similar, value: 'The capital of France is Paris.'}")
                .evaluate(text("I bought a new bicycle yesterday.").build(), null);
        assertThat(r.pass()).isFalse();
        assertThat(r.score()).isLessThan(0.3);
        assertThat(r.reason()).contains("< threshold 0.80").contains(": the output was \"I bought a new bicycle yesterday.\"");
        assertThat(check("{type: not-similar, value: 'The capital of France is Paris.'}")
                .evaluate(text("I bought a new bicycle yesterday.").build(), null).pass()).isTrue();
    }

    @Test
    void a_list_passes_when_any_value_reaches_the_threshold() throws SuiteException {
        Check c = check("{type: similar, value: ['The weather is sunny.', 'Paris is in France.'], threshold: 0.6}");
        CheckResult r = c.evaluate(text("Paris is a city in France.").build(), null);
        assertThat(r.pass()).as(r.reason()).isTrue();
        assertThat(r.reason()).contains("to \"Paris is in France.\"");
        double identical = check("{type: similar, value: 'Paris is in France.'}")
                .evaluate(text("Paris is in France.").build(), null).score();
        assertThat(identical).isGreaterThan(0.999);
    }

    @Test
    void embedding_is_deterministic_and_the_readme_figure_is_what_the_model_gives() throws SuiteException {
        Embedder e = Embedders.get();
        float[] first = e.embed("The capital of France is Paris.");
        float[] again = e.embed("The capital of France is Paris.");
        assertThat(again).isEqualTo(first); // bit for bit, so a rerun gives the same verdicts
        CheckResult readme = check("{type: similar, value: ['Paris is the capital of France.'], threshold: 0.75}")
                .evaluate(text("The capital of France is Paris.").build(), null);
        CheckResult twice = check("{type: similar, value: ['Paris is the capital of France.'], threshold: 0.75}")
                .evaluate(text("The capital of France is Paris.").build(), null);
        assertThat(twice.score()).isEqualTo(readme.score());
        assertThat(readme.reason()).isEqualTo("cosine 0.985 ≥ threshold 0.75 to \"Paris is the capital of France.\" "
                + "(all-MiniLM-L6-v2-q)");
    }

    @Test
    void bad_configuration_is_a_suite_error() {
        assertThatThrownBy(() -> check("{type: similar, value: x, threshold: 1.5}"))
                .hasMessage("s.yaml:7:9: cases[0].assert[0].threshold: 'threshold' must be a number from 0 to 1");
        assertThatThrownBy(() -> check("{type: similar, value: x, threshold: -0.1}"))
                .hasMessageContaining("'threshold' must be a number from 0 to 1");
        assertThatThrownBy(() -> check("{type: similar}"))
                .hasMessage("s.yaml:7:9: cases[0].assert[0].value: 'similar' needs a 'value': a string or a list of strings");
    }
}
