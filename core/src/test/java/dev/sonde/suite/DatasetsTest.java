package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    private Path suite(String from) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: data
                models: [{id: m, model: claude-sonnet-4-6}]
                defaults: {vars: {tone: brief}}
                cases:
                  - id: capital
                    cases_from: %s
                    prompt: "Be {{tone}}. What is the capital of {{country}}?"
                    assert: [{type: contains, value: "{{capital}}"}]
                  - id: plain
                    prompt: "hello"
                """.formatted(from));
        return f;
    }

    @Test
    void each_csv_row_is_a_case_with_its_columns_as_vars() throws Exception {
        Files.writeString(dir.resolve("capitals.csv"), "country,capital\nFrance,Paris\n\"Korea, South\",Seoul\n");
        Suite s = SuiteLoader.load(suite("capitals.csv"));

        assertThat(s.cases()).extracting(CaseSpec::id).containsExactly("capital-1", "capital-2", "plain");
        assertThat(s.cases().get(1).messages().get(0).get("content").asText())
                .isEqualTo("Be brief. What is the capital of Korea, South?");
        assertThat(s.cases().get(1).asserts().get(0).config().get("value").asText()).isEqualTo("Seoul");
    }

    @Test
    void jsonl_rows_with_an_id_column_name_their_cases() throws Exception {
        Files.writeString(dir.resolve("rows.jsonl"), "{\"id\": \"fr\", \"country\": \"France\", \"capital\": \"Paris\"}\n\n"
                + "{\"id\": \"jp\", \"country\": \"Japan\", \"capital\": \"Tokyo\", \"population\": 125}\n");
        Suite s = SuiteLoader.load(suite("rows.jsonl"));
        assertThat(s.cases()).extracting(CaseSpec::id).containsExactly("capital-fr", "capital-jp", "plain");
    }

    @Test
    void a_rows_id_read_without_binding_it_is_the_id_its_case_binds_to_whatever_the_id_holds() throws Exception {
        Files.writeString(dir.resolve("ids.jsonl"), String.join("\n",
                "{\"nested\": {\"id\": \"inner\", \"list\": [1, {\"id\": 2}]}, \"id\": \"after-nested\", \"country\": \"A\", \"capital\": \"a\"}",
                "{\"id\": 7, \"country\": \"B\", \"capital\": \"b\"}",
                "{\"id\": 7.5, \"country\": \"C\", \"capital\": \"c\"}",
                "{\"country\": \"D\", \"capital\": \"d\"}",
                "{\"id\": null, \"country\": \"E\", \"capital\": \"e\"}",
                "{\"id\": \"x.y_z-1\", \"country\": \"G\", \"capital\": \"g\"}",
                "{\"country\": \"H\", \"id\": true, \"capital\": \"h\"}"));
        Suite s = SuiteLoader.load(suite("ids.jsonl"));
        int n = s.cases().size();
        String[] unbound = new String[n];
        for (int i = 0; i < n; i++) {
            unbound[i] = s.caseId(i); // before any case is bound on this thread
        }
        for (int i = 0; i < n; i++) {
            assertThat(unbound[i]).as("case %d", i).isEqualTo(s.cases().get(i).id());
        }
        assertThat(unbound).startsWith("capital-after-nested", "capital-7", "capital-7.5", "capital-4");
    }

    @Test
    void a_missing_file_a_missing_column_and_a_bad_row_are_load_errors_at_cases_from() throws Exception {
        Path f = suite("nope.csv");
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessageContaining(":6:17: cases[0].cases_from: no such dataset file");
        Files.writeString(dir.resolve("partial.csv"), "country\nFrance\n");
        assertThatThrownBy(() -> SuiteLoader.load(suite("partial.csv")))
                .hasMessageEndingWith(":8:38: cases[0].assert[0].value: unknown variable 'capital' in row 1 of partial.csv"
                        + " (vars: tone, country)");
        Files.writeString(dir.resolve("bad.jsonl"), "{\"country\": \"France\", \"capital\": \"Paris\"}\n[1, 2]\n");
        assertThatThrownBy(() -> SuiteLoader.load(suite("bad.jsonl"))).hasMessageContaining("bad.jsonl:2: a row is one JSON object");
        // rows are read and bound one at a time (a large file is never held whole): the first problem in file order is the one named
        Files.writeString(dir.resolve("bad.jsonl"), "{\"country\": \"France\"}\n[1, 2]\n");
        assertThatThrownBy(() -> SuiteLoader.load(suite("bad.jsonl"))).hasMessageContaining("unknown variable 'capital' in row 1 of bad.jsonl");
    }

    @Test
    void a_csv_row_with_an_extra_cell_is_one_line_naming_the_dataset_line() throws Exception {
        Path data = dir.resolve("extra.csv");
        Files.writeString(data, "country,capital\nFrance,Paris\nJapan,Tokyo,extra\n");
        Path f = suite("extra.csv");
        assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                .hasMessageStartingWith(f + ":6:17: cases[0].cases_from: " + data + ":3: Too many entries")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void a_jsonl_line_that_is_not_json_names_its_line() throws Exception {
        Path data = dir.resolve("broken.jsonl");
        Files.writeString(data, "{\"country\": \"France\", \"capital\": \"Paris\"}\n\n{\"country\": \"Japan\",}\n");
        Path f = suite("broken.jsonl");
        assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class)
                .hasMessageStartingWith(f + ":6:17: cases[0].cases_from: " + data + ":3: not a JSON object: Unexpected character")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void a_missing_var_names_the_row_its_id_and_the_exact_field() throws Exception {
        Files.writeString(dir.resolve("capitals.csv"), "id,country\na,France\nb,\n");
        Path f = dir.resolve("t6.yaml");
        Files.writeString(f, """
                name: data
                models: [{id: m, model: claude-sonnet-4-6}]
                cases:
                  - id: cap
                    cases_from: capitals.csv
                    messages:
                      - {role: user, content: "Hi"}
                      - {role: assistant, content: "{{#country}}Ask about {{country}}{{/country}}{{^country}}{{land}}{{/country}}"}
                """);
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessage(f + ":8:36: cases[0].messages[1].content: unknown variable"
                + " 'land' in row 2 of capitals.csv (id b) (vars: id, country)");
    }
}
