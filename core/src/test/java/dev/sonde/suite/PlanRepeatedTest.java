package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --repeat N} as the plan sees it: the suite's run.repeat replaced, and refused where repeats mean nothing. */
class PlanRepeatedTest {
    @TempDir
    Path dir;

    @Test
    void the_plan_of_a_repeated_suite_has_that_many_trials_per_case_and_model_and_nothing_else_changes() throws Exception {
        Files.writeString(dir.resolve("s.yaml"), """
                name: rep
                models:
                  - {id: a, model: claude-sonnet-4-6}
                  - {id: b, model: claude-haiku-4-5}
                cases:
                  - {id: only-b, prompt: "hello", models: [b]}
                  - {id: both, prompt: "hi"}
                run: {repeat: 2, concurrency: 3}
                """);
        Suite suite = SuiteLoader.load(dir.resolve("s.yaml"));
        Suite four = Plan.repeated(suite, 4);

        assertThat(four.run().repeat()).isEqualTo(4);
        assertThat(four.run()).isEqualTo(suite.run().withRepeat(4));
        assertThat(four.run().concurrency()).isEqualTo(3);
        assertThat(Plan.expand(four)).extracting(Trial::id).containsExactly(
                "only-b/b/0", "only-b/b/1", "only-b/b/2", "only-b/b/3",
                "both/a/0", "both/a/1", "both/a/2", "both/a/3", "both/b/0", "both/b/1", "both/b/2", "both/b/3");
        assertThat(Plan.trialsPerCase(four, Plan.expand(four)).applyAsInt("both")).isEqualTo(8);
        assertThat(Plan.hash(Plan.repeated(suite, 2), Plan.expand(Plan.repeated(suite, 2))))
                .isEqualTo(Plan.hash(suite, Plan.expand(suite)));
        assertThat(Plan.hash(four, Plan.expand(four))).isNotEqualTo(Plan.hash(suite, Plan.expand(suite)));
    }

    @Test
    void a_count_out_of_range_a_benchmark_or_variants_are_refused_in_one_line() throws Exception {
        Files.writeString(dir.resolve("s.yaml"), "name: s\nmodels: [{id: a, model: claude-sonnet-4-6}]\n"
                + "cases: [{id: c, prompt: hi}]\n");
        Suite plain = SuiteLoader.load(dir.resolve("s.yaml"));
        for (int bad : List.of(0, -3, Plan.MAX_REPEAT + 1, Integer.MIN_VALUE)) {
            assertThatThrownBy(() -> Plan.repeated(plain, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--repeat must be from 1 to 100000, not " + bad);
        }
        assertThat(Plan.repeated(plain, Plan.MAX_REPEAT).run().repeat()).isEqualTo(Plan.MAX_REPEAT);

        Suite variants = SuiteLoader.load(Path.of("../suites/cache-placement.yaml"));
        assertThat(Plan.repeated(variants, 1).variants()).isEqualTo(variants.variants());
        assertThatThrownBy(() -> Plan.repeated(variants, 2)).hasMessage(
                "--repeat does not apply to a suite with variants: it repeats through sequence.requests");
    }
}
