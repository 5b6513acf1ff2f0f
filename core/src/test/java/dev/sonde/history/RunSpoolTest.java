package dev.sonde.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.api.ApiKey;
import dev.sonde.api.SecretMask;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.lib.Sonde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A finished emulator run of the regression suite mapped to history rows, and read back. */
class RunSpoolTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void runRegression() throws Exception {
        run = dir.resolve("regression");
        Sonde.suite(PROJECT.resolve("suites/regression.yaml")).endpoint("emulator").concurrency(4).outDir(run)
                .workDir(PROJECT).run();
    }

    private static List<HistoryRow> rows(Path spool) throws IOException {
        List<HistoryRow> rows = new ArrayList<>();
        try (RunSpool.Rows it = RunSpool.read(spool)) {
            for (HistoryRow row = it.next(); row != null; row = it.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static <T extends HistoryRow> List<T> only(List<HistoryRow> rows, Class<T> type) {
        return rows.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void every_row_agrees_with_results_json_and_the_journal() throws Exception {
        JsonNode results = Journal.JSON.readTree(run.resolve("results.json").toFile());
        List<TrialResult> trials;
        try (Stream<TrialResult> s = Journal.read(run.resolve("trials.jsonl"))) {
            trials = s.toList();
        }

        RunSpool.Spooled spooled = RunSpool.write(run, dir.resolve("a.jsonl"), SecretMask.NONE);
        List<HistoryRow> rows = rows(spooled.file());

        HistoryRow.Run head = (HistoryRow.Run) rows.get(0);
        assertThat(spooled.runId()).isEqualTo(head.runId()).isEqualTo(results.path("run").path("run_id").asText());
        assertThat(spooled.trials()).isEqualTo(28);
        assertThat(head.suite()).isEqualTo("regression");
        assertThat(head.verdict()).isEqualTo(results.path("verdict").asText());
        assertThat(head.baselineVerdict()).isEqualTo(results.path("baseline_verdict").asText());
        assertThat(head.finishedAt()).isNotNull().isAfterOrEqualTo(head.startedAt());
        assertThat(head.runDir()).isEqualTo(run.toAbsolutePath().normalize().toString());
        assertThat(only(rows, HistoryRow.Model.class)).extracting(HistoryRow.Model::label).containsExactly("sonnet", "haiku");

        HistoryRow.Stat whole = only(rows, HistoryRow.Stat.class).get(0);
        JsonNode agg = results.path("aggregates").path("run");
        assertThat(whole.scope()).isEqualTo("run");
        assertThat(whole.trials()).isEqualTo(28);
        assertThat(whole.ttftP95Ms()).isEqualTo(agg.path("ttft_ms").path("p95").asDouble());
        assertThat(whole.e2eP99Ms()).isEqualTo(agg.path("e2e_ms").path("p99").asDouble());
        assertThat(whole.costUsd()).isEqualTo(agg.path("cost_usd").asDouble());
        assertThat(only(rows, HistoryRow.Stat.class)).filteredOn(s -> s.scope().equals("model")).hasSize(2);
        assertThat(only(rows, HistoryRow.Stat.class)).filteredOn(s -> s.scope().equals("case"))
                .hasSize(results.path("aggregates").path("cases").size() * 2);

        assertThat(only(rows, HistoryRow.Gate.class)).hasSize(results.path("comparison").path("verdict").path("gates").size())
                .isNotEmpty().first().extracting(HistoryRow.Gate::name).isEqualTo("new_failures");

        List<HistoryRow.Trial> trialRows = only(rows, HistoryRow.Trial.class);
        assertThat(trialRows).extracting(HistoryRow.Trial::trialId).containsExactlyElementsOf(
                trials.stream().map(TrialResult::trialId).toList());
        TrialResult first = trials.get(0);
        assertThat(trialRows.get(0).costUsd()).isEqualTo(first.costUsd());
        assertThat(trialRows.get(0).e2eMs()).isEqualTo(first.timings().e2eMs());
        assertThat(trialRows.get(0).inputTokens()).isEqualTo(first.usage().path("input_tokens").asLong());
        assertThat(only(rows, HistoryRow.Check.class)).hasSize(trials.stream().mapToInt(t -> t.checks().size()).sum());
        assertThat(only(rows, HistoryRow.Output.class)).filteredOn(o -> o.trialId().equals(first.trialId()))
                .singleElement().extracting(HistoryRow.Output::outputText).isEqualTo(first.outputText());
    }

    @Test
    void an_output_holding_a_key_of_the_environment_is_spooled_masked(@TempDir Path copy) throws Exception {
        String key = "sk-ant-api03-" + "Q".repeat(80) + "AA";
        for (String f : List.of("run.json", "results.json")) {
            Files.copy(run.resolve(f), copy.resolve(f));
        }
        List<String> lines = Files.readAllLines(run.resolve("trials.jsonl"));
        lines.set(0, lines.get(0).replace("\"output_text\":\"", "\"output_text\":\"echo " + key + " "));
        Files.write(copy.resolve("trials.jsonl"), lines);

        RunSpool.Spooled spooled = RunSpool.write(copy, dir.resolve("m.jsonl"), SecretMask.of(ApiKey.of(key)));

        String text = Files.readString(spooled.file());
        assertThat(text).doesNotContain(key).contains("echo " + SecretMask.MARK);
    }

    @Test
    void a_folder_without_results_json_is_refused_in_one_line(@TempDir Path empty) {
        assertThatThrownBy(() -> RunSpool.write(empty, dir.resolve("x.jsonl"), SecretMask.NONE))
                .isInstanceOf(HistoryException.class)
                .hasMessage("history: " + empty + " is not a finished run (no results.json)");
    }

    @Test
    void a_spool_whose_first_row_is_not_a_run_is_refused_naming_the_line() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"row\":\"model\",\"label\":\"a\"}\n");
        try (RunSpool.Rows rows = RunSpool.read(bad)) {
            assertThatThrownBy(rows::next).hasMessage(bad + ":1: a spool has one run row, first");
        }
    }
}
