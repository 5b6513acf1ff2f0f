package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.run.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvResultsTest {
    @TempDir
    Path dir;

    @Test
    void one_rfc4180_row_per_trial_with_header_and_absent_values_empty() throws Exception {
        RunResult run = ReportFixture.run(dir, false);
        Path file = CsvResults.write(run, run.outDir().resolve(CsvResults.FILE));
        String text = Files.readString(file, StandardCharsets.UTF_8);

        List<List<String>> rows = parse(text);
        assertThat(text).startsWith(String.join(",", CsvResults.COLUMNS) + "\r\n");
        assertThat(rows).hasSize(1 + ReportFixture.TRIALS);
        assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(CsvResults.COLUMNS.size()));
        List<String> errored = rows.stream().filter(r -> r.get(col("status")).equals("errored")).findFirst().orElseThrow();
        assertThat(errored.get(col("error_class"))).isEqualTo("rate_limited");
        assertThat(errored.get(col("http_status"))).isEqualTo("429");
        assertThat(errored.get(col("ttft_ms"))).isEmpty();
        List<String> local = rows.stream().filter(r -> r.get(col("model")).equals("local")
                && r.get(col("status")).equals("passed")).findFirst().orElseThrow();
        assertThat(local.get(col("cost_usd"))).as("unpriced is empty, never 0").isEmpty();
        assertThat(local.get(col("unpriced"))).isEqualTo("true");
        List<String> hostile = rows.stream().filter(r -> r.get(col("output")).contains("PWNED")).findFirst()
                .orElseThrow();
        assertThat(hostile.get(col("output"))).contains("Tom & \"Jerry\" 'x' | a|b\nsecond line\uFFFD after-control");
        assertThat(hostile.get(col("failed_checks"))).isEqualTo("contains llm_rubric");
        assertThat(hostile.get(col("ttft_ms"))).isEqualTo("320");
        assertThat(hostile.get(col("cost_usd"))).isEqualTo("0.0042");
    }

    @Test
    void text_that_a_spreadsheet_would_run_as_a_formula_is_defused() {
        assertThat(CsvResults.text("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(CsvResults.text("+1")).isEqualTo("'+1");
        assertThat(CsvResults.text("@sum")).isEqualTo("'@sum");
        assertThat(CsvResults.text("plain")).isEqualTo("plain");
        assertThat(CsvResults.quote("a,\"b\"")).isEqualTo("\"a,\"\"b\"\"\"");
    }

    private static int col(String name) {
        return CsvResults.COLUMNS.indexOf(name);
    }

    /** A strict RFC 4180 reader: quoted fields may hold commas, quotes (doubled) and line breaks. */
    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        return rows;
    }
}
