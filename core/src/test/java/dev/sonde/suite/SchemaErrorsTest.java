package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a suite's shape errors teach: an example of the shape wanted, from the schema's {@code examples}. */
class SchemaErrorsTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void a_model_written_as_a_bare_id_shows_the_mapping_a_model_is() throws Exception {
        Path f = write("name: t\nmodels: [claude-sonnet-4-6]\ncases: [{id: a, prompt: hi}]\n");
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessage(f + ":2:10: models[0]: expected object, got string "
                + "'claude-sonnet-4-6' (for example models: [{id: sonnet, model: claude-sonnet-4-6}])");
    }

    @Test
    void a_list_written_as_a_scalar_shows_the_list() throws Exception {
        Path f = write("name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\ncases: hello\n");
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessage(f + ":3:8: cases: expected array, got string 'hello' "
                + "(for example cases: [{id: capital, prompt: \"What is the capital of France?\", "
                + "assert: [{type: contains, value: Paris}]}])");
    }

    @Test
    void one_assertion_written_without_its_list_shows_the_list() throws Exception {
        Path f = write("""
                name: t
                models: [{id: m, model: claude-sonnet-4-6}]
                cases:
                  - id: a
                    prompt: hi
                    assert: {type: contains, value: Paris}
                """);
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessage(f + ":6:13: cases[0].assert: expected array, got "
                + "object {\"type\":\"contains\",\"value\":\"Paris\"} (for example assert: [{type: contains, value: Paris}])");
    }

    @Test
    void vars_run_and_params_of_the_wrong_shape_show_theirs() throws Exception {
        Path vars = write("name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\n"
                + "cases: [{id: a, prompt: hi, vars: [France]}]\n");
        assertThatThrownBy(() -> SuiteLoader.load(vars)).hasMessageEndingWith(
                "cases[0].vars: expected object, got array [\"France\"] (for example vars: {country: France})");
        Path run = write("name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\ncases: [{id: a, prompt: hi}]\nrun: 4\n");
        assertThatThrownBy(() -> SuiteLoader.load(run)).hasMessage(run + ":4:6: run: expected object, got number 4 "
                + "(for example run: {concurrency: 4, repeat: 3})");
        Path params = write("name: t\nmodels: [{id: m, model: claude-sonnet-4-6, params: 256}]\n"
                + "cases: [{id: a, prompt: hi}]\n");
        assertThatThrownBy(() -> SuiteLoader.load(params)).hasMessageEndingWith(
                "models[0].params: expected object, got number 256 (for example params: {max_tokens: 256, temperature: 0})");
    }

    @Test
    void a_system_prompt_of_neither_accepted_shape_shows_one() throws Exception {
        Path f = write("name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\n"
                + "cases: [{id: a, prompt: hi, system: 5}]\n");
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessage(f + ":3:37: cases[0].system: expected string, got number 5 "
                + "(for example system: \"You are terse.\")");
    }

    @Test
    void a_scalar_with_no_example_keeps_the_plain_message() throws Exception {
        Path f = write("name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\ncases: [{id: a, prompt: hi}]\n"
                + "run: {concurrency: eight}\n");
        assertThatThrownBy(() -> SuiteLoader.load(f))
                .hasMessage(f + ":4:20: run.concurrency: expected integer, got string 'eight'");
    }

    @Test
    void a_snake_case_assertion_type_is_left_to_the_check_registry() throws Exception {
        Path f = write("name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\n"
                + "cases: [{id: a, prompt: hi, assert: [{type: is_json}]}]\n");
        assertThat(SuiteLoader.load(f).cases().get(0).asserts().get(0).type()).isEqualTo("is_json");
    }

    @Test
    void examples_are_written_as_flow_yaml_that_reads_back_as_written() {
        var node = Templates.PLAIN.createObjectNode();
        node.put("id", "sonnet").put("prompt", "What is it?").put("flag", "true").put("n", 3);
        node.putArray("rules").add("../fixtures/x.yaml");
        assertThat(SchemaErrors.flow(node))
                .isEqualTo("{id: sonnet, prompt: \"What is it?\", flag: \"true\", n: 3, rules: [../fixtures/x.yaml]}");
    }

    /** Where each of the schema's {@code examples} goes in a suite (a {@code $defs} entry: one place that uses it). */
    private static final java.util.Map<String, String> SITES = java.util.Map.ofEntries(
            java.util.Map.entry("/properties/models", "/models"),
            java.util.Map.entry("/properties/endpoint", "/endpoint"),
            java.util.Map.entry("/properties/models/items/properties/provider", "/models/0/provider"),
            java.util.Map.entry("/properties/models/items/properties/region", "/models/0/region"),
            java.util.Map.entry("/properties/models/items/properties/endpoint", "/models/0/endpoint"),
            java.util.Map.entry("/properties/models/items/properties/api", "/models/0/api"),
            java.util.Map.entry("/properties/models/items/properties/project", "/models/0/project"),
            java.util.Map.entry("/properties/models/items/properties/workspace_id", "/models/0/workspace_id"),
            java.util.Map.entry("/properties/models/items/properties/resource", "/models/0/resource"),
            java.util.Map.entry("/properties/models/items/properties/base_model", "/models/0/base_model"),
            java.util.Map.entry("/properties/models/items/properties/base_url", "/models/0/base_url"),
            java.util.Map.entry("/properties/defaults", "/defaults"),
            java.util.Map.entry("/properties/cases", "/cases"),
            java.util.Map.entry("/properties/cases/items/properties/messages", "/cases/1/messages"),
            java.util.Map.entry("/properties/cases/items/properties/models", "/cases/0/models"),
            java.util.Map.entry("/properties/run", "/run"),
            java.util.Map.entry("/properties/run/properties/retry", "/run/retry"),
            java.util.Map.entry("/properties/baseline", "/baseline"),
            java.util.Map.entry("/properties/history", "/history"),
            java.util.Map.entry("/properties/emulator", "/emulator"),
            java.util.Map.entry("/properties/emulator/properties/rules", "/emulator/rules"),
            java.util.Map.entry("/properties/budget", "/budget"),
            java.util.Map.entry("/properties/grader", "/grader"),
            java.util.Map.entry("/properties/load", "/load"),
            java.util.Map.entry("/properties/load/properties/slo", "/load/slo"),
            java.util.Map.entry("/$defs/vars", "/cases/0/vars"),
            java.util.Map.entry("/$defs/headers", "/models/0/headers"),
            java.util.Map.entry("/$defs/params", "/models/0/params"),
            java.util.Map.entry("/$defs/params/properties/tools", "/models/0/params/tools"),
            java.util.Map.entry("/$defs/system", "/cases/0/system"),
            java.util.Map.entry("/$defs/asserts", "/cases/0/assert"),
            java.util.Map.entry("/$defs/rate_limits", "/rate_limits"));

    @Test
    void every_example_in_the_schema_is_valid_where_it_goes() throws Exception {
        com.fasterxml.jackson.databind.JsonNode schema;
        try (var in = SchemaErrors.class.getResourceAsStream("/dev/sonde/suite.schema.json")) {
            schema = Templates.PLAIN.readTree(in);
        }
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> examples = new java.util.TreeMap<>();
        collect(schema, "", examples);
        assertThat(examples.keySet()).containsExactlyInAnyOrderElementsOf(SITES.keySet());
        for (var e : examples.entrySet()) {
            for (com.fasterxml.jackson.databind.JsonNode example : e.getValue()) {
                var suite = (com.fasterxml.jackson.databind.node.ObjectNode) Templates.PLAIN.readTree("""
                        {"name": "t", "models": [{"id": "sonnet", "model": "claude-sonnet-4-6"}],
                         "cases": [{"id": "a", "prompt": "hi"}, {"id": "b", "prompt": "hi"}],
                         "run": {}, "emulator": {}, "load": {"mode": "closed"}}
                        """);
                String site = SITES.get(e.getKey());
                if (site.equals("/cases/1/messages")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) suite.at("/cases/1")).remove("prompt");
                }
                if (site.startsWith("/models/0/params/")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) suite.at("/models/0")).putObject("params");
                }
                int slash = site.lastIndexOf('/');
                ((com.fasterxml.jackson.databind.node.ObjectNode) suite.at(site.substring(0, slash)))
                        .set(site.substring(slash + 1), example);
                Path f = write(Templates.PLAIN.writeValueAsString(suite));
                String[] lines = Files.readString(f).split("\\R", -1);
                org.assertj.core.api.Assertions.assertThatCode(() -> SchemaErrors.validate(f, SuiteLoader.parse(f,
                        Files.readString(f)), lines)).as(e.getKey() + ": " + example).doesNotThrowAnyException();
            }
        }
    }

    private static void collect(com.fasterxml.jackson.databind.JsonNode node, String at,
            java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> out) {
        if (node.isObject()) {
            node.properties().forEach(p -> {
                if (p.getKey().equals("examples")) {
                    out.put(at, p.getValue());
                } else {
                    collect(p.getValue(), at + "/" + p.getKey(), out);
                }
            });
        }
    }
}
