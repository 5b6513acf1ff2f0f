package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteLoaderTest {
    @TempDir
    Path dir;

    private static final String VALID = """
            name: demo
            models:
              - id: sonnet
                model: claude-sonnet-4-6
                params: {max_tokens: 256, temperature: 0}
                headers: {anthropic-beta: "x-2026"}
              - id: haiku
                model: claude-haiku-4-5
                stream: false
            defaults:
              system: "You are terse."
              vars: {tone: formal}
              params: {max_tokens: 100, metadata: {user_id: ci}}
              assert: [{type: ttft, max_ms: 3000}]
            cases:
              - id: capital-france
                vars: {country: France}
                messages: [{role: user, content: "What is the capital of {{country}}? Be {{ tone }}."}]
                assert: [{type: contains, value: "{{country}}"}]
              - id: only-haiku
                prompt: "Say hi"
                models: [haiku]
                params: {max_tokens: 5, stop_sequences: ["\\n"]}
            run: {concurrency: 8, repeat: 2, timeout_s: 1.5}
            """;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void loads_a_valid_suite_and_substitutes_variables_everywhere() throws Exception {
        Suite s = SuiteLoader.load(write(VALID));

        assertThat(s.name()).isEqualTo("demo");
        assertThat(s.models()).extracting(ModelSpec::id).containsExactly("sonnet", "haiku");
        assertThat(s.models().get(1).stream()).isFalse();
        assertThat(s.run().concurrency()).isEqualTo(8);
        assertThat(s.run().timeout().toMillis()).isEqualTo(1500);
        CaseSpec first = s.cases().get(0);
        assertThat(first.messages().get(0).get("content").asText())
                .isEqualTo("What is the capital of France? Be formal.");
        assertThat(first.asserts()).extracting(AssertSpec::type).containsExactly("ttft", "contains");
        assertThat(first.asserts().get(1).config().get("value").asText()).isEqualTo("France");
        assertThat(first.asserts().get(1).location().line()).isEqualTo(19);
        assertThat(s.cases().get(1).messages().get(0).get("role").asText()).isEqualTo("user");
    }

    @Test
    void plan_expands_cases_by_models_by_repeats_with_stable_ids_and_layered_params() throws Exception {
        Suite s = SuiteLoader.load(write(VALID));
        List<Trial> trials = Plan.expand(s);

        assertThat(trials).extracting(Trial::id).containsExactly(
                "capital-france/sonnet/0", "capital-france/sonnet/1", "capital-france/haiku/0",
                "capital-france/haiku/1", "only-haiku/haiku/0", "only-haiku/haiku/1");
        var sonnet = trials.get(0).body();
        assertThat(sonnet.get("model").asText()).isEqualTo("claude-sonnet-4-6");
        assertThat(sonnet.get("max_tokens").asInt()).isEqualTo(256); // model beats defaults
        assertThat(sonnet.get("metadata").get("user_id").asText()).isEqualTo("ci");
        assertThat(sonnet.get("system").asText()).isEqualTo("You are terse.");
        assertThat(sonnet.get("stream").asBoolean()).isTrue();
        assertThat(trials.get(0).headers()).containsEntry("anthropic-beta", "x-2026");
        var onlyHaiku = trials.get(4).body();
        assertThat(onlyHaiku.get("max_tokens").asInt()).isEqualTo(5); // case beats model and defaults
        assertThat(onlyHaiku.get("stream").asBoolean()).isFalse();
        assertThat(onlyHaiku.get("stop_sequences").get(0).asText()).isEqualTo("\n");
    }

    @Test
    void a_typo_in_a_key_names_file_line_column_field_and_suggests_the_key() throws Exception {
        Path f = write(VALID.replace("    assert: [{type: contains", "    asert: [{type: contains"));
        assertThatThrownBy(() -> SuiteLoader.load(f))
                .isInstanceOf(SuiteException.class)
                .hasMessage(f + ":19:5: cases[0].asert: unknown key (did you mean 'assert'?)");
    }

    @Test
    void a_wrong_type_names_the_value_position_and_the_expected_type() throws Exception {
        Path f = write(VALID.replace("concurrency: 8", "concurrency: eight"));
        assertThatThrownBy(() -> SuiteLoader.load(f))
                .hasMessage(f + ":24:20: run.concurrency: expected integer, got string 'eight'");
    }

    @Test
    void invalid_yaml_names_the_position_of_the_syntax_error() throws Exception {
        Path f = write("name: x\nmodels: [\n  - id: a\n");
        assertThatThrownBy(() -> SuiteLoader.load(f))
                .isInstanceOf(SuiteException.class)
                .hasMessageStartingWith(f + ":3:")
                .hasMessageContaining("invalid YAML");
    }

    @Test
    void an_unknown_variable_is_an_error_listing_the_defined_ones() throws Exception {
        Path f = write(VALID.replace("{{country}}?", "{{contry}}?"));
        assertThatThrownBy(() -> SuiteLoader.load(f))
                .hasMessageContaining(":18:")
                .hasMessageContaining("cases[0].messages[0].content: unknown variable 'contry' (vars: tone, country)");
    }

    @Test
    void semantic_errors_duplicate_ids_unknown_model_labels_and_harness_owned_fields() throws Exception {
        Path dup = write(VALID.replace("id: only-haiku", "id: capital-france"));
        assertThatThrownBy(() -> SuiteLoader.load(dup)).hasMessage(dup + ":20:9: cases[1].id: duplicate case id 'capital-france'");

        Path unknownModel = write(VALID.replace("models: [haiku]", "models: [opus]"));
        assertThatThrownBy(() -> SuiteLoader.load(unknownModel))
                .hasMessageContaining("cases[1].models[0]: no model with id 'opus'");

        Path stream = write(VALID.replace("params: {max_tokens: 5,", "params: {stream: true, max_tokens: 5,"));
        assertThatThrownBy(() -> SuiteLoader.load(stream))
                .hasMessageContaining("cases[1].params.stream: is not allowed here");
    }

    @Test
    void a_case_with_both_prompt_and_messages_is_rejected() throws Exception {
        Path f = write(VALID.replace("    prompt: \"Say hi\"", "    prompt: \"Say hi\"\n    messages: [{role: user, content: x}]"));
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessageContaining("exactly one of 'prompt' or 'messages'");
    }

    @Test
    void a_missing_file_and_an_empty_file_are_one_line_errors() throws Exception {
        assertThatThrownBy(() -> SuiteLoader.load(dir.resolve("nope.yaml"))).hasMessageEndingWith("no such suite file");
        assertThatThrownBy(() -> SuiteLoader.load(write(""))).hasMessageEndingWith("the suite file is empty");
    }
}
