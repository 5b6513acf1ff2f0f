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
    void a_resumed_run_spools_each_trial_once_as_results_json_counts_it(@TempDir Path copy) throws Exception {
        for (String f : List.of("run.json", "results.json")) {
            Files.copy(run.resolve(f), copy.resolve(f));
        }
        List<TrialResult> done;
        try (Stream<TrialResult> s = Journal.read(run.resolve("trials.jsonl"))) {
            done = s.toList();
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(run.resolve("trials.jsonl")));
        List<String> resumed = new ArrayList<>(lines.subList(0, 17)); // stopped by a signal at 17/28 ...
        for (TrialResult t : done.subList(17, done.size())) {
            resumed.add(Journal.JSON.writeValueAsString(TrialResult.skipped(t.trialId(), t.caseId(), t.model(),
                    t.modelId(), t.repeat(), t.startedAt(), "interrupted (SIGINT)")));
        }
        resumed.addAll(lines.subList(17, lines.size())); // ... then --resume appended the rest
        resumed.add(Journal.JSON.writeValueAsString(TrialResult.skipped(done.get(3).trialId(), done.get(3).caseId(),
                done.get(3).model(), done.get(3).modelId(), done.get(3).repeat(), done.get(3).startedAt(), "late")));
        Files.write(copy.resolve("trials.jsonl"), resumed);

        RunSpool.Spooled imported = RunSpool.write(copy, dir.resolve("resumed-import.jsonl"), SecretMask.NONE);
        RunSpool.TrialPart part = RunSpool.trialPart(dir.resolve("resumed-part.jsonl"), SecretMask.NONE);
        JournalPass.run(copy.resolve("trials.jsonl"), List.of(part));
        part.close();
        RunSpool.Spooled live = RunSpool.write(copy, dir.resolve("resumed-live.jsonl"), SecretMask.NONE, part);

        JsonNode results = Journal.JSON.readTree(run.resolve("results.json").toFile());
        List<HistoryRow.Trial> trials = only(rows(imported.file()), HistoryRow.Trial.class);
        assertThat(imported.trials()).isEqualTo(live.trials()).isEqualTo(trials.size())
                .isEqualTo(results.path("aggregates").path("run").path("trials").asLong()).isEqualTo(28);
        assertThat(trials).extracting(HistoryRow.Trial::trialId)
                .containsExactlyInAnyOrderElementsOf(done.stream().map(TrialResult::trialId).toList());
        assertThat(trials).allSatisfy(t -> assertThat(t.skipped()).isNull());
        assertThat(Files.readString(live.file())).isEqualTo(Files.readString(imported.file()));
    }

    @Test
    void a_trial_skipped_again_after_a_resume_is_spooled_once_as_skipped(@TempDir Path copy) throws Exception {
        for (String f : List.of("run.json", "results.json")) {
            Files.copy(run.resolve(f), copy.resolve(f));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(run.resolve("trials.jsonl")));
        TrialResult last = Journal.JSON.readValue(lines.remove(lines.size() - 1), TrialResult.class);
        for (String reason : List.of("interrupted (SIGINT)", "budget: max_cost_usd reached")) {
            lines.add(Journal.JSON.writeValueAsString(TrialResult.skipped(last.trialId(), last.caseId(), last.model(),
                    last.modelId(), last.repeat(), last.startedAt(), reason)));
        }
        Files.write(copy.resolve("trials.jsonl"), lines);

        RunSpool.Spooled spooled = RunSpool.write(copy, dir.resolve("skipped-twice.jsonl"), SecretMask.NONE);

        assertThat(spooled.trials()).isEqualTo(28);
        assertThat(only(rows(spooled.file()), HistoryRow.Trial.class))
                .filteredOn(t -> t.trialId().equals(last.trialId())).singleElement()
                .extracting(HistoryRow.Trial::skipped).isEqualTo("budget: max_cost_usd reached");
    }

    @Test
    void a_missing_or_non_numeric_percentile_is_null_never_zero(@TempDir Path copy) throws Exception {
        Files.copy(run.resolve("run.json"), copy.resolve("run.json"));
        Files.copy(run.resolve("trials.jsonl"), copy.resolve("trials.jsonl"));
        ObjectNode results = (ObjectNode) Journal.JSON.readTree(run.resolve("results.json").toFile());
        ObjectNode runStats = (ObjectNode) results.path("aggregates").path("run");
        ((ObjectNode) runStats.path("ttft_ms")).put("p50", "NaN").remove("p95");
        ((ObjectNode) runStats.path("e2e_ms")).put("p99", "Infinity");
        assertThat(runStats.path("e2e_ms").path("p50").isNumber()).isTrue();
        Journal.JSON.writeValue(copy.resolve("results.json").toFile(), results);

        RunSpool.Spooled spooled = RunSpool.write(copy, dir.resolve("nan.jsonl"), SecretMask.NONE);

        HistoryRow.Stat stat = only(rows(spooled.file()), HistoryRow.Stat.class).stream()
                .filter(st -> st.scope().equals("run")).findFirst().orElseThrow();
        assertThat(stat.ttftP50Ms()).isNull();
        assertThat(stat.ttftP95Ms()).isNull();
        assertThat(stat.e2eP99Ms()).isNull();
        assertThat(stat.e2eP50Ms()).isEqualTo(runStats.path("e2e_ms").path("p50").asDouble());
    }

    @Test
    void a_pass_rate_cost_or_hit_ratio_that_is_not_a_finite_number_is_refused_naming_the_field(@TempDir Path copy)
            throws Exception {
        Files.copy(run.resolve("run.json"), copy.resolve("run.json"));
        Files.copy(run.resolve("trials.jsonl"), copy.resolve("trials.jsonl"));
        JsonNode original = Journal.JSON.readTree(run.resolve("results.json").toFile());
        String model = original.path("aggregates").path("models").fieldNames().next();
        for (String field : List.of("pass_rate", "cost_usd", "cache_hit_ratio")) {
            ObjectNode results = original.deepCopy();
            ObjectNode stats = (ObjectNode) results.path("aggregates").path("models").path(model);
            if (field.equals("cost_usd")) {
                stats.remove(field);
            } else {
                stats.put(field, "NaN");
            }
            Journal.JSON.writeValue(copy.resolve("results.json").toFile(), results);

            assertThatThrownBy(() -> RunSpool.write(copy, dir.resolve("refused.jsonl"), SecretMask.NONE))
                    .isInstanceOf(HistoryException.class)
                    .hasMessage("history: " + copy + ": " + copy.resolve("results.json") + ": aggregates.models."
                            + model + "." + field + " is not a finite number");
        }
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
        ObjectNode models = (ObjectNode) results.path("aggregates").path("models");
        String label = models.fieldNames().next();
        models.set("model " + key, models.remove(label));
        ObjectNode cases = (ObjectNode) results.path("aggregates").path("cases");
        String caseId = cases.fieldNames().next();
        cases.set("case " + key, cases.remove(caseId));
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
        trial.put("trial_id", "trial " + key).put("case_id", "case " + key).put("model", "model " + key)
                .put("model_id", "id " + key).put("untimed", "untimed " + key).put("variant", "variant " + key);
        ((ObjectNode) trial.path("checks").path(0)).put("type", "type " + key);
        lines.set(0, Journal.JSON.writeValueAsString(trial));
        ObjectNode skipped = (ObjectNode) Journal.JSON.readTree(lines.get(1));
        skipped.put("skipped", "skipped " + key).remove("output_text");
        lines.set(1, Journal.JSON.writeValueAsString(skipped));
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
                    "https://gw.example/" + SecretMask.MARK, "run-" + SecretMask.MARK, "trial " + SecretMask.MARK,
                    "case " + SecretMask.MARK, "model " + SecretMask.MARK, "id " + SecretMask.MARK,
                    "untimed " + SecretMask.MARK, "variant " + SecretMask.MARK, "type " + SecretMask.MARK,
                    "skipped " + SecretMask.MARK);
        }
    }
}
