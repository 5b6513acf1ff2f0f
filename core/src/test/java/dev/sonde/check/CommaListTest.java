package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** promptfoo's comma rule for a string value of the four quantified contains types. */
class CommaListTest {

    @Test
    void unquoted_fields_are_trimmed_and_empty_ones_dropped() {
        assertThat(CommaList.split("a, b ,c")).containsExactly("a", "b", "c");
        assertThat(CommaList.split("a,,b")).containsExactly("a", "b");
        assertThat(CommaList.split("new york, la")).containsExactly("new york", "la");
        assertThat(CommaList.split(" , ")).isEmpty();
        assertThat(CommaList.split("a\"b, c")).containsExactly("a\"b", "c");
        assertThat(CommaList.split("\u00a0x\u00a0,y")).containsExactly("x", "y");
    }

    @Test
    void quoted_fields_keep_commas_spaces_and_escaped_quotes() {
        assertThat(CommaList.split("\"a, b\", c")).containsExactly("a, b", "c");
        assertThat(CommaList.split("\" padded \"")).containsExactly(" padded ");
        assertThat(CommaList.split("\"say \"\"hi\"\"\", x")).containsExactly("say \"hi\"", "x");
        assertThat(CommaList.split("\"back\\\\slash \\\"q\\\"\"")).containsExactly("back\\slash \"q\"");
        assertThat(CommaList.split("\"a\"  ,b")).containsExactly("a", "b");
    }

    @Test
    void malformed_quoting_is_refused_with_the_position() {
        assertThatThrownBy(() -> CommaList.split("\"unterminated, b"))
                .hasMessage("the quote at character 1 is never closed");
        assertThatThrownBy(() -> CommaList.split("x, \"a\" b, c"))
                .hasMessageStartingWith("a quoted field must be followed by a comma or the end, but character 8 is 'b'");
    }

    @Test
    void the_four_quantified_types_split_a_string_and_keep_a_list_whole() throws Exception {
        assertThat(check("{type: contains-any, value: 'Lyon, Nice'}").evaluate(text("To Nice!").build(), null).pass()).isTrue();
        assertThat(check("{type: contains-all, value: 'Lyon, Nice'}").evaluate(text("Nice, Lyon").build(), null).pass()).isTrue();
        assertThat(check("{type: contains-all, value: 'Lyon, Nice'}").evaluate(text("Lyon only").build(), null).pass()).isFalse();
        assertThat(check("{type: icontains-any, value: 'LYON, nice'}").evaluate(text("lyon").build(), null).pass()).isTrue();
        assertThat(check("{type: icontains-all, value: '\"a, b\", C'}").evaluate(text("A, B c").build(), null).pass()).isTrue();
        assertThat(check("{type: icontains-all, value: '\"a, b\", C'}").evaluate(text("a b c").build(), null).pass()).isFalse();
        assertThat(check("{type: contains-all, value: ['Lyon, Nice']}").evaluate(text("Nice, Lyon").build(), null).pass())
                .as("a list element is never split").isFalse();
        assertThat(check("{type: contains, value: 'Lyon, Nice'}").evaluate(text("Lyon, Nice").build(), null).pass()).isTrue();
        assertThat(check("{type: contains, value: 'Lyon, Nice'}").evaluate(text("Nice, Lyon").build(), null).pass())
                .as("plain contains keeps its string whole").isFalse();
        assertThat(check("{type: not-contains-any, value: 'x, y'}").evaluate(text("z").build(), null).pass()).isTrue();
    }

    @Test
    void bad_quoting_or_a_value_of_only_commas_is_a_suite_error() {
        assertThatThrownBy(() -> check("{type: contains-any, value: '\"open, b'}")).hasMessageStartingWith(
                "s.yaml:7:9: cases[0].assert[0].value: 'contains-any' splits a string value at commas, and the quote at"
                        + " character 1 is never closed");
        assertThatThrownBy(() -> check("{type: contains-all, value: ' , '}"))
                .hasMessageStartingWith("s.yaml:7:9: cases[0].assert[0].value: 'contains-all' needs a 'value' with at least one entry");
    }

    @Test
    void a_value_from_a_template_variable_is_split_after_rendering(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: t
                models: [{id: m, model: claude-haiku-4-5}]
                cases:
                  - id: a
                    vars: {cities: 'Lyon, "Nice, France"'}
                    prompt: hi
                    assert: [{type: contains-all, value: "{{cities}}"}]
                """);
        Check all = Checks.create(SuiteLoader.load(f).cases().get(0).asserts().get(0));
        assertThat(all.evaluate(text("Nice, France and Lyon").build(), null).pass()).isTrue();
        assertThat(all.evaluate(text("Nice and Lyon, France").build(), null).pass()).isFalse();
    }
}
