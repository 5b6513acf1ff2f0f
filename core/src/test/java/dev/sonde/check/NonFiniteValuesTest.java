package dev.sonde.check;

import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YAML's {@code .inf}, {@code -.inf} and {@code .nan} load as the text typed: text parameters read
 * them as written, number parameters refuse them at the assertion's position.
 */
class NonFiniteValuesTest {
    @TempDir
    Path dir;

    private List<AssertSpec> asserts(String assertList) throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, """
                name: inf
                models: [{id: m, model: claude-haiku-4-5}]
                cases:
                  - id: c
                    prompt: hi
                    assert:
                """ + assertList);
        Suite s = SuiteLoader.load(f);
        return s.cases().get(0).asserts();
    }

    @Test
    void a_suite_with_non_finite_floats_loads_and_text_parameters_read_them_as_written() throws Exception {
        List<AssertSpec> specs = asserts("""
                      - {type: equals, value: .inf}
                      - {type: contains-all, value: [-.inf, .NaN, +.Inf]}
                """);
        Check equals = Checks.create(specs.get(0));
        assertThat(equals.evaluate(text(".inf").build(), null).pass()).isTrue();
        assertThat(equals.evaluate(text("Infinity").build(), null).pass()).isFalse();
        Check all = Checks.create(specs.get(1));
        assertThat(all.evaluate(text("-.inf .NaN +.Inf").build(), null).pass()).isTrue();
        assertThat(all.evaluate(text("-.inf .nan .inf").build(), null).pass()).as("kept as typed").isFalse();
    }

    @Test
    void a_number_the_suite_schema_types_is_refused_at_the_value() {
        assertThatThrownBy(() -> asserts("      - {type: latency, max_ms: .inf}\n")).isInstanceOf(SuiteException.class)
                .hasMessageEndingWith("suite.yaml:7:33: cases[0].assert[0].max_ms: expected number, got string '.inf'");
        assertThatThrownBy(() -> asserts("      - {type: llm-rubric, value: x, threshold: -.INF}\n"))
                .isInstanceOf(SuiteException.class)
                .hasMessageEndingWith("suite.yaml:7:49: cases[0].assert[0].threshold: expected number, got string '-.INF'");
    }

    @Test
    void a_number_parameter_read_by_its_check_is_refused_at_the_assertion() throws Exception {
        List<AssertSpec> specs = asserts("      - {type: levenshtein, value: x, max_distance: .NaN}\n");
        assertThatThrownBy(() -> Checks.create(specs.get(0)))
                .hasMessageEndingWith("suite.yaml:7:9: cases[0].assert[0].max_distance: 'max_distance' must be a whole number ≥ 0");
    }
}
