package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tool_loop.results: one result per tool, or answers chosen by the call's input. */
class ToolResultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private Path write(String results) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\ncases:\n  - id: c\n    prompt: hi\n"
                + "    tool_loop:\n      results:\n" + results);
        return f;
    }

    private ToolLoopSpec loop(String results) throws Exception {
        return SuiteLoader.load(write(results)).cases().get(0).toolLoop();
    }

    private static JsonNode input(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void the_first_answer_whose_when_is_a_subset_of_the_input_wins_then_the_fallback_then_default() throws Exception {
        ToolLoopSpec loop = loop("""
                        get_weather:
                          - {result: "no data"}
                          - {when: {city: Paris}, result: "15°C"}
                          - {when: {city: Paris, unit: F}, result: "59°F"}
                          - {when: {place: {country: "NO"}}, result: {temp_c: -3}}
                          - {when: {days: 3}, result: "three days"}
                        search: "AF123"
                        default: "n/a"
                """);
        assertThat(loop.resultFor("get_weather", input("{\"city\":\"Paris\",\"unit\":\"F\"}"))).isEqualTo("15°C");
        assertThat(loop.resultFor("get_weather", input("{\"place\":{\"country\":\"NO\",\"town\":\"Oslo\"}}")))
                .isEqualTo("{\"temp_c\":-3}");
        assertThat(loop.resultFor("get_weather", input("{\"days\":3.0}"))).isEqualTo("three days");
        assertThat(loop.resultFor("get_weather", input("{\"city\":\"paris\"}"))).isEqualTo("no data");
        assertThat(loop.resultFor("search", input("{}"))).isEqualTo("AF123");
        assertThat(loop.resultFor("book", input("{}"))).isEqualTo("n/a");
    }

    @Test
    void without_a_fallback_or_default_an_unmatched_call_has_no_result() throws Exception {
        ToolLoopSpec loop = loop("""
                        get_weather:
                          - {when: {city: Paris}, result: "15°C"}
                """);
        assertThat(loop.resultFor("get_weather", input("{\"city\":\"Lima\"}"))).isNull();
        assertThat(loop.resultFor("other", input("{}"))).isNull();
    }

    @Test
    void a_json_array_result_is_written_as_an_answer() throws Exception {
        assertThat(loop("        list_files:\n          - result: [a.txt, b.txt]\n").resultFor("list_files", input("{}")))
                .isEqualTo("[\"a.txt\",\"b.txt\"]");
    }

    @Test
    void bad_answers_are_load_errors_at_their_place() throws Exception {
        Path typo = write("        w:\n          - {when: {city: Paris}, reslt: x}\n");
        assertThatThrownBy(() -> SuiteLoader.load(typo)).hasMessage(typo + ":9:42: cases[0].tool_loop.results.w[0].reslt: "
                + "unknown key (did you mean 'result'?)");
        Path noResult = write("        w:\n          - {when: {city: Paris}}\n");
        assertThatThrownBy(() -> SuiteLoader.load(noResult)).hasMessage(noResult + ":9:13: cases[0].tool_loop.results.w[0]: "
                + "missing required field 'result'");
        Path twoFallbacks = write("        w:\n          - {result: a}\n          - {result: b}\n");
        assertThatThrownBy(() -> SuiteLoader.load(twoFallbacks)).hasMessage(twoFallbacks + ":10:13: "
                + "cases[0].tool_loop.results.w[1]: a second answer without 'when': a tool has at most one fallback");
        Path scalarWhen = write("        w:\n          - {when: Paris, result: a}\n");
        assertThatThrownBy(() -> SuiteLoader.load(scalarWhen)).hasMessageContaining(":9:20: cases[0].tool_loop.results.w[0]"
                + ".when: is a mapping of input fields to match");
        Path notAMapping = write("        w:\n          - just text\n");
        assertThatThrownBy(() -> SuiteLoader.load(notAMapping)).hasMessageContaining(":9:13: cases[0].tool_loop.results"
                + ".w[0]: an answer is a mapping");
        Path empty = write("        w: []\n");
        assertThatThrownBy(() -> SuiteLoader.load(empty)).hasMessageContaining(":8:12: cases[0].tool_loop.results.w: "
                + "an empty list");
    }

    private Path withTools(String caseLines) throws Exception {
        Path f = dir.resolve("tools.yaml");
        Files.writeString(f, """
                name: t
                models:
                  - {id: m, model: claude-sonnet-4-6, params: {tools: [{name: search, input_schema: {type: object}}]}}
                defaults:
                  params: {tools: [{name: book_hotel, input_schema: {type: object}}]}
                cases:
                  - id: c
                    prompt: hi
                    params: {tools: [{name: get_weather, input_schema: {type: object}}]}
                """ + caseLines);
        return f;
    }

    @Test
    void a_result_key_naming_no_declared_tool_is_a_load_error_with_a_suggestion() throws Exception {
        Path typo = withTools("    tool_loop: {results: {get_wether: sunny}}\n");
        assertThatThrownBy(() -> SuiteLoader.load(typo)).isInstanceOf(SuiteException.class).hasMessage(typo
                + ":10:39: cases[0].tool_loop.results.get_wether: no tool 'get_wether' is declared in params.tools"
                + " (did you mean 'get_weather'?)");
        Path unrelated = withTools("    tool_loop: {results: {translate: x}}\n");
        assertThatThrownBy(() -> SuiteLoader.load(unrelated)).hasMessageContaining(
                "results.translate: no tool 'translate' is declared in params.tools (tools: get_weather, book_hotel, search;"
                        + " 'default' answers any)");
        ToolLoopSpec ok = SuiteLoader.load(withTools(
                "    tool_loop: {results: {get_weather: a, search: b, book_hotel: c, default: d}}\n")).cases().get(0).toolLoop();
        assertThat(ok.resultFor("search", input("{}"))).isEqualTo("b");
        assertThat(ok.resultFor("book_hotel", input("{}"))).isEqualTo("c");
    }

    @Test
    void when_values_and_results_are_templates_over_the_rows_vars() throws Exception {
        Files.writeString(dir.resolve("cities.jsonl"), "{\"id\": \"p\", \"city\": \"Paris\", \"temp\": 15, \"days\": 3}\n");
        Path f = dir.resolve("rows.yaml");
        Files.writeString(f, """
                name: t
                models: [{id: m, model: claude-sonnet-4-6}]
                cases:
                  - id: w
                    cases_from: cities.jsonl
                    prompt: "Weather in {{city}}?"
                    tool_loop:
                      results:
                        get_weather:
                          - {when: {city: "{{city}}", days: "{{days}}"}, result: "{{city}}: {{temp}}°C"}
                          - {result: {temp_c: "{{temp}}"}}
                """);
        ToolLoopSpec loop = SuiteLoader.load(f).cases().get(0).toolLoop();
        assertThat(loop.resultFor("get_weather", input("{\"city\":\"Paris\",\"days\":3}"))).isEqualTo("Paris: 15°C");
        assertThat(loop.resultFor("get_weather", input("{\"city\":\"Lima\"}"))).isEqualTo("{\"temp_c\":15}");
    }
}
