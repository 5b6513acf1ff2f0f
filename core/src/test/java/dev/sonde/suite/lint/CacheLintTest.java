package dev.sonde.suite.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.SuiteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheLintTest {
    private static final Path FIVE = Path.of("src/test/resources/dev/sonde/suite/lint/five-mistakes.yaml");
    /** What {@code five-mistakes-emulator.yaml} sets for every model. */
    private static final MinimumTokens FORTY = m -> 40;
    private static final MinimumTokens NONE = m -> 0;

    @TempDir
    Path dir;

    private static List<LintWarning> lint(Path suite, MinimumTokens minimums) throws Exception {
        return CacheLint.check(SuiteLoader.load(suite), SuiteSource.read(suite), minimums);
    }

    private List<LintWarning> lint(String yaml, MinimumTokens minimums) throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, yaml);
        return lint(f, minimums);
    }

    private static LintWarning only(List<LintWarning> warnings, LintWarning.Kind kind) {
        List<LintWarning> of = warnings.stream().filter(w -> w.kind() == kind).toList();
        assertThat(of).as(warnings.toString()).hasSize(1);
        return of.get(0);
    }

    // --- the five mistakes, each once, in the fixture built to hold them

    @Test
    void the_fixture_holds_exactly_the_five_mistakes() throws Exception {
        assertThat(lint(FIVE, FORTY)).extracting(LintWarning::kind).containsExactly(
                LintWarning.Kind.PREFIX_VARIES, LintWarning.Kind.MESSAGES_AFTER_VARYING_SYSTEM_OR_TOOLS,
                LintWarning.Kind.BELOW_MINIMUM, LintWarning.Kind.TOO_MANY_BREAKPOINTS, LintWarning.Kind.TTL_ORDER);
    }

    @Test
    void mistake_1_a_breakpoint_after_a_variable_that_differs_between_cases() throws Exception {
        LintWarning w = only(lint(FIVE, FORTY), LintWarning.Kind.PREFIX_VARIES);
        assertThat(w.toString()).isEqualTo(FIVE + ":17:7: warning: defaults.system[1].cache_control (cases doc-1 and "
                + "doc-2): breakpoint after content that differs between cases (system[0] (line 10) uses {{date}}, "
                + "which differs between case doc-1 and case doc-2), so its prefix never repeats: every case writes "
                + "its own cache entry and no other case reads it. Fix: move the varying content after the last "
                + "breakpoint (for example into the final user message), or move the breakpoint up to the last block "
                + "that is the same in every case");
    }

    @Test
    void mistake_2_a_prefix_below_the_models_minimum() throws Exception {
        LintWarning w = only(lint(FIVE, FORTY), LintWarning.Kind.BELOW_MINIMUM);
        assertThat(w.toString()).isEqualTo(FIVE + ":33:51: warning: cases[1].system[0].cache_control (case short): "
                + "the prefix through this breakpoint is at most about 6 tokens (an over-count), below "
                + "claude-sonnet-4-6's minimum of 40, so it is silently not cached (both cache counters stay 0). "
                + "Fix: remove this breakpoint, or place it after enough content that the prefix reaches 40 tokens");
    }

    @Test
    void mistake_3_more_than_four_breakpoints() throws Exception {
        LintWarning w = only(lint(FIVE, FORTY), LintWarning.Kind.TOO_MANY_BREAKPOINTS);
        assertThat(w.toString()).isEqualTo(FIVE + ":48:55: warning: cases[2].messages[0].content[3].cache_control "
                + "(case many): breakpoint number 5 of one request: the API accepts at most 4 (a top-level cache_control "
                + "counts as one) and rejects the request with a 400. Fix: remove this breakpoint or an earlier one; "
                + "one at the end of each part that stays the same is enough, as the API also looks for hits about 20 "
                + "blocks back from each breakpoint");
    }

    @Test
    void mistake_4_a_1h_breakpoint_after_a_5m_one() throws Exception {
        LintWarning w = only(lint(FIVE, FORTY), LintWarning.Kind.TTL_ORDER);
        assertThat(w.toString()).isEqualTo(FIVE + ":59:95: warning: cases[3].messages[0].content[0].cache_control "
                + "(case ttl): a 1h breakpoint after a 5m one (line 55): 1h breakpoints must come before 5m ones in the "
                + "order tools → system → messages, and the API rejects the request with a 400. Fix: move this 1h "
                + "breakpoint before every 5m one, or make it 5m");
    }

    @Test
    void mistake_5_a_breakpoint_in_messages_while_system_varies() throws Exception {
        LintWarning w = only(lint(FIVE, FORTY), LintWarning.Kind.MESSAGES_AFTER_VARYING_SYSTEM_OR_TOOLS);
        assertThat(w.toString()).isEqualTo(FIVE + ":29:13: warning: cases[0].messages[0].content[0].cache_control "
                + "(cases doc-1 and doc-2): breakpoint in messages while system differs between cases (system[0] "
                + "(line 10) uses {{date}}, which differs between case doc-1 and case doc-2); the cache prefix runs "
                + "tools → system → messages, so this breakpoint never hits across cases. Fix: make tools and system "
                + "the same in every case (move what varies into a message after this breakpoint)");
    }

    // --- edge cases

    private static final String HEAD = """
            name: edge
            models:
              - {id: sonnet, model: claude-sonnet-4-6}
            """;

    @Test
    void a_final_turn_breakpoint_on_a_varying_user_turn_is_the_conversation_pattern_and_not_flagged() throws Exception {
        // one template, so one cache_control shared by every row, after a system and a turn that both vary
        assertThat(lint(HEAD + """
                defaults:
                  system: "Today is {{date}}."
                cases:
                  - id: chat
                    cases_from: rows.csv
                    messages:
                      - {role: user, content: "Hello, I am {{user}}."}
                      - {role: assistant, content: "Hi {{user}}, how can I help?"}
                      - role: user
                        content: [{type: text, text: "{{q}}", cache_control: {type: ephemeral}}]
                    tool_loop: {max_turns: 3}
                """.replace("rows.csv", csv("date,user,q\nMonday,ann,first\nTuesday,bob,second\n")), NONE)).isEmpty();
    }

    @Test
    void the_same_breakpoint_one_turn_earlier_is_flagged_because_a_later_block_caches_nothing_shared() throws Exception {
        List<LintWarning> w = lint(HEAD + """
                cases:
                  - id: template
                    cases_from: rows.csv
                    messages:
                      - role: user
                        content:
                          - {type: text, text: "Customer {{user}} asks:", cache_control: {type: ephemeral}}
                          - {type: text, text: "Where is my parcel?"}
                """.replace("rows.csv", csv("user\nu-17\nu-42\n")), NONE);
        assertThat(w).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(LintWarning.Kind.PREFIX_VARIES);
            assertThat(x.location().line()).isEqualTo(10);
            assertThat(x.what()).startsWith("the marked block itself differs between cases (messages[0].content[0] "
                    + "(line 10) uses {{user}}, which differs between case template-1 and case template-2)");
        });
    }

    @Test
    void a_system_string_with_a_variable_makes_a_shared_document_breakpoint_in_messages_useless() throws Exception {
        String doc = "{type: text, text: \"The long shared manual.\", cache_control: {type: ephemeral}}";
        List<LintWarning> w = lint(HEAD + """
                defaults:
                  system: "Today is {{date}}."
                cases:
                  - id: mon
                    vars: {date: Monday}
                    messages: [{role: user, content: [%s, {type: text, text: "Q1"}]}]
                  - id: tue
                    vars: {date: Tuesday}
                    messages: [{role: user, content: [%s, {type: text, text: "Q2"}]}]
                """.formatted(doc, doc), NONE);
        // the same marked block written in two cases: both places are named
        assertThat(w).extracting(x -> x.location().line()).containsExactly(9, 12);
        assertThat(w).allSatisfy(x -> {
            assertThat(x.kind()).isEqualTo(LintWarning.Kind.MESSAGES_AFTER_VARYING_SYSTEM_OR_TOOLS);
            assertThat(x.what()).contains("system (line 5) uses {{date}}, which differs between case mon and case tue");
        });
    }

    @Test
    void a_breakpoint_on_the_last_tool_does_not_care_that_system_varies_after_it() throws Exception {
        assertThat(lint(HEAD + """
                defaults:
                  system: "Today is {{date}}."
                  params:
                    tools:
                      - {name: a, input_schema: {type: object}}
                      - {name: b, input_schema: {type: object}, cache_control: {type: ephemeral}}
                cases:
                  - {id: mon, vars: {date: Monday}, prompt: "hi"}
                  - {id: tue, vars: {date: Tuesday}, prompt: "hi"}
                """, NONE)).isEmpty();
    }

    @Test
    void a_system_breakpoint_after_tools_that_differ_between_cases_names_both_tool_lists() throws Exception {
        List<LintWarning> w = lint(HEAD + """
                defaults:
                  system: [{type: text, text: "Shared rules.", cache_control: {type: ephemeral}}]
                  params:
                    tools: [{name: search, input_schema: {type: object}}]
                cases:
                  - {id: plain, prompt: "hi"}
                  - id: extra
                    prompt: "hi"
                    params:
                      tools: [{name: book, input_schema: {type: object}}]
                """, NONE);
        assertThat(w).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(LintWarning.Kind.PREFIX_VARIES);
            assertThat(x.field()).isEqualTo("defaults.system[0].cache_control");
            assertThat(x.what()).contains("tools[0] is written differently in case plain (line 7) and case extra "
                    + "(line 13)");
        });
    }

    @Test
    void a_top_level_cache_control_counts_toward_the_four_and_is_placed_where_written() throws Exception {
        List<LintWarning> w = lint(HEAD + """
                defaults:
                  params: {cache_control: {type: ephemeral}}
                cases:
                  - id: busy
                    messages:
                      - role: user
                        content:
                          - {type: text, text: "one", cache_control: {type: ephemeral}}
                          - {type: text, text: "two", cache_control: {type: ephemeral}}
                          - {type: text, text: "three", cache_control: {type: ephemeral}}
                          - {type: text, text: "four", cache_control: {type: ephemeral}}
                          - {type: text, text: "five"}
                """, NONE);
        assertThat(w).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(LintWarning.Kind.TOO_MANY_BREAKPOINTS);
            assertThat(x.field()).isEqualTo("defaults.params.cache_control");
            assertThat(x.location().line()).isEqualTo(5);
        });
    }

    @Test
    void ttl_1h_before_5m_is_fine_and_a_top_level_1h_after_an_explicit_5m_is_not() throws Exception {
        assertThat(lint(HEAD + """
                cases:
                  - id: ok
                    system: [{type: text, text: "rules", cache_control: {type: ephemeral, ttl: 1h}}]
                    messages: [{role: user, content: [{type: text, text: "q", cache_control: {type: ephemeral}}]}]
                """, NONE)).isEmpty();
        assertThat(lint(HEAD + """
                cases:
                  - id: bad
                    system: [{type: text, text: "rules", cache_control: {type: ephemeral}}]
                    prompt: "q"
                    params: {cache_control: {type: ephemeral, ttl: 1h}}
                """, NONE)).singleElement().satisfies(x -> {
                    assertThat(x.kind()).isEqualTo(LintWarning.Kind.TTL_ORDER);
                    assertThat(x.field()).isEqualTo("cases[0].params.cache_control");
                });
    }

    @Test
    void the_minimum_is_per_model_and_a_prefix_holding_an_image_is_never_estimated() throws Exception {
        String suite = """
                name: mins
                models:
                  - {id: sonnet, model: claude-sonnet-4-6}
                  - {id: haiku, model: claude-haiku-4-5}
                cases:
                  - id: text
                    system: [{type: text, text: "%s", cache_control: {type: ephemeral}}]
                    prompt: "q"
                  - id: picture
                    messages:
                      - role: user
                        content:
                          - {type: image, source: {type: base64, media_type: image/png, data: "iVBORw0KGgo="}}
                          - {type: text, text: "What is it?", cache_control: {type: ephemeral}}
                """.formatted("word ".repeat(300).strip());
        List<LintWarning> w = lint(suite, m -> m.model().contains("haiku") ? 4096 : 1024);
        // 300 four-letter words over-count to 300 tokens: below both minimums; the image prefix is skipped
        assertThat(w).extracting(LintWarning::what).containsExactly(
                "the prefix through this breakpoint is at most about 300 tokens (an over-count), below "
                        + "claude-sonnet-4-6's minimum of 1024, so it is silently not cached (both cache counters stay 0)",
                "the prefix through this breakpoint is at most about 300 tokens (an over-count), below "
                        + "claude-haiku-4-5's minimum of 4096, so it is silently not cached (both cache counters stay 0)");
        assertThat(lint(suite, m -> 300)).isEmpty();
    }

    @Test
    void one_mistake_written_once_is_one_warning_for_all_its_cases_with_the_largest_estimate() throws Exception {
        List<LintWarning> w = lint(HEAD + """
                cases:
                  - id: row
                    cases_from: rows.csv
                    messages:
                      - role: user
                        content:
                          - {type: text, text: "{{q}}"}
                          - {type: text, text: "Answer briefly.", cache_control: {type: ephemeral}}
                          - {type: text, text: "Thanks."}
                """.replace("rows.csv", csv("q\nshort\na somewhat longer question\nmid one\n")), m -> 1024);
        LintWarning low = only(w, LintWarning.Kind.BELOW_MINIMUM);
        assertThat(low.cases()).containsExactly("row-1", "row-2", "row-3");
        assertThat(low.what()).startsWith("the prefix through this breakpoint is at most about 12 tokens"); // 7 + 5 tokens: the longest row
        assertThat(only(w, LintWarning.Kind.PREFIX_VARIES).cases()).containsExactly("row-1", "row-2", "row-3");
    }

    @Test
    void repeats_and_openai_chat_models_add_nothing() throws Exception {
        assertThat(lint("""
                name: quiet
                models:
                  - {id: gw, model: some-model, provider: openai-chat, base_url: "http://127.0.0.1:1"}
                cases:
                  - id: a
                    system: [{type: text, text: "x", cache_control: {type: ephemeral}}]
                    prompt: "q"
                run: {repeat: 3}
                """, m -> 1024)).isEmpty();
    }

    @Test
    void variants_are_separate_cache_scopes_but_cases_within_one_are_compared() throws Exception {
        String suite = """
                name: variants
                models: [{id: s, model: claude-sonnet-4-6}]
                defaults:
                  system: "%s"
                cases:
                  - {id: a, prompt: "{{q}}", vars: {q: first question}}
                %s
                variants:
                  - {id: none, cache: none}
                  - {id: sys, cache: [{at: system}]}
                  - {id: last, cache: [{at: last_user}]}
                sequence: {requests: 2, inter_arrival_s: 60}
                """;
        String longSystem = "Rules of the shop. ".repeat(60);
        // one case: the variants differ from each other (that is their point), and nothing else varies
        assertThat(lint(suite.formatted(longSystem, ""), m -> 100)).isEmpty();
        // a second case whose system differs: within variant 'sys' the breakpoint's prefix varies
        List<LintWarning> w = lint(suite.formatted(longSystem,
                "  - {id: b, prompt: \"{{q}}\", vars: {q: second}, system: \"Other rules. %s\"}"
                        .formatted("x ".repeat(300))), m -> 100);
        assertThat(w).extracting(LintWarning::kind).containsExactly(LintWarning.Kind.PREFIX_VARIES);
        assertThat(w.get(0).cases()).containsExactly("a", "b");
        assertThat(w.get(0).toString()).as("named at the variant's placement that made it")
                .contains("suite.yaml:10:").contains("variants[1].cache[0]");
    }

    @Test
    void the_variables_a_warning_names_include_mustache_sections() {
        assertThat(Sources.variables(com.fasterxml.jackson.databind.node.TextNode.valueOf(
                "On {{date}}: {{#items}}{{name}}, {{/items}}{{^vip}}standard{{/vip}} {{&raw}} \\{{literal}}")))
                .containsExactly("date", "items", "name", "vip", "raw");
    }

    @Test
    void a_breakpoint_a_dataset_row_brings_in_whole_is_linted_and_a_suite_with_none_has_nothing_to_say() throws Exception {
        Files.writeString(dir.resolve("rows.jsonl"), "{\"q\": \"one\", \"sys\": [{\"type\": \"text\", \"text\": \"Be brief.\","
                + " \"cache_control\": {\"type\": \"ephemeral\"}}]}\n");
        String yaml = """
                name: rows
                models: [{id: s, model: claude-sonnet-4-6}]
                cases:
                  - id: c
                    cases_from: rows.jsonl
                    prompt: "{{q}}"
                    params: {system: "{{sys}}"}
                """;
        assertThat(lint(yaml, m -> 4096)).extracting(LintWarning::kind).containsExactly(LintWarning.Kind.BELOW_MINIMUM);
        Files.writeString(dir.resolve("rows.jsonl"), "{\"q\": \"one\", \"sys\": [{\"type\": \"text\", \"text\": \"Be brief.\"}]}\n");
        assertThat(lint(yaml, m -> 4096)).isEmpty();
    }

    private String csv(String text) throws Exception {
        Path f = dir.resolve("rows.csv");
        Files.writeString(f, text);
        return f.getFileName().toString();
    }
}
