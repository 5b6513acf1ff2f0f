package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The one subset rule, and both of its users agreeing on it. */
class JsonSubsetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode j(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void objects_match_as_subsets_at_any_depth_even_inside_arrays() throws Exception {
        JsonNode call = j("{\"city\":\"Oslo\",\"stops\":[{\"id\":1,\"name\":\"A\"},{\"id\":2}],\"unit\":\"C\"}");
        assertThat(JsonSubset.matches(j("{\"city\":\"Oslo\"}"), call)).isTrue();
        assertThat(JsonSubset.matches(j("{\"stops\":[{\"id\":1},{\"id\":2}]}"), call)).isTrue();
        assertThat(JsonSubset.problem("$", j("{\"stops\":[{\"id\":1}]}"), call)).startsWith("$.stops is [");
        assertThat(JsonSubset.problem("$", j("{\"stops\":[{\"id\":1},{\"id\":3}]}"), call))
                .isEqualTo("$.stops[1].id is 2, expected 3");
        assertThat(JsonSubset.problem("$", j("{\"country\":null}"), call)).isEqualTo("$.country is missing");
    }

    @Test
    void numbers_compare_by_value_and_a_quoted_word_matches_its_number_or_boolean() throws Exception {
        assertThat(JsonSubset.matches(j("{\"n\":3}"), j("{\"n\":3.0}"))).isTrue();
        assertThat(JsonSubset.matches(j("{\"n\":\"3\"}"), j("{\"n\":3}"))).isTrue();
        assertThat(JsonSubset.matches(j("{\"b\":\"true\"}"), j("{\"b\":true}"))).isTrue();
        assertThat(JsonSubset.matches(j("{\"n\":3}"), j("{\"n\":\"3\"}"))).as("a number never matches text").isFalse();
        assertThat(JsonSubset.matches(j("{\"s\":\"Paris\"}"), j("{\"s\":\"paris\"}"))).isFalse();
    }

    @Test
    void a_tool_loop_answer_uses_the_same_rule_as_the_tool_args_assertion() throws Exception {
        JsonNode call = j("{\"legs\":[{\"from\":\"OSL\",\"to\":\"CDG\",\"day\":1}],\"adults\":2}");
        ToolAnswer answer = new ToolAnswer(j("{\"legs\":[{\"from\":\"OSL\"}],\"adults\":\"2\"}"), "booked");
        assertThat(answer.matches(call)).isTrue();
        assertThat(new ToolAnswer(j("{\"adults\":3}"), "no").matches(call)).isFalse();
        assertThat(new ToolAnswer(null, "fallback").matches(call)).isTrue();
    }
}
