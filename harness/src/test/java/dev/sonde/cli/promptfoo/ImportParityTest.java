package dev.sonde.cli.promptfoo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the import follows what promptfoo 0.118 does rather than what its config seems to say: which
 * vars expand into cases, which folder a nested {@code file://} resolves against, what the CSV
 * shorthand keeps, and the negations promptfoo ignores or Sonde lacks.
 */
class ImportParityTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    private PromptfooImport.Result run(String config) throws Exception {
        return PromptfooImport.of(Files.writeString(dir.resolve("promptfooconfig.yaml"), config), "t");
    }

    private static JsonNode cases(PromptfooImport.Result r) throws Exception {
        assertThat(r.yaml()).as(r.why()).isNotNull();
        return YAML.readTree(r.yaml()).get("cases");
    }

    private static List<String> unmapped(PromptfooImport.Result r) {
        return r.unmapped().stream().map(Unmapped::toString).toList();
    }

    @Test
    void a_written_list_of_texts_and_a_glob_expand_but_a_files_data_and_a_list_of_mappings_do_not() throws Exception {
        Files.writeString(dir.resolve("list.json"), "[\"p\", \"q\"]");
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/1.txt"), "one");
        Files.writeString(dir.resolve("docs/2.txt"), "two");
        PromptfooImport.Result r = run("""
                prompts: ['{{a}} {{data}} {{rows}} {{g}} {{d}}']
                providers: [anthropic:messages:claude-x]
                defaultTest: {vars: {d: [d1, d2]}}
                tests:
                  - vars: {a: [x, y], data: file://list.json, rows: [{k: 1}, {k: 2}], g: file://docs/*.txt, d: fixed}
                """);

        JsonNode cases = cases(r);
        assertThat(cases).hasSize(4); // a × g; d is the test's own text, which replaces the default's list
        assertThat(cases.get(1).get("vars").toString())
                .isEqualTo("{\"d\":\"fixed\",\"a\":\"x\",\"data\":[\"p\",\"q\"],\"rows\":[{\"k\":1},{\"k\":2}],\"g\":\"two\"}");
        assertThat(cases.get(2).at("/vars/a").asText()).isEqualTo("y");
    }

    @Test
    void a_default_list_of_texts_expands_and_disable_var_expansion_keeps_lists_whole() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ['{{a}} {{d}}']
                providers: [anthropic:messages:claude-x]
                defaultTest: {vars: {d: [d1, d2]}}
                tests:
                  - vars: {a: [x, y]}
                  - vars: {a: [x, y]}
                    options: {disableVarExpansion: true}
                """);

        JsonNode cases = cases(r);
        assertThat(cases).hasSize(5);
        assertThat(cases.get(4).get("vars").toString()).isEqualTo("{\"d\":[\"d1\",\"d2\"],\"a\":[\"x\",\"y\"]}");
    }

    @Test
    void a_var_read_only_inside_if_or_for_gets_the_empty_default_so_the_suite_loads() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ['Hi{% if a %} {{ b }}{% endif %}{% for x in xs %} {{ x }} on {{ topic }}{% endfor %}']
                providers: [anthropic:messages:claude-x]
                tests: [{vars: {a: yes, xs: [[one]]}}]
                """);

        assertThat(cases(r).get(0).get("vars").toString()).isEqualTo("{\"a\":true,\"xs\":[[\"one\"]],\"b\":\"\",\"topic\":\"\"}");
    }

    @Test
    void a_var_or_assertion_file_in_a_nested_tests_file_resolves_against_the_configs_folder_and_vars_files_against_its_own()
            throws Exception {
        Files.createDirectories(dir.resolve("tests/docs"));
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/a.txt"), "from the config's folder");
        Files.writeString(dir.resolve("tests/docs/a.txt"), "from the tests folder");
        Files.writeString(dir.resolve("ref.txt"), "reference");
        Files.writeString(dir.resolve("tests/v.yaml"), "doc: tests' own vars file\n");
        Files.writeString(dir.resolve("tests/t.yaml"), """
                - vars: {doc: file://docs/a.txt}
                  assert: [{type: contains, value: file://ref.txt}]
                - vars: file://v.yaml
                """);
        PromptfooImport.Result r = run("""
                prompts: ['Read {{doc}}']
                providers: [anthropic:messages:claude-x]
                tests: file://tests/t.yaml
                """);

        JsonNode cases = cases(r);
        assertThat(unmapped(r)).isEmpty();
        assertThat(cases.at("/0/vars/doc").asText()).isEqualTo("from the config's folder");
        assertThat(cases.at("/0/assert/0/value").asText()).isEqualTo("reference");
        assertThat(cases.at("/1/vars/doc").asText()).isEqualTo("tests' own vars file");
    }

    @Test
    void not_word_count_is_unmapped_and_not_levenshtein_is_the_plain_levenshtein_promptfoo_ran() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ['Say {{x}}']
                providers: [anthropic:messages:claude-x]
                tests:
                  - vars: {x: a}
                    assert:
                      - {type: not-word-count, value: 3}
                      - {type: not-levenshtein, value: abc, threshold: 0}
                      - {type: levenshtein, value: abc, threshold: 2.5}
                """);

        JsonNode asserts = cases(r).at("/0/assert");
        assertThat(asserts.toString()).isEqualTo("[{\"type\":\"levenshtein\",\"value\":\"abc\",\"max_distance\":0},"
                + "{\"type\":\"levenshtein\",\"value\":\"abc\",\"max_distance\":2}]");
        assertThat(unmapped(r)).singleElement().asString().contains("assertion not-word-count — Sonde has no negation of word-count");
        assertThat(r.notes()).anyMatch(n -> n.contains("not-levenshtein imported as levenshtein: promptfoo ignores the not-"));
    }

    @Test
    void csv_shorthand_is_trimmed_and_keeps_a_threshold_only_where_promptfoo_does() throws Exception {
        Files.writeString(dir.resolve("t.csv"), "x , __expected, __expected2,__expected3,__expected4\n"
                + "hi,  contains:h ,bleu(0.9):hi there,rouge-n(0.6):hi,\"icontains-any:a, b\"\n");
        PromptfooImport.Result r = run("""
                prompts: ['Say {{x}}']
                providers: [anthropic:messages:claude-x]
                tests: file://t.csv
                """);

        JsonNode c = cases(r).get(0);
        assertThat(c.get("vars").toString()).isEqualTo("{\"x\":\"hi\"}");
        assertThat(c.get("assert").toString()).isEqualTo("[{\"type\":\"contains\",\"value\":\"h\"},"
                + "{\"type\":\"bleu\",\"value\":\"hi there\"},{\"type\":\"rouge-n\",\"value\":\"hi\",\"threshold\":0.6},"
                + "{\"type\":\"icontains-any\",\"value\":[\"a\",\"b\"]}]");
    }
}
