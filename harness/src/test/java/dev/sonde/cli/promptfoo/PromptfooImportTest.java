package dev.sonde.cli.promptfoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sonde import promptfoo} makes of each promptfoo construct, read from the suite text it
 * writes (assertion types other branches register are checked here as text, not loaded).
 */
class PromptfooImportTest {
    private static final ObjectMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    private PromptfooImport.Result run(String config) throws Exception {
        Path file = dir.resolve("promptfooconfig.yaml");
        Files.writeString(file, config);
        return PromptfooImport.of(file, "t");
    }

    private static JsonNode suite(PromptfooImport.Result result) throws Exception {
        assertThat(result.yaml()).as(result.why()).isNotNull();
        return YAML.readTree(result.yaml());
    }

    private static List<String> unmapped(PromptfooImport.Result result) {
        return result.unmapped().stream().map(Unmapped::toString).toList();
    }

    @Test
    void assertions_map_type_by_type_to_sonde_names_and_parameters() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ["Q: {{q}}"]
                providers: [anthropic:messages:claude-sonnet-4-6, anthropic:messages:claude-haiku-4-5]
                tests:
                  - vars: {q: hi, query: what, context: facts}
                    assert:
                      - {type: levenshtein, value: hello, threshold: 3}
                      - {type: latency, threshold: 5000}
                      - {type: cost, threshold: 0.01}
                      - {type: not-is-xml, value: {requiredElements: [a.b]}}
                      - {type: contains-sql, value: {databaseType: PostgreSQL, allowedTables: ["select::null::users"]}}
                      - {type: rouge-n, value: the reference, threshold: 0.6}
                      - {type: bleu, value: [one, two]}
                      - {type: g-eval, value: coherent, threshold: 0.5, provider: anthropic:messages:claude-sonnet-4-6}
                      - {type: context-faithfulness, threshold: 0.8}
                      - {type: context-recall, value: the truth}
                      - {type: answer-relevance}
                      - {type: model-graded-factuality, value: Paris}
                      - {type: max-score, value: {method: sum, weights: {contains: 2}}}
                      - {type: word-count, value: {min: 3, max: 9}}
                      - {type: is-json, value: {type: object}, weight: 2}
                      - {type: assert-set, threshold: 0.5, assert: [{type: contains, value: a}, {type: icontains, value: b}]}
                """);
        JsonNode a = suite(r).at("/cases/0/assert");
        assertThat(unmapped(r)).isEmpty();
        assertThat(a.get(0).toString()).isEqualTo("{\"type\":\"levenshtein\",\"value\":\"hello\",\"max_distance\":3}");
        assertThat(a.get(1).toString()).isEqualTo("{\"type\":\"latency\",\"max_ms\":5000}");
        assertThat(a.get(2).toString()).isEqualTo("{\"type\":\"cost\",\"max_usd\":0.01}");
        assertThat(a.get(3).toString()).isEqualTo("{\"type\":\"not-is-xml\",\"required_elements\":[\"a.b\"]}");
        assertThat(a.get(4).toString()).isEqualTo("{\"type\":\"contains-sql\",\"dialect\":\"PostgreSQL\",\"allowed_tables\":[\"select::null::users\"]}");
        assertThat(a.get(5).toString()).isEqualTo("{\"type\":\"rouge-n\",\"value\":\"the reference\",\"threshold\":0.6}");
        assertThat(a.get(6).toString()).isEqualTo("{\"type\":\"bleu\",\"value\":[\"one\",\"two\"]}");
        assertThat(a.get(7).toString()).isEqualTo("{\"type\":\"g-eval\",\"value\":\"coherent\",\"threshold\":0.5,\"grader\":\"claude-sonnet-4-6\"}");
        assertThat(a.get(8).toString()).isEqualTo("{\"type\":\"context-faithfulness\",\"question\":\"{{query}}\",\"context\":\"{{context}}\",\"threshold\":0.8}");
        assertThat(a.get(9).toString()).isEqualTo("{\"type\":\"context-recall\",\"value\":\"the truth\",\"context\":\"{{context}}\"}");
        assertThat(a.get(10).toString()).isEqualTo("{\"type\":\"answer-relevance\",\"question\":\"{{query}}\"}"); // the query var, as promptfoo asks
        assertThat(a.get(11).toString()).isEqualTo("{\"type\":\"factuality\",\"value\":\"Paris\"}");
        assertThat(a.get(12).toString()).isEqualTo("{\"type\":\"max-score\",\"method\":\"sum\",\"weights\":{\"contains\":2}}");
        assertThat(a.get(13).toString()).isEqualTo("{\"type\":\"word-count\",\"min\":3,\"max\":9}");
        assertThat(a.get(14).toString()).isEqualTo("{\"type\":\"is-json\",\"schema\":{\"type\":\"object\"},\"weight\":2}");
        assertThat(a.get(15).toString()).isEqualTo("{\"type\":\"assert-set\",\"assert\":[{\"type\":\"contains\",\"value\":\"a\"},"
                + "{\"type\":\"icontains\",\"value\":\"b\"}],\"threshold\":0.5}");
    }

    @Test
    void a_similar_whose_reference_renders_empty_is_unmapped_so_the_suite_loads() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ["Tell me about {{topic}}"]
                providers: [anthropic:messages:claude-haiku-4-5]
                defaultTest:
                  assert:
                    - {type: similar, value: "{{reference}}", threshold: 0.6}
                    - {type: contains, value: a}
                tests:
                  - vars: {topic: tides}
                    assert:
                      - {type: not-similar, value: ["{{missing}}", "unrelated"]}
                      - {type: similar, value: "the moon pulls the sea"}
                """);

        JsonNode suite = suite(r);
        assertThat(suite.path("defaults").path("assert")).hasSize(1);
        assertThat(suite.path("defaults").path("assert").get(0).path("type").asText()).isEqualTo("contains");
        JsonNode asserts = suite.path("cases").get(0).path("assert");
        assertThat(asserts).hasSize(1);
        assertThat(asserts.get(0).path("value").asText()).isEqualTo("the moon pulls the sea");
        assertThat(unmapped(r)).anySatisfy(l -> assertThat(l).contains("defaultTest assertion similar")
                .contains("renders empty")).anySatisfy(l -> assertThat(l).contains("assertion not-similar of test #1")
                .contains("renders empty"));
    }

    @Test
    void code_transforms_and_json_equality_are_unmapped_at_their_lines_and_metrics_said_to_be_dropped() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: [Hi]
                providers: [anthropic:claude-haiku-4-5]
                tests:
                  - assert:
                      - type: javascript
                        value: output.length > 1
                      - type: contains
                        value: x
                        transform: output.trim()
                      - type: equals
                        value: {a: 1}
                      - type: not-latency
                        threshold: 5
                      - type: contains
                        value: y
                        metric: accuracy
                """);
        assertThat(suite(r).at("/cases/0/assert").toString()).isEqualTo("[{\"type\":\"contains\",\"value\":\"y\"}]");
        assertThat(unmapped(r)).containsExactly(
                dir.resolve("promptfooconfig.yaml") + ":5:9: assertion javascript — runs JavaScript; write a custom check (README, Custom checks)",
                dir.resolve("promptfooconfig.yaml") + ":7:9: assertion contains — its transform is JavaScript over the output, which Sonde does not run",
                dir.resolve("promptfooconfig.yaml") + ":10:9: assertion equals — promptfoo compares an object or list value as JSON; write is-json with a schema, or json-path",
                dir.resolve("promptfooconfig.yaml") + ":12:9: assertion not-latency — Sonde has no negation of latency",
                dir.resolve("promptfooconfig.yaml") + ":16:17: assertion contains metric: accuracy — dropped: Sonde reports each assertion by its type, with no named metrics");
        assertThat(r.summary()).isEqualTo("mapped 4 of 9 items; unmapped: 5"); // provider, prompt, test, one assertion
    }

    @Test
    void providers_map_to_models_and_an_api_key_is_never_written_nor_echoed() throws Exception {
        String key = "sk-ant-" + "api03-abcdefghijklmnopqrstuvwxyz";
        PromptfooImport.Result r = run("""
                prompts: [Hi]
                providers:
                  - id: anthropic:messages:claude-sonnet-4-6
                    label: Sonnet 4.6
                    config: {apiKey: %s, temperature: 0.2, stop: END, headers: {x-api-key: %s, x-trace: abc}}
                  - openai:chat:gpt-4o-mini:
                      config:
                        apiBaseUrl: https://gw.example.com/v1/
                        apiKeyEnvar: GW_API_KEY
                        tool_choice: required
                        tools: [{type: function, function: {name: f, parameters: {type: object}}}]
                  - openrouter:meta-llama/llama-3-8b
                  - bedrock:anthropic.claude-3-haiku
                """.formatted(key, key));
        JsonNode models = suite(r).get("models");
        assertThat(r.yaml()).doesNotContain(key);
        assertThat(String.join("\n", unmapped(r)) + r.notes()).doesNotContain(key);
        assertThat(models.get(0).toString()).isEqualTo("{\"id\":\"Sonnet-4.6\",\"model\":\"claude-sonnet-4-6\",\"provider\":\"anthropic\","
                + "\"headers\":{\"x-trace\":\"abc\"},\"params\":{\"temperature\":0.2,\"stop_sequences\":[\"END\"],\"max_tokens\":1024}}");
        assertThat(models.get(1).toString()).isEqualTo("{\"id\":\"gpt-4o-mini\",\"model\":\"gpt-4o-mini\",\"provider\":\"openai-chat\","
                + "\"base_url\":\"https://gw.example.com/v1\",\"api_key_env\":\"GW_API_KEY\",\"params\":{\"tool_choice\":{\"type\":\"any\"},"
                + "\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}]}}");
        assertThat(models.get(2).toString()).isEqualTo("{\"id\":\"meta-llama-llama-3-8b\",\"model\":\"meta-llama/llama-3-8b\","
                + "\"provider\":\"openai-chat\",\"base_url\":\"https://openrouter.ai/api\",\"api_key_env\":\"OPENROUTER_API_KEY\"}");
        assertThat(models).hasSize(3);
        assertThat(unmapped(r)).anySatisfy(u -> assertThat(u).contains(":5:22: provider anthropic:messages:claude-sonnet-4-6 config.apiKey — "
                + "a key is never written to a suite: set ANTHROPIC_API_KEY"));
        assertThat(unmapped(r)).anySatisfy(u -> assertThat(u).contains("header x-api-key — a credential is never written"));
        assertThat(unmapped(r)).anySatisfy(u -> assertThat(u).contains(":13:5: provider bedrock:anthropic.claude-3-haiku — "));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("max_tokens set to 1024"));
    }

    @Test
    void list_vars_make_one_case_per_combination_and_unset_vars_render_empty_as_in_nunjucks() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ["{{greeting}} {{name}}{{ suffix }}"]
                providers: [anthropic:claude-haiku-4-5]
                defaultTest: {vars: {greeting: Hello}}
                tests:
                  - description: names
                    vars: {name: [Ann, Bo], greeting: [Hi, Yo]}
                """);
        JsonNode cases = suite(r).get("cases");
        assertThat(cases).hasSize(4);
        assertThat(cases.findValuesAsText("id")).containsExactly("names-1", "names-2", "names-3", "names-4");
        assertThat(cases.get(0).get("vars").toString()).isEqualTo("{\"greeting\":\"Hi\",\"name\":\"Ann\",\"suffix\":\"\"}");
        assertThat(cases.get(3).get("vars").toString()).isEqualTo("{\"greeting\":\"Yo\",\"name\":\"Bo\",\"suffix\":\"\"}");
    }

    @Test
    void prompts_from_a_label_map_run_only_on_the_providers_that_name_them() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "Short: {{q}}");
        Files.writeString(dir.resolve("b.txt"), "Long: {{q}}");
        PromptfooImport.Result r = run("""
                prompts: {"file://a.txt": short, "file://b.txt": long}
                providers:
                  - {id: anthropic:claude-haiku-4-5, prompts: [short]}
                  - anthropic:claude-sonnet-4-6
                tests: [{vars: {q: why}}]
                """);
        JsonNode cases = suite(r).get("cases");
        assertThat(cases.findValuesAsText("id")).containsExactly("test-1-short", "test-1-long");
        assertThat(cases.get(0).has("models")).isFalse();
        assertThat(cases.get(1).get("models").toString()).isEqualTo("[\"claude-sonnet-4-6\"]");
    }

    @Test
    void a_graders_options_provider_becomes_the_suites_grader_or_is_unmapped() throws Exception {
        JsonNode s = suite(run("""
                prompts: [Hi]
                providers: [openai:gpt-4o, anthropic:claude-sonnet-4-6]
                defaultTest: {options: {provider: anthropic:messages:claude-haiku-4-5}}
                tests: [{assert: [{type: llm-rubric, value: polite}]}]
                """));
        assertThat(s.get("grader").toString()).isEqualTo("{\"model\":\"claude-haiku-4-5\"}");
        PromptfooImport.Result r = run("""
                prompts: [Hi]
                providers: [anthropic:claude-haiku-4-5]
                tests:
                  - options: {provider: vertex:gemini-pro}
                    assert: [{type: llm-rubric, value: polite}]
                """);
        assertThat(unmapped(r)).containsExactly(dir.resolve("promptfooconfig.yaml")
                + ":4:25: test options.provider — its grader vertex:gemini-pro is not an Anthropic model, nor a model the suite runs");
    }

    @Test
    void a_chat_prompt_gives_system_and_messages_and_a_filter_leaves_its_prompt_unmapped() throws Exception {
        Files.writeString(dir.resolve("chat.json"), """
                [{"role": "system", "content": "Be {{ tone }}."}, {"role": "user", "content": "{{ q }}"}]
                """);
        PromptfooImport.Result r = run("""
                prompts:
                  - file://chat.json
                  - "{{ q | upper }}"
                providers: [anthropic:claude-haiku-4-5]
                tests: [{vars: {q: hi, tone: dry}}]
                """);
        JsonNode c = suite(r).at("/cases/0");
        assertThat(c.get("system").asText()).isEqualTo("Be {{tone}}.");
        assertThat(c.get("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"{{q}}\"}]");
        assertThat(suite(r).get("cases")).hasSize(1);
        assertThat(unmapped(r)).containsExactly(dir.resolve("promptfooconfig.yaml")
                + ":3:5: prompt '{{ q | upper }}' — {{ q | upper }} is a Nunjucks filter; Sonde's Mustache has no filters");
    }

    @Test
    void a_prompts_config_becomes_its_cases_params_and_raw_may_name_a_file() throws Exception {
        Files.writeString(dir.resolve("p.txt"), "Rate: {{review}}");
        PromptfooImport.Result r = run("""
                prompts:
                  - raw: file://p.txt
                    label: rate
                    config:
                      temperature: 0
                      response_format: {type: json_object}
                      logprobs: true
                providers: [openai:gpt-4o-mini]
                tests: [{vars: {review: great}}]
                """);
        JsonNode c = suite(r).at("/cases/0");
        assertThat(c.get("prompt").asText()).isEqualTo("Rate: {{review}}");
        assertThat(c.get("params").toString()).isEqualTo("{\"temperature\":0,\"response_format\":{\"type\":\"json_object\"}}");
        assertThat(unmapped(r)).containsExactly(dir.resolve("promptfooconfig.yaml")
                + ":7:17: prompt config.logprobs — not a request field Sonde maps");
    }

    @Test
    void words_yaml_would_read_as_booleans_or_numbers_stay_text_and_evaluate_options_become_run() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ["{{a}} {{b}} {{c}} {{d}}"]
                providers: [anthropic:claude-haiku-4-5]
                evaluateOptions: {maxConcurrency: 4, repeat: 2, delay: 100}
                tests: [{vars: {a: "yes", b: "on", c: "007", d: "null"}, assert: [{type: equals, value: "1.0"}]}]
                """);
        JsonNode s = suite(r);
        assertThat(s.at("/cases/0/vars").toString()).isEqualTo("{\"a\":\"yes\",\"b\":\"on\",\"c\":\"007\",\"d\":\"null\"}");
        assertThat(s.at("/cases/0/assert/0/value").isTextual()).isTrue();
        assertThat(s.get("run").toString()).isEqualTo("{\"concurrency\":4,\"repeat\":2}");
        assertThat(unmapped(r)).containsExactly(dir.resolve("promptfooconfig.yaml")
                + ":3:56: evaluateOptions.delay — no Sonde equivalent");
    }

    @Test
    void rag_checks_fall_back_to_the_prompt_as_promptfoo_does() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ["Answer {{query}} from: {{docs}}"]
                providers: [anthropic:claude-haiku-4-5]
                tests:
                  - vars: {query: why, docs: notes}
                    assert: [{type: answer-relevance}, {type: context-recall, value: truth}]
                  - vars: {docs: notes}
                    assert: [{type: answer-relevance}]
                """);
        JsonNode s = suite(r);
        assertThat(s.at("/cases/0/assert/0").toString()).isEqualTo("{\"type\":\"answer-relevance\",\"question\":\"{{query}}\"}");
        assertThat(s.at("/cases/0/assert/1").toString())
                .isEqualTo("{\"type\":\"context-recall\",\"value\":\"truth\",\"context\":\"Answer {{query}} from: {{docs}}\"}");
        assertThat(s.at("/cases/1/assert/0").toString()).isEqualTo("{\"type\":\"answer-relevance\"}");
    }

    @Test
    void providers_tests_and_vars_come_from_files_jsonl_and_globs() throws Exception {
        Files.writeString(dir.resolve("providers.yaml"), "- id: anthropic:claude-haiku-4-5\n  label: haiku\n");
        Files.writeString(dir.resolve("tests.jsonl"), "{\"vars\": {\"topic\": \"tides\"}}\n\n{\"description\": \"moon\", \"vars\": {\"topic\": \"moon\"}}\n");
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/a.txt"), "alpha");
        Files.writeString(dir.resolve("docs/b.txt"), "beta");
        Files.createDirectories(dir.resolve("vars"));
        Files.writeString(dir.resolve("vars/1.yaml"), "topic: seas\ndoc: one\n");
        Files.writeString(dir.resolve("vars/2.yaml"), "doc: two\n");
        PromptfooImport.Result r = run("""
                prompts: ["{{topic}} {{doc}}"]
                providers: file://providers.yaml
                tests:
                  - file://tests.jsonl
                  - {description: docs, vars: {topic: x, doc: "file://docs/*.txt"}}
                  - {description: merged, vars: ["vars/*.yaml"]}
                """);
        JsonNode cases = suite(r).get("cases");
        assertThat(unmapped(r)).isEmpty();
        assertThat(suite(r).at("/models/0/id").asText()).isEqualTo("haiku");
        assertThat(cases.findValuesAsText("id")).containsExactly("test-1", "moon", "docs-1", "docs-2", "merged");
        assertThat(cases.get(4).get("vars").toString()).isEqualTo("{\"topic\":\"seas\",\"doc\":\"two\"}");
        assertThat(cases.get(2).get("vars").toString()).isEqualTo("{\"topic\":\"x\",\"doc\":\"alpha\"}");
        assertThat(cases.get(3).get("vars").toString()).isEqualTo("{\"topic\":\"x\",\"doc\":\"beta\"}");
    }

    @Test
    void a_cartesian_product_past_the_case_cap_is_cut_there_and_said() throws Exception {
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            values.append(i == 0 ? "" : ", ").append('v').append(i);
        }
        values.append(']');
        PromptfooImport.Result r = run("""
                prompts: ["{{a}}{{b}}{{c}}"]
                providers: [anthropic:claude-haiku-4-5]
                tests:
                  - vars: {a: %s, b: %s, c: %s}
                """.formatted(values, values, values));
        JsonNode cases = suite(r).get("cases");
        assertThat(cases).hasSize(PromptfooImport.MAX_CASES);
        cases.forEach(c -> assertThat(c.get("vars").size()).as(c.get("id").asText() + " holds every var").isEqualTo(3));
        assertThat(cases.get(PromptfooImport.MAX_CASES - 1).get("vars").toString())
                .as("the last var varies fastest, as promptfoo's generateVarCombinations")
                .isEqualTo("{\"a\":\"v11\",\"b\":\"v3\",\"c\":\"v9\"}");
        assertThat(unmapped(r)).containsExactly(dir.resolve("promptfooconfig.yaml")
                + ":4:5: cases past 10000 — an import writes at most 10000 cases; this test has 27000 combinations of its "
                + "vars, and 10000 of them are written");
    }

    @Test
    void a_file_over_the_cap_a_missing_file_and_a_url_are_each_one_unmapped_line() throws Exception {
        try (RandomAccessFile big = new RandomAccessFile(dir.resolve("big.csv").toFile(), "rw")) {
            big.setLength(Sources.MAX_FILE_BYTES + 1); // sparse: nothing is written, and nothing should be read
        }
        PromptfooImport.Result r = run("""
                prompts: [Hi]
                providers: [anthropic:claude-haiku-4-5]
                tests:
                  - file://big.csv
                  - file://gone.yaml
                  - https://docs.google.com/spreadsheets/d/x/edit
                  - {vars: {q: a}}
                """);
        List<String> lines = unmapped(r);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith(dir.resolve("promptfooconfig.yaml") + ":4:5: tests file://big.csv — ")
                .contains("at most " + Sources.MAX_FILE_BYTES + " are read");
        assertThat(lines.get(1)).startsWith(dir.resolve("promptfooconfig.yaml") + ":5:5: tests file://gone.yaml — no such file");
        assertThat(lines.get(2)).contains(":6:5: tests https://docs.google.com/spreadsheets/d/x/edit — a URL (Google Sheets, …) is never fetched");
        assertThat(suite(r).get("cases")).hasSize(1);
    }

    @Test
    void an_invalid_config_is_one_located_line() {
        assertThatThrownBy(() -> run("prompts: [Hi\nproviders: x\n")).isInstanceOf(PromptfooImport.BadConfig.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith(dir.resolve("promptfooconfig.yaml") + ":").doesNotContain("\n"));
        assertThatThrownBy(() -> run("- a\n- b\n")).isInstanceOf(PromptfooImport.BadConfig.class)
                .hasMessageContaining(":1:1: a promptfoo config is a mapping");
        assertThatThrownBy(() -> run("base: &b {x: 1}\nprompts: *b\n")).isInstanceOf(PromptfooImport.BadConfig.class)
                .hasMessageContaining(":2:10: YAML aliases (*b) are not supported");
        assertThatThrownBy(() -> PromptfooImport.of(dir.resolve("none.yaml"), "t")).isInstanceOf(PromptfooImport.BadConfig.class)
                .hasMessage(dir.resolve("none.yaml") + ":1:1: no such file " + dir.resolve("none.yaml"));
    }

    @Test
    void nothing_to_run_is_said_rather_than_a_suite_that_cannot_load() throws Exception {
        PromptfooImport.Result r = run("prompts: [Hi]\nproviders: [bedrock:x]\n");
        assertThat(r.yaml()).isNull();
        assertThat(r.why()).contains("no provider maps");
    }

    @Test
    void select_best_and_max_score_on_one_provider_are_unmapped_once_per_test_and_kept_on_two() throws Exception {
        PromptfooImport.Result one = run("""
                prompts: ["Write a haiku on {{topic}}", "Write a limerick on {{topic}}"]
                providers: [anthropic:claude-haiku-4-5]
                defaultTest:
                  assert: [{type: max-score}]
                tests:
                  - description: cats
                    vars: {topic: cats}
                    assert:
                      - {type: select-best, value: the funniest}
                      - {type: icontains, value: cat}
                """);
        JsonNode cases = suite(one).get("cases");
        assertThat(cases).hasSize(2);
        assertThat(cases.get(0).get("assert").toString()).isEqualTo("[{\"type\":\"icontains\",\"value\":\"cat\"}]");
        assertThat(cases.get(1).get("assert").toString()).isEqualTo("[{\"type\":\"icontains\",\"value\":\"cat\"}]");
        assertThat(suite(one).has("defaults")).isFalse();
        assertThat(unmapped(one)).containsExactly(
                dir.resolve("promptfooconfig.yaml") + ":4:3: defaultTest assertion max-score — the suite runs on 1 model: promptfoo "
                        + "compares the prompts there, Sonde compares a case's models (select-best and max-score need 2 or more)",
                dir.resolve("promptfooconfig.yaml") + ":6:5: assertion select-best in test 'cats' — it runs on 1 model: promptfoo "
                        + "compares the test's prompts there, Sonde compares a case's models (select-best and max-score need 2 or more)");
        assertThat(one.summary()).isEqualTo("mapped 6 of 8 items; unmapped: 2");

        PromptfooImport.Result two = run("""
                prompts: ["Write a haiku on {{topic}}"]
                providers: [anthropic:claude-haiku-4-5, openai:gpt-4.1-mini]
                tests:
                  - vars: {topic: cats}
                    assert: [{type: select-best, value: the funniest}, {type: max-score}]
                """);
        assertThat(unmapped(two)).isEmpty();
        assertThat(suite(two).at("/cases/0/assert").findValuesAsText("type")).containsExactly("select-best", "max-score");
    }

    @Test
    void similar_and_answer_relevance_are_written_and_a_copy_without_them_is_kept_for_a_build_with_no_embedder() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ["Q: {{q}}"]
                providers: [anthropic:claude-haiku-4-5]
                defaultTest:
                  assert: [{type: not-similar, value: nonsense}]
                tests:
                  - vars: {q: hi}
                    assert:
                      - {type: answer-relevance}
                      - {type: assert-set, assert: [{type: similar, value: hello}]}
                      - {type: contains, value: h}
                """);
        assertThat(r.embeddingTypes()).containsExactly("similar", "answer-relevance");
        assertThat(suite(r).at("/cases/0/assert").findValuesAsText("type")).containsExactly("answer-relevance", "assert-set",
                "similar", "contains");
        JsonNode without = YAML.readTree(r.yamlWithoutEmbeddings());
        assertThat(without.has("defaults")).isFalse();
        assertThat(without.at("/cases/0/assert").toString()).isEqualTo("[{\"type\":\"contains\",\"value\":\"h\"}]");

        PromptfooImport.Result none = run("prompts: [Hi]\nproviders: [anthropic:claude-haiku-4-5]\ntests: [{assert: [{type: contains, value: x}]}]\n");
        assertThat(none.embeddingTypes()).isEmpty();
        assertThat(none.yamlWithoutEmbeddings()).isNull();
    }

    @Test
    void an_openai_responses_provider_runs_through_chat_completions_with_the_settings_that_have_an_equivalent() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ["Weather in {{city}}?"]
                providers:
                  - id: openai:responses:gpt-4.1
                    config:
                      max_output_tokens: 300
                      reasoning: {effort: low, summary: auto}
                      text:
                        format: {type: json_schema, name: weather, strict: true, schema: {type: object}}
                      tool_choice: {type: function, name: get_weather}
                      tools:
                        - {type: function, name: get_weather, description: Weather now, parameters: {type: object}}
                        - {type: web_search_preview}
                      instructions: Be brief.
                      previous_response_id: resp_1
                      temperature: 0.2
                tests: [{vars: {city: Oslo}}]
                """);
        JsonNode model = suite(r).at("/models/0");
        assertThat(model.path("provider").asText()).isEqualTo("openai-chat");
        assertThat(model.path("model").asText()).isEqualTo("gpt-4.1");
        JsonNode params = model.get("params");
        assertThat(params.path("max_tokens").asInt()).isEqualTo(300);
        assertThat(params.path("reasoning_effort").asText()).isEqualTo("low");
        assertThat(params.get("response_format").toString()).isEqualTo(
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"weather\",\"strict\":true,\"schema\":{\"type\":\"object\"}}}");
        assertThat(params.get("tools").toString()).isEqualTo(
                "[{\"name\":\"get_weather\",\"description\":\"Weather now\",\"input_schema\":{\"type\":\"object\"}}]");
        assertThat(params.get("tool_choice").toString()).isEqualTo("{\"type\":\"tool\",\"name\":\"get_weather\"}");
        assertThat(params.path("temperature").asDouble()).isEqualTo(0.2);
        String at = dir.resolve("promptfooconfig.yaml") + ":";
        assertThat(unmapped(r)).containsExactly(
                at + "6:41: provider openai:responses:gpt-4.1 config.reasoning.summary — the Responses API's own (reasoning "
                        + "summaries and the like); chat completions has reasoning_effort only",
                at + "12:11: provider openai:responses:gpt-4.1 config.tools web_search_preview — a built-in tool of the Responses "
                        + "API (web_search, mcp, code_interpreter, file_search, …) has no chat-completions equivalent; function tools map",
                at + "13:21: provider openai:responses:gpt-4.1 config.instructions — the Responses API's instructions; write them "
                        + "as the prompt's system message",
                at + "14:29: provider openai:responses:gpt-4.1 config.previous_response_id — a Responses API setting that chat "
                        + "completions runs without");
        assertThat(r.notes()).containsExactly("openai:responses:gpt-4.1: " + Providers.RESPONSES_NOTE);
        assertThat(Providers.RESPONSES_NOTE).contains("run through chat completions").contains("previous_response_id");
    }

    @Test
    void a_list_of_mappings_stays_one_var_that_literal_subscripts_read_and_an_unset_var_with_fields_leaves_the_test_out() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ["First: {{ rows[0]['name'] }}, then {{ rows[1].name }}"]
                providers: [anthropic:claude-haiku-4-5]
                tests:
                  - vars: {rows: [{name: Ann}, {name: Bo}]}
                  - vars: {other: x}
                """);
        JsonNode cases = suite(r).get("cases");
        assertThat(cases).hasSize(1);
        assertThat(cases.get(0).get("prompt").asText()).isEqualTo("First: {{rows.0.name}}, then {{rows.1.name}}");
        assertThat(cases.get(0).get("vars").toString()).isEqualTo("{\"rows\":[{\"name\":\"Ann\"},{\"name\":\"Bo\"}]}");
        assertThat(unmapped(r)).containsExactly(dir.resolve("promptfooconfig.yaml") + ":5:5: test #2 on prompt 'First: {{ rows[0]['name'] }}, "
                + "then {{…' — the prompt reads fields of 'rows', which this test does not set");
    }

    @Test
    void the_agent_sdk_is_not_a_model_and_openai_reasoning_settings_pass_through_chat_completions() throws Exception {
        PromptfooImport.Result r = run("""
                prompts: ["Hi"]
                providers:
                  - anthropic:claude-agent-sdk
                  - id: openai:chat:gpt-5-mini
                    config: {reasoning_effort: minimal, verbosity: low}
                  - id: anthropic:messages:claude-haiku-4-5
                    config: {verbosity: low}
                """);
        JsonNode models = suite(r).get("models");
        assertThat(models.findValuesAsText("id")).containsExactly("gpt-5-mini", "claude-haiku-4-5");
        assertThat(models.get(0).get("params").toString()).isEqualTo("{\"reasoning_effort\":\"minimal\",\"verbosity\":\"low\"}");
        String at = dir.resolve("promptfooconfig.yaml") + ":";
        assertThat(unmapped(r)).containsExactly(
                at + "3:5: provider anthropic:claude-agent-sdk — runs the Claude Agent SDK (an agent loop with tools, files and MCP "
                        + "servers), not one Messages API call",
                at + "7:25: provider anthropic:messages:claude-haiku-4-5 config.verbosity — no Sonde equivalent");
    }
}
