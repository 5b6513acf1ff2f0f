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
    void a_missing_file_a_missing_column_and_a_bad_row_are_load_errors_at_cases_from() throws Exception {
        Path f = suite("nope.csv");
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessageContaining(":6:17: cases[0].cases_from: no such dataset file");
        Files.writeString(dir.resolve("partial.csv"), "country\nFrance\n");
        assertThatThrownBy(() -> SuiteLoader.load(suite("partial.csv")))
                .hasMessageContaining("unknown variable 'capital'");
        Files.writeString(dir.resolve("bad.jsonl"), "{\"country\": \"France\"}\n[1, 2]\n");
        assertThatThrownBy(() -> SuiteLoader.load(suite("bad.jsonl"))).hasMessageContaining("bad.jsonl:2: a row is one JSON object");
    }
}
