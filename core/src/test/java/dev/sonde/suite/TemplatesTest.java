package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suite strings are Mustache templates over defaults.vars, case vars and dataset rows. */
class TemplatesTest {
    @TempDir
    Path dir;

    private Path write(String cases) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\n"
                + "defaults: {vars: {tone: brief, items: [milk, eggs], user: {name: Ann, vip: true}, none: []}}\n"
                + "cases:\n" + cases);
        return f;
    }

    private static String prompt(Suite s, int i) {
        return s.cases().get(i).messages().get(0).get("content").asText();
    }

    @Test
    void sections_inverted_sections_comments_and_set_delimiter_render_without_html_escaping() throws Exception {
        Suite s = SuiteLoader.load(write("""
                  - id: list
                    prompt: "Buy:{{#items}} [{{.}}]{{/items}}{{^none}} (nothing else){{/none}} <b>&{{! a note }}</b>"
                  - id: object
                    vars: {count: 3}
                    prompt: "{{#user}}Hi {{name}}{{#vip}}, VIP{{/vip}}{{/user}} x{{count}} {{items}}"
                  - id: literal
                    system: "Write \\\\{{name}} as is. {{=<% %>=}}Also {{this}} and <%tone%>."
                    prompt: "{{tone}}"
                """));
        assertThat(prompt(s, 0)).isEqualTo("Buy: [milk] [eggs] (nothing else) <b>&</b>");
        assertThat(prompt(s, 1)).isEqualTo("Hi Ann, VIP x3 [\"milk\",\"eggs\"]");
        assertThat(s.cases().get(2).system().asText()).isEqualTo("Write {{name}} as is. Also {{this}} and brief.");
    }

    @Test
    void the_readme_example_renders_as_documented() throws Exception {
        Path f = dir.resolve("readme.yaml");
        Files.writeString(f, """
                name: t
                models: [{id: m, model: claude-sonnet-4-6}]
                defaults:
                  vars: {tone: brief, items: [milk, eggs], user: {name: Ann, vip: true}, notes: []}
                cases:
                  - id: shopping
                    prompt: |
                      {{! a comment: not sent }}
                      Be {{tone}}. Sort this list:{{#items}} {{.}};{{/items}}
                      {{#user}}The user is {{name}}{{#vip}} (VIP){{/vip}}.{{/user}}
                      {{^notes}}No notes.{{/notes}}
                      As JSON: {{items}}
                """);
        assertThat(prompt(SuiteLoader.load(f), 0)).isEqualTo("""
                Be brief. Sort this list: milk; eggs;
                The user is Ann (VIP).
                No notes.
                As JSON: ["milk","eggs"]
                """);
    }

    @Test
    void assertion_values_and_messages_see_case_vars_over_defaults() throws Exception {
        Suite s = SuiteLoader.load(write("""
                  - id: c
                    vars: {tone: terse}
                    messages:
                      - {role: user, content: [{type: text, text: "Be {{tone}}."}]}
                    assert: [{type: contains, value: "{{tone}}"}]
                """));
        assertThat(s.cases().get(0).messages().get(0).at("/content/0/text").asText()).isEqualTo("Be terse.");
        assertThat(s.cases().get(0).asserts().get(0).config().get("value").asText()).isEqualTo("terse");
    }

    @Test
    void a_missing_variable_or_section_names_it_the_vars_and_the_line_of_the_text() throws Exception {
        Path f = write("""
                  - id: c
                    prompt: |
                      first line
                      second {{#missing}}x{{/missing}}
                """);
        assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                .hasMessage(f + ":6:13: cases[0].prompt: unknown variable 'missing' on line 2 of the text"
                        + " (vars: tone, items, user, none)");
    }

    @Test
    void a_literal_double_brace_in_a_prompt_is_an_unknown_variable_that_says_how_to_write_it() throws Exception {
        Path f = write("""
                  - id: c
                    prompt: 'Reply with {{ "a": 1 }} as JSON'
                """);
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessage(f + ":6:13: cases[0].prompt: unknown variable "
                + "'\"a\": 1' (vars: tone, items, user, none); a literal {{ is written \\{{ (or after {{=<% %>=}})");

        Path escaped = write("""
                  - id: c
                    prompt: 'Reply with \\{{ "a": 1 }} as JSON'
                """);
        assertThat(prompt(SuiteLoader.load(escaped), 0)).isEqualTo("Reply with {{ \"a\": 1 }} as JSON");

        Path noVars = dir.resolve("none.yaml");
        Files.writeString(noVars, "name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\n"
                + "cases: [{id: c, prompt: 'Fill in {{placeholder}}'}]\n");
        assertThatThrownBy(() -> SuiteLoader.load(noVars)).hasMessage(noVars + ":3:25: cases[0].prompt: unknown variable "
                + "'placeholder' (no vars defined); a literal {{ is written \\{{ (or after {{=<% %>=}})");
    }

    @Test
    void an_unclosed_or_mismatched_section_is_a_syntax_error_at_the_string() throws Exception {
        Path unclosed = write("""
                  - id: c
                    prompt: "{{#items}}x"
                """);
        assertThatThrownBy(() -> SuiteLoader.load(unclosed))
                .hasMessageStartingWith(unclosed + ":6:13: cases[0].prompt: template syntax error: Section missing close tag 'items'");
        Path mismatched = write("""
                  - id: c
                    prompt: "ok"
                    assert: [{type: contains, value: "{{#items}}{{/user}}"}]
                """);
        assertThatThrownBy(() -> SuiteLoader.load(mismatched))
                .hasMessageContaining(":7:38: cases[0].assert[0].value: template syntax error: Section close tag with mismatched"
                        + " open tag 'user' != 'items'");
    }

    @Test
    void jsonl_rows_keep_lists_for_sections() throws Exception {
        Files.writeString(dir.resolve("rows.jsonl"), "{\"id\": \"a\", \"steps\": [\"wash\", \"dry\"], \"n\": 2}\n");
        Suite s = SuiteLoader.load(write("""
                  - id: row
                    cases_from: rows.jsonl
                    prompt: "{{n}} steps:{{#steps}} {{.}};{{/steps}}"
                """));
        assertThat(prompt(s, 0)).isEqualTo("2 steps: wash; dry;");
    }

    @Test
    void vars_may_be_lists_and_objects_but_not_null() throws Exception {
        Path f = dir.resolve("n.yaml");
        Files.writeString(f, "name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\ndefaults: {vars: {x: null}}\n"
                + "cases: [{id: c, prompt: hi}]\n");
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessageContaining("defaults.vars.x: expected string or number"
                + " or boolean or array or object, got null");
    }

    @Test
    void a_value_that_is_one_tag_keeps_the_vars_type_in_assertions_and_params_but_text_in_prompts() throws Exception {
        Files.writeString(dir.resolve("rows.jsonl"), "{\"id\": \"a\", \"n\": 3, \"ok\": true, \"want\": {\"city\": \"Paris\"},"
                + " \"tags\": [\"x\", \"y\"]}\n");
        Suite s = SuiteLoader.load(write("""
                  - id: row
                    cases_from: rows.jsonl
                    prompt: "{{n}}"
                    params: {thinking: {type: enabled, budget_tokens: "{{n}}"}, metadata: {tags: " {{ tags }} ", label: "n={{n}}"}}
                    assert:
                      - {type: word-count, max: "{{n}}"}
                      - {type: json-path, path: $.trip, equals: "{{want}}"}
                      - {type: json-path, path: $.ok, equals: "{{ok}}"}
                      - {type: contains, value: "{{n}} words"}
                      - {type: contains, value: "{{user.name}}"}
                """));
        CaseSpec c = s.cases().get(0);
        assertThat(prompt(s, 0)).isEqualTo("3");
        assertThat(c.params().at("/thinking/budget_tokens").isInt()).isTrue();
        assertThat(c.params().at("/thinking/budget_tokens").asInt()).isEqualTo(3);
        assertThat(c.params().at("/metadata/tags").toString()).isEqualTo("[\"x\",\"y\"]");
        assertThat(c.params().at("/metadata/label").asText()).isEqualTo("n=3");
        assertThat(c.asserts().get(0).config().get("max").isInt()).isTrue();
        assertThat(c.asserts().get(1).config().get("equals").toString()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(c.asserts().get(2).config().get("equals").isBoolean()).isTrue();
        assertThat(c.asserts().get(3).config().get("value").asText()).isEqualTo("3 words");
        assertThat(c.asserts().get(4).config().get("value").asText()).isEqualTo("Ann");
        // the check that rejected the text "3" accepts the typed value
        assertThat(dev.sonde.check.Checks.create(c.asserts().get(0))).isNotNull();
    }

    @Test
    void a_one_tag_value_naming_no_var_is_still_an_unknown_variable_at_its_field() throws Exception {
        Path f = write("""
                  - id: c
                    prompt: hi
                    params: {metadata: {user_id: "{{budget}}"}}
                """);
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessageContaining("cases[0].params.metadata.user_id: unknown variable 'budget'");
    }
}
