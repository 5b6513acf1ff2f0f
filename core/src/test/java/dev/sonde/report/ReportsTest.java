package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import dev.sonde.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    @TempDir
    Path dir;

    @Test
    void writes_all_five_outputs_into_the_run_folder() throws Exception {
        RunResult run = ReportFixture.run(dir, false);

        Reports.Outputs out = Reports.writeAll(run);

        assertThat(out.complete()).isTrue();
        assertThat(out.json()).isEqualTo(run.outDir().resolve("results.json")).isRegularFile();
        assertThat(out.junit()).isEqualTo(run.outDir().resolve("junit.xml")).isRegularFile();
        assertThat(out.markdown()).isEqualTo(run.outDir().resolve("summary.md")).isRegularFile();
        assertThat(out.html()).isEqualTo(run.outDir().resolve("report.html")).isRegularFile();
        assertThat(out.csv()).isEqualTo(run.outDir().resolve("results.csv")).isRegularFile();
        JsonNode outputs = Journal.JSON.readTree(out.json().toFile()).get("outputs");
        assertThat(outputs.fieldNames()).toIterable().containsExactly("json", "junit", "markdown", "html", "csv",
                "journal");
        assertThat(outputs.get("journal").asText()).isEqualTo("trials.jsonl");
        assertThat(fileNames(run.outDir()))
                .containsExactlyInAnyOrder("trials.jsonl", "results.json", "junit.xml", "summary.md", "report.html",
                        "results.csv");
    }

    @Test
    void one_format_failing_keeps_the_others_and_names_the_failure() throws Exception {
        RunResult run = ReportFixture.run(dir, false);
        Path blocker = Files.createDirectories(run.outDir().resolve("junit.xml"));
        Files.writeString(blocker.resolve("occupied"), "a directory where junit.xml should go");

        Reports.Outputs out = Reports.writeAll(run);

        assertThat(out.complete()).isFalse();
        assertThat(out.junit()).isNull();
        assertThat(out.failures()).singleElement()
                .satisfies(f -> assertThat(f.file()).isEqualTo("junit.xml"))
                .satisfies(f -> assertThat(f.describe()).startsWith("junit.xml: "));
        assertThat(out.markdown()).isRegularFile();
        assertThat(out.html()).isRegularFile();
        JsonNode outputs = Journal.JSON.readTree(out.json().toFile()).get("outputs");
        assertThat(outputs.has("junit")).isFalse();
        assertThat(outputs.get("html").asText()).isEqualTo("report.html");
        assertThat(fileNames(run.outDir())).noneMatch(name -> name.endsWith(".tmp"));
    }

    @Test
    void journal_outside_the_run_folder_is_listed_by_absolute_path() throws Exception {
        RunResult base = ReportFixture.run(dir, false);
        Path elsewhere = dir.resolve("reports");
        RunResult run = new RunResult(base.info(), base.journal(), elsewhere);

        Reports.Outputs out = Reports.writeAll(run);

        assertThat(out.complete()).isTrue();
        assertThat(out.json().getParent()).isEqualTo(elsewhere);
        assertThat(Journal.JSON.readTree(out.json().toFile()).at("/outputs/journal").asText())
                .isEqualTo(base.journal().toAbsolutePath().normalize().toString());
    }

    private static List<String> fileNames(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
