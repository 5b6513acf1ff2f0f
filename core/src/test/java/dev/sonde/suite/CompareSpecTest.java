package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite's {@code compare:} section: binding, defaults, and located errors for every mistake. */
class CompareSpecTest {
    @TempDir
    Path dir;

    private static final String HEAD = """
            name: mig
            models:
              - {id: sonnet, model: claude-sonnet-4-6}
              - {id: haiku, model: claude-haiku-4-5}
            cases:
              - {id: a, prompt: "hi"}
              - {id: b, prompt: "ho"}
            """;

    private Path write(String compare) throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, HEAD + compare);
        return f;
    }

    @Test
    void binds_baseline_candidates_volume_and_the_stated_defaults() throws Exception {
        CompareSpec c = SuiteLoader.load(write("""
                compare:
                  baseline: sonnet
                  candidates: [haiku]
                  volume: {per_case: {a: 9000, b: 1000}}
                """)).compare();
        assertThat(c.baseline()).isEqualTo("sonnet");
        assertThat(c.candidates()).containsExactly("haiku");
        assertThat(c.maxPassRateDropPp()).isEqualTo(CompareSpec.DEFAULT_MAX_PASS_RATE_DROP_PP);
        assertThat(c.maxExceptedCases()).isEqualTo(CompareSpec.DEFAULT_MAX_EXCEPTED_CASES);
        assertThat(c.volume().perCase()).isEqualTo(Map.of("a", 9000.0, "b", 1000.0));
        assertThat(c.volume().basis()).isEqualTo("per_case");
        assertThat(SuiteLoader.load(write("")).compare()).isNull();
        CompareSpec monthly = SuiteLoader.load(write("""
                compare: {baseline: sonnet, candidates: [haiku], max_pass_rate_drop_pp: 2.5, volume: {requests_per_month: 1e6}}
                """)).compare();
        assertThat(monthly.volume().requestsPerMonth()).isEqualTo(1e6);
        assertThat(monthly.maxPassRateDropPp()).isEqualTo(2.5);
    }

    @Test
    void an_unknown_model_is_named_where_it_is_written() throws Exception {
        Path f = write("""
                compare:
                  baseline: sonnet
                  candidates: [haiku, opus]
                """);
        assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                .hasMessageStartingWith(f + ":10:23: compare.candidates[1]: no model with id 'opus'");
        Path g = write("compare: {baseline: sonet, candidates: [haiku]}\n");
        assertThatThrownBy(() -> SuiteLoader.load(g)).hasMessageStartingWith(g + ":8:21: compare.baseline: no model"
                + " with id 'sonet'");
    }

    @Test
    void the_baseline_cannot_be_its_own_candidate_nor_a_candidate_twice() throws Exception {
        Path f = write("compare: {baseline: sonnet, candidates: [haiku, sonnet]}\n");
        assertThatThrownBy(() -> SuiteLoader.load(f))
                .hasMessage(f + ":8:49: compare.candidates[1]: 'sonnet' is the baseline; a candidate is another model");
        Path g = write("compare: {baseline: sonnet, candidates: [haiku, haiku]}\n");
        assertThatThrownBy(() -> SuiteLoader.load(g)).hasMessage(g + ":8:49: compare.candidates[1]: 'haiku' is listed twice");
    }

    @Test
    void volume_names_real_cases_and_one_basis() throws Exception {
        Path f = write("""
                compare:
                  baseline: sonnet
                  candidates: [haiku]
                  volume: {per_case: {a: 10, c: 5}}
                """);
        assertThatThrownBy(() -> SuiteLoader.load(f))
                .hasMessageStartingWith(f + ":11:33: compare.volume.per_case.c: no case with id 'c'");
        Path g = write("compare: {baseline: sonnet, candidates: [haiku], volume: {requests_per_month: 5, per_case: {a: 1}}}\n");
        assertThatThrownBy(() -> SuiteLoader.load(g)).isInstanceOf(SuiteException.class)
                .hasMessageContaining("compare.volume");
        Path h = write("compare: {baseline: sonnet, candidates: [haiku], max_pass_rate_drop: 5}\n");
        assertThatThrownBy(() -> SuiteLoader.load(h)).hasMessageContaining("compare.max_pass_rate_drop: unknown key"
                + " (did you mean 'max_pass_rate_drop_pp'?)");
        Path i = write("compare: {baseline: sonnet, candidates: [haiku]}\nload: {mode: closed}\n");
        assertThatThrownBy(() -> SuiteLoader.load(i)).hasMessageContaining("compare: a load: benchmark");
    }
}
