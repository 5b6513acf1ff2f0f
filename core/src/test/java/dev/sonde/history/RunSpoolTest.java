package dev.sonde.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.analysis.JournalPass;
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

    @Test
    void a_trial_part_fed_by_the_pass_gives_the_same_spool_without_the_journal(@TempDir Path copy) throws Exception {
        RunSpool.TrialPart part = RunSpool.trialPart(dir.resolve("part.jsonl"), SecretMask.NONE);
        JournalPass.run(run.resolve("trials.jsonl"), List.of(part));
        part.close();
        for (String f : List.of("run.json", "results.json")) { // no trials.jsonl: the part must not need it
            Files.copy(run.resolve(f), copy.resolve(f));
        }
        long reads = Journal.reads();

        RunSpool.Spooled fromPart = RunSpool.write(copy, dir.resolve("p.jsonl"), SecretMask.NONE, part);

        assertThat(Journal.reads() - reads).as("journal reads").isZero();
        RunSpool.Spooled fromJournal = RunSpool.write(run, dir.resolve("j.jsonl"), SecretMask.NONE);
        assertThat(fromPart.trials()).isEqualTo(fromJournal.trials()).isEqualTo(28);
        assertThat(fromPart.runId()).isEqualTo(fromJournal.runId());
        assertThat(Files.readString(fromPart.file()).replace(copy.toAbsolutePath().normalize().toString(), "DIR"))
                .isEqualTo(Files.readString(fromJournal.file())
                        .replace(run.toAbsolutePath().normalize().toString(), "DIR"));
    }

    @Test
    void a_key_in_any_text_a_run_folder_holds_never_reaches_the_spool(@TempDir Path parent) throws Exception {
        String key = "sk-ant-api03-" + "Z".repeat(80) + "AA";
        Path copy = Files.createDirectories(parent.resolve("run-" + key)); // the run folder's path too
        ObjectNode info = (ObjectNode) Journal.JSON.readTree(run.resolve("run.json").toFile());
        info.put("endpoint", "https://gw.example/" + key);
        Journal.JSON.writeValue(copy.resolve("run.json").toFile(), info);
        ObjectNode results = (ObjectNode) Journal.JSON.readTree(run.resolve("results.json").toFile());
        ((ObjectNode) results.path("run")).put("endpoint", "https://gw.example/" + key);
        JsonNode gates = results.path("comparison").path("verdict").path("gates");
        assertThat(gates.size()).isPositive();
        for (JsonNode gate : gates) {
            ((ObjectNode) gate).put("reason", "reason " + key).put("observed", "observed " + key)
                    .put("threshold", "threshold " + key);
        }
        Journal.JSON.writeValue(copy.resolve("results.json").toFile(), results);
        List<String> lines = new ArrayList<>(Files.readAllLines(run.resolve("trials.jsonl")));
        ObjectNode trial = (ObjectNode) Journal.JSON.readTree(lines.get(0));
        trial.put("stop_reason", "stop " + key);
        trial.putObject("error").put("class", "class " + key).put("status", 500).put("type", "api_error")
                .put("message", "m");
        lines.set(0, Journal.JSON.writeValueAsString(trial));
        Files.write(copy.resolve("trials.jsonl"), lines);
        SecretMask mask = SecretMask.of(ApiKey.of(key));

        RunSpool.Spooled imported = RunSpool.write(copy, parent.resolve("imported.jsonl"), mask);
        RunSpool.TrialPart part = RunSpool.trialPart(parent.resolve("part.jsonl"), mask);
        JournalPass.run(copy.resolve("trials.jsonl"), List.of(part));
        part.close();
        RunSpool.Spooled live = RunSpool.write(copy, parent.resolve("live.jsonl"), mask, part);

        for (RunSpool.Spooled spooled : List.of(imported, live)) {
            String text = Files.readString(spooled.file());
            assertThat(text).doesNotContain(key).contains("stop " + SecretMask.MARK, "class " + SecretMask.MARK,
                    "reason " + SecretMask.MARK, "observed " + SecretMask.MARK, "threshold " + SecretMask.MARK,
                    "https://gw.example/" + SecretMask.MARK, "run-" + SecretMask.MARK);
        }
    }
}
