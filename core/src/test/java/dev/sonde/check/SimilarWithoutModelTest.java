package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sonde.suite.SuiteException;
import org.junit.jupiter.api.Test;

/**
 * The default build has no embeddings model: 'similar' is then a one-line suite error saying how
 * to get one, after its parameters are checked (so a typo is reported first, in any build).
 */
class SimilarWithoutModelTest {

    @Test
    void without_the_embeddings_profile_similar_says_how_to_get_it() {
        assumeTrue(Embedders.get() == null, "this build has the embeddings profile");
        assertThatThrownBy(() -> check("{type: similar, value: 'The capital is Paris.'}"))
                .isInstanceOf(SuiteException.class)
                .hasMessage("s.yaml:7:9: cases[0].assert[0].type: 'similar' needs an embeddings model, which this build "
                        + "of Sonde does not include: " + Embedders.HOW);
        assertThatThrownBy(() -> check("{type: not-similar, value: x, threshold: 0.5}"))
                .hasMessageContaining("mvn -Pembeddings");
    }

    @Test
    void bad_parameters_are_reported_first_in_any_build() {
        assertThatThrownBy(() -> check("{type: similar}"))
                .isInstanceOf(SuiteException.class)
                .hasMessage("s.yaml:7:9: cases[0].assert[0].value: 'similar' needs a 'value': a string or a list of strings");
        assertThatThrownBy(() -> check("{type: similar, value: x, threshold: 1.2}"))
                .hasMessage("s.yaml:7:9: cases[0].assert[0].threshold: 'threshold' must be a number from 0 to 1");
        assertThatThrownBy(() -> check("{type: similar, value: x, treshold: 0.5}"))
                .hasMessageContaining("'similar' takes no 'treshold' (did you mean 'threshold'?)");
    }
}
