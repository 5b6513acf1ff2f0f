package dev.sonde.cli.promptfoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** promptfoo's CSV assertion shorthand, read as its YAML form. */
class ShorthandTest {

    @Test
    void a_known_type_with_a_value() throws Exception {
        JsonNode a = Shorthand.parse("contains: Paris ");
        assertThat(a.path("type").asText()).isEqualTo("contains");
        assertThat(a.path("value").asText()).isEqualTo("Paris");
    }

    @Test
    void not_and_a_threshold_in_parentheses() throws Exception {
        JsonNode a = Shorthand.parse("not-similar(0.6):red");
        assertThat(a.path("type").asText()).isEqualTo("not-similar");
        assertThat(a.path("threshold").asDouble()).isEqualTo(0.6);
        assertThat(a.path("value").asText()).isEqualTo("red");
    }

    @Test
    void types_promptfoo_gives_a_default_threshold_get_it() throws Exception {
        assertThat(Shorthand.parse("similar:red").path("threshold").asDouble()).isEqualTo(0.8);
        assertThat(Shorthand.parse("rouge-n:the reference").path("threshold").asDouble()).isEqualTo(0.75);
        assertThat(Shorthand.parse("contains:x").has("threshold")).isFalse();
    }

    @Test
    void a_type_without_a_value() throws Exception {
        JsonNode a = Shorthand.parse("is-json");
        assertThat(a.path("type").asText()).isEqualTo("is-json");
        assertThat(a.has("value")).isFalse();
    }

    @Test
    void grade_and_llm_rubric_prefixes_are_rubrics() throws Exception {
        assertThat(Shorthand.parse("grade:is polite").path("type").asText()).isEqualTo("llm-rubric");
        assertThat(Shorthand.parse("llm-rubric:is polite").path("value").asText()).isEqualTo("is polite");
    }

    @Test
    void anything_else_is_equals_of_the_whole_cell() throws Exception {
        assertThat(Shorthand.parse("Paris").path("type").asText()).isEqualTo("equals");
        JsonNode unknown = Shorthand.parse("capital: Paris");
        assertThat(unknown.path("type").asText()).isEqualTo("equals");
        assertThat(unknown.path("value").asText()).isEqualTo("capital: Paris");
    }

    @Test
    void code_is_refused() {
        for (String code : new String[] {"javascript:output.length < 5", "fn:x", "eval:x", "python:len(output)", "file://check.py"}) {
            assertThatThrownBy(() -> Shorthand.parse(code)).as(code).isInstanceOf(Assertions.Unmappable.class);
        }
    }
}
