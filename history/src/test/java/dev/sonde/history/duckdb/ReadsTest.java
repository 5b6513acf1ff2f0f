package dev.sonde.history.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.SecretMask;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryRow;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.RunDiff;
import dev.sonde.history.RunQuery;
import dev.sonde.history.RunSpool;
import dev.sonde.history.Trend;
import dev.sonde.journal.Journal;
import dev.sonde.lib.Sonde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.assertj.core.data.Offset;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's reads on three real emulator runs of the regression suite: the first and third as
 * the suite's answers have it, the second with {@code sentiment-negative} answered "positive", so
 * that case fails on both models there and flips in a diff.
 */
class ReadsTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FLIPPED = "sentiment-negative";

    @TempDir
    static Path runs;
    static Path first;
    static Path second;
    static Path third;

    @TempDir
    Path dir;

    @BeforeAll
    static void threeRuns() throws Exception {
        Path flipped = flippedSuite(runs.resolve("flipped"));
        first = run(PROJECT.resolve("suites/regression.yaml"), "first");
        second = run(flipped, "second");
        third = run(PROJECT.resolve("suites/regression.yaml"), "third");
    }

    /** The regression suite whose emulator answers "positive" to the negative review. */
    private static Path flippedSuite(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path rules = folder.resolve("rules.yaml");
        String answers = Files.readString(PROJECT.resolve("fixtures/emulator/regression.yaml"));
        String flippedAnswers = answers.replaceFirst("reply: \\{text: \"negative\"\\}", "reply: {text: \"positive\"}");
        assertThat(flippedAnswers).isNotEqualTo(answers);
        Files.writeString(rules, flippedAnswers);
        String suite = Files.readString(PROJECT.resolve("suites/regression.yaml"))
                .replace("../fixtures/emulator/regression.yaml", rules.toString())
                .replace("../reports/baselines/regression.json", PROJECT.resolve("reports/baselines/regression.json").toString());
        return Files.writeString(folder.resolve("regression.yaml"), suite);
    }

    /** A run in its own second: run ids are stamped to the second. */
    private static Path run(Path suite, String name) throws Exception {
        Thread.sleep(1100);
        Path out = runs.resolve(name);
        Sonde.suite(suite).endpoint("emulator").concurrency(4).outDir(out).workDir(PROJECT).run();
        return out;
    }

    private Path store(Path... runDirs) throws Exception {
        Path store = dir.resolve("h.duckdb");
        for (Path runDir : runDirs) {
            add(store, runDir);
        }
        return store;
    }

    private void add(Path store, Path runDir) throws Exception {
        Path spool = RunSpool.write(runDir, Files.createTempFile(dir, "spool-", ".jsonl"), SecretMask.NONE).file();
        new DuckDbStore().add(store, spool, WAIT);
    }

    /** When the run started, as the store keeps it: a {@code TIMESTAMP} holds microseconds. */
    private static Instant started(Path runDir) throws IOException {
        return Instant.parse(results(runDir).path("run").path("started_at").asText()).truncatedTo(ChronoUnit.MICROS);
    }

    private static JsonNode results(Path runDir) throws IOException {
        return Journal.JSON.readTree(runDir.resolve("results.json").toFile());
    }

    private static String runId(Path runDir) throws IOException {
        return results(runDir).path("run").path("run_id").asText();
    }

    private static void sql(Path store, String... statements) throws SQLException {
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, new Properties());
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static List<String> column(Path store, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, new Properties());
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    @Test
    void the_flipped_run_failed_where_the_others_passed() throws Exception {
        assertThat(results(first).path("verdict").asText()).isEqualTo("pass");
        assertThat(results(second).path("verdict").asText()).isEqualTo("fail");
        assertThat(results(third).path("verdict").asText()).isEqualTo("pass");
    }

    @Test
    void a_trend_has_a_point_per_run_oldest_first_with_the_figures_of_results_json() throws Exception {
        Path store = store(third, first, second); // imported out of order: points follow the start times

        Trend trend = new DuckDbStore().trend(store, "regression", null, 0, WAIT);

        assertThat(trend.points()).extracting(Trend.Point::runId)
                .containsExactly(runId(first), runId(second), runId(third));
        assertThat(trend.runsInStore()).isEqualTo(3);
        assertThat(trend.firstInStore()).isEqualTo(started(first));
        for (int i = 0; i < 3; i++) {
            Trend.Point point = trend.points().get(i);
            JsonNode run = results(List.of(first, second, third).get(i)).path("aggregates").path("run");
            assertThat(point.passRate()).isEqualTo(run.path("pass_rate").asDouble());
            assertThat(point.trials()).isEqualTo(run.path("trials").asLong());
            assertThat(point.ttftP95Ms()).isEqualTo(run.path("ttft_ms").path("p95").asDouble());
            assertThat(point.e2eP95Ms()).isEqualTo(run.path("e2e_ms").path("p95").asDouble());
            assertThat(point.costPerTrialUsd()).isEqualTo(run.path("cost_per_trial_usd").path("mean").asDouble());
            assertThat(point.cacheHitRatio()).isEqualTo(run.path("cache_hit_ratio").asDouble());
            assertThat(point.stoppedBy()).isNull();
        }
        assertThat(trend.points().get(1).passRate()).isLessThan(trend.points().get(0).passRate());
        assertThat(trend.points().get(1).verdict()).isEqualTo("fail");
        JsonNode gates = results(second).path("comparison").path("verdict").path("gates");
        assertThat(gates.size()).isPositive();
        assertThat(trend.points().get(1).gates()).extracting(HistoryRow.Gate::name)
                .containsExactlyElementsOf(gates.findValuesAsText("gate"));
    }

    @Test
    void a_trend_of_the_last_n_runs_takes_the_newest_and_counts_the_rest() throws Exception {
        Path store = store(first, second, third);

        Trend trend = new DuckDbStore().trend(store, "regression", null, 2, WAIT);

        assertThat(trend.points()).extracting(Trend.Point::runId).containsExactly(runId(second), runId(third));
        assertThat(trend.runsInStore()).isEqualTo(3);
        assertThat(trend.firstInStore()).isEqualTo(started(first));
    }

    @Test
    void a_trend_leaves_shard_runs_out_and_counts_them_unless_asked_and_marks_a_partial_merge() throws Exception {
        Path store = store(first, second, third);
        sql(store, "UPDATE runs SET shard_k = 1, shard_n = 2 WHERE run_id = '" + runId(second) + "'",
                "UPDATE runs SET merged_partial = true WHERE run_id = '" + runId(third) + "'");

        Trend whole = new DuckDbStore().trend(store, "regression", null, 0, WAIT);
        Trend all = new DuckDbStore().trend(store, "regression", null, 0, true, WAIT);

        assertThat(whole.points()).extracting(Trend.Point::runId).containsExactly(runId(first), runId(third));
        assertThat(whole.runsInStore()).isEqualTo(2);
        assertThat(whole.shardsLeftOut()).isEqualTo(1);
        assertThat(whole.points().get(1).mergedPartial()).isTrue();
        assertThat(whole.points().get(1).apart()).isEqualTo("merge missing shards");
        assertThat(all.points()).hasSize(3);
        assertThat(all.shardsLeftOut()).isZero();
        assertThat(all.points().get(1).apart()).isEqualTo("shard 1/2");
        assertThat(all.points().get(0).apart()).isEmpty();
    }

    @Test
    void a_model_trend_shows_that_models_figures() throws Exception {
        Path store = store(first, second);

        Trend trend = new DuckDbStore().trend(store, "regression", "haiku", 0, WAIT);

        JsonNode haiku = results(second).path("aggregates").path("models").path("haiku");
        assertThat(trend.model()).isEqualTo("haiku");
        assertThat(trend.points()).hasSize(2);
        assertThat(trend.points().get(1).trials()).isEqualTo(haiku.path("trials").asLong());
        assertThat(trend.points().get(1).passRate()).isEqualTo(haiku.path("pass_rate").asDouble());
        assertThat(new DuckDbStore().trend(store, "regression", "no-such-model", 0, WAIT).points()).isEmpty();
    }

    @Test
    void a_trend_of_a_store_that_does_not_exist_is_empty() throws Exception {
        Trend trend = new DuckDbStore().trend(dir.resolve("none.duckdb"), "regression", null, 30, WAIT);

        assertThat(trend.points()).isEmpty();
        assertThat(trend.runsInStore()).isZero();
        assertThat(dir.resolve("none.duckdb")).doesNotExist();
    }

    @Test
    void a_stopped_run_is_told_apart_in_the_trend_and_a_spool_without_the_field_imports_it_as_null() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("stopped"));
        for (String f : List.of("run.json", "trials.jsonl")) {
            Files.copy(first.resolve(f), copy.resolve(f));
        }
        ObjectNode doc = (ObjectNode) results(first);
        doc.put("stopped_by", "budget");
        Journal.JSON.writeValue(copy.resolve("results.json").toFile(), doc);
        Path store = dir.resolve("h.duckdb");
        add(store, copy);
        Path old = RunSpool.write(second, dir.resolve("old.jsonl"), SecretMask.NONE).file();
        List<String> lines = new ArrayList<>(Files.readAllLines(old));
        String withoutField = lines.get(0).replaceFirst(",?\"stopped_by\":(null|\"[^\"]*\")", "");
        assertThat(withoutField).isNotEqualTo(lines.get(0)).doesNotContain("stopped_by");
        lines.set(0, withoutField);
        Files.write(old, lines);

        new DuckDbStore().add(store, old, WAIT);

        Trend trend = new DuckDbStore().trend(store, "regression", null, 0, WAIT);
        assertThat(trend.points()).extracting(Trend.Point::stoppedBy).containsExactly("budget", null);
        assertThat(new DuckDbStore().runs(store, RunQuery.ALL, WAIT)).extracting(r -> r.run().stoppedBy())
                .containsExactly("budget", null);
    }

    @Test
    void a_diff_pairs_every_trial_and_loads_outputs_only_where_the_verdict_flipped_or_the_output_changed()
            throws Exception {
        Path store = store(first, second);

        RunDiff diff = new DuckDbStore().diff(store, runId(first), runId(second), WAIT);

        assertThat(diff.a().run().runId()).isEqualTo(runId(first));
        assertThat(diff.b().run().runId()).isEqualTo(runId(second));
        assertThat(diff.trials()).hasSize(28).allMatch(p -> p.a() != null && p.b() != null);
        List<RunDiff.TrialPair> flipped = diff.trials().stream().filter(RunDiff.TrialPair::flipped).toList();
        assertThat(flipped).extracting(RunDiff.TrialPair::caseId).containsOnly(FLIPPED).hasSize(2);
        assertThat(flipped).extracting(RunDiff.TrialPair::model).containsExactly("haiku", "sonnet");
        for (RunDiff.TrialPair pair : flipped) {
            assertThat(pair.a().trial().pass()).isTrue();
            assertThat(pair.b().trial().pass()).isFalse();
            assertThat(pair.a().output().outputText()).isEqualTo("negative");
            assertThat(pair.b().output().outputText()).isEqualTo("positive");
            assertThat(pair.b().checks()).extracting(HistoryRow.Check::pass).contains(false);
            assertThat(pair.a().checks()).isNotEmpty().allMatch(HistoryRow.Check::pass);
            assertThat(pair.outputChanged()).isTrue();
            assertThat(pair.a().outputPruned()).isFalse();
        }
        assertThat(diff.trials().stream().filter(p -> !p.flipped() && !p.outputChanged()))
                .isNotEmpty().allMatch(p -> p.a().output() == null && p.b().output() == null);
        assertThat(diff.trials()).extracting(RunDiff.TrialPair::caseId).isSorted();

        RunDiff.CasePair flippedCase = diff.cases().stream()
                .filter(c -> c.caseId().equals(FLIPPED) && c.model().equals("sonnet")).findFirst().orElseThrow();
        assertThat(flippedCase.a().passRate()).isEqualTo(1.0);
        assertThat(flippedCase.b().passRate()).isEqualTo(0.0);
        assertThat(diff.cases()).hasSize(results(first).path("aggregates").path("cases").size() * 2);
    }

    @Test
    void a_diff_tells_skipped_errored_not_evaluated_one_sided_repeated_variant_and_tool_changes_apart()
            throws Exception {
        Path store = store(first, second);
        String a = runId(first);
        String b = runId(second);
        List<String> ids = column(store, "SELECT trial_id FROM trials WHERE run_id = '" + a + "' AND case_id <> '"
                + FLIPPED + "' ORDER BY trial_id");
        String skipped = ids.get(0);
        String errored = ids.get(1);
        String gone = ids.get(2);
        String tools = ids.get(3);
        String unapplied = ids.get(4);
        sql(store,
                "UPDATE trials SET pass = false, skipped = 'budget' WHERE run_id = '" + b + "' AND trial_id = '" + skipped + "'",
                "UPDATE trials SET pass = false, error_class = 'overloaded' WHERE run_id = '" + b + "' AND trial_id = '"
                        + errored + "'",
                "UPDATE trials SET pass = false WHERE run_id = '" + b + "' AND trial_id = '" + unapplied + "'",
                "UPDATE checks SET pass = false, reason = 'not applicable: answered from a batch' WHERE run_id = '" + b
                        + "' AND trial_id = '" + unapplied + "'",
                "DELETE FROM trials WHERE run_id = '" + b + "' AND trial_id = '" + gone + "'",
                // a repeat and a cache variant of one case, in run b only: new trial ids, never paired with repeat 0
                "INSERT INTO trials SELECT * REPLACE (trial_id || '#r1' AS trial_id, 1 AS repeat_no) FROM trials"
                        + " WHERE run_id = '" + b + "' AND trial_id = '" + tools + "'",
                "INSERT INTO trials SELECT * REPLACE (trial_id || '#warm' AS trial_id, 'warm' AS variant) FROM trials"
                        + " WHERE run_id = '" + b + "' AND trial_id = '" + tools + "'",
                "UPDATE outputs SET tool_calls_json = '[{\"name\":\"lookup\",\"input\":{\"q\":\"paris\"}}]'"
                        + " WHERE run_id = '" + a + "' AND trial_id = '" + tools + "'",
                "UPDATE outputs SET tool_calls_json = '[{\"name\":\"lookup\",\"input\":{\"q\":\"rome\"}}]'"
                        + " WHERE run_id = '" + b + "' AND trial_id = '" + tools + "'");

        RunDiff diff = new DuckDbStore().diff(store, a, b, WAIT);

        assertThat(diff.trials()).hasSize(28 + 2);
        RunDiff.TrialPair skip = pair(diff, skipped);
        assertThat(skip.stateA()).isEqualTo(RunDiff.State.PASSED);
        assertThat(skip.stateB()).isEqualTo(RunDiff.State.SKIPPED);
        assertThat(skip.flipped()).as("a trial never sent does not flip").isFalse();
        RunDiff.TrialPair error = pair(diff, errored);
        assertThat(error.stateB()).isEqualTo(RunDiff.State.ERRORED);
        assertThat(error.flipped()).isTrue();
        assertThat(pair(diff, unapplied).stateB()).isEqualTo(RunDiff.State.NOT_EVALUATED);
        RunDiff.TrialPair goneFromB = pair(diff, gone);
        assertThat(goneFromB.b()).isNull();
        assertThat(goneFromB.stateB()).isEqualTo(RunDiff.State.ABSENT);
        assertThat(goneFromB.flipped()).isFalse();
        assertThat(pair(diff, tools + "#r1").a()).isNull();
        assertThat(pair(diff, tools + "#r1").repeat()).isEqualTo(1);
        assertThat(pair(diff, tools + "#warm").b().trial().variant()).isEqualTo("warm");
        RunDiff.TrialPair toolPair = pair(diff, tools);
        assertThat(toolPair.outputChanged()).as("same text").isFalse();
        assertThat(toolPair.toolCallsChanged()).isTrue();
        assertThat(toolPair.a().output().toolCallsJson()).contains("paris");
        assertThat(toolPair.b().output().toolCallsJson()).contains("rome");
        assertThat(diff.trials().stream().filter(RunDiff.TrialPair::toolCallsChanged))
                .extracting(RunDiff.TrialPair::trialId).containsExactly(tools);
    }

    private static RunDiff.TrialPair pair(RunDiff diff, String trialId) {
        return diff.trials().stream().filter(p -> p.trialId().equals(trialId)).findFirst().orElseThrow();
    }

    @Test
    void a_run_whose_outputs_were_pruned_says_so_in_the_diff() throws Exception {
        Path store = store(first, second);
        sql(store, "UPDATE runs SET outputs_pruned_at = now()::TIMESTAMP WHERE run_id = '" + runId(first) + "'",
                "DELETE FROM outputs WHERE run_id = '" + runId(first) + "'");

        RunDiff diff = new DuckDbStore().diff(store, runId(first), runId(second), WAIT);

        List<RunDiff.TrialPair> flipped = diff.trials().stream().filter(RunDiff.TrialPair::flipped).toList();
        assertThat(flipped).hasSize(2).allSatisfy(pair -> {
            assertThat(pair.a().output()).isNull();
            assertThat(pair.a().outputPruned()).isTrue();
            assertThat(pair.b().output().outputText()).isEqualTo("positive");
            assertThat(pair.b().outputPruned()).isFalse();
        });
    }

    @Test
    void a_diff_of_a_run_id_the_store_does_not_hold_names_it_in_one_line() throws Exception {
        Path store = store(first);
        Path file = store.toAbsolutePath().normalize();

        assertThatThrownBy(() -> new DuckDbStore().diff(store, runId(first), "regression-19990101-000000", WAIT))
                .isInstanceOf(HistoryException.class)
                .hasMessage("history: no run regression-19990101-000000 in " + file + " ('sonde history runs' lists them)");
        assertThatThrownBy(() -> new DuckDbStore().diff(dir.resolve("none.duckdb"), "x", runId(first), WAIT))
                .isInstanceOf(HistoryException.class).hasMessageStartingWith("history: no run x in ");
    }

    @Test
    void runs_are_filtered_by_suite_verdict_commit_prefix_and_start_and_the_last_are_the_newest() throws Exception {
        Path store = store(first, second, third);
        sql(store, "UPDATE runs SET git_commit = 'abcdef0123456789abcdef0123456789abcdef01' WHERE run_id = '"
                + runId(first) + "'", "UPDATE runs SET git_commit = 'abc99999aaaabbbbccccddddeeeeffff00001111'"
                + " WHERE run_id <> '" + runId(first) + "'");
        DuckDbStore history = new DuckDbStore();
        Instant secondStart = started(second);

        assertThat(ids(history.runs(store, RunQuery.ALL, WAIT))).containsExactly(runId(first), runId(second), runId(third));
        assertThat(ids(history.runs(store, RunQuery.suite("regression", 2), WAIT))).containsExactly(runId(second), runId(third));
        assertThat(history.runs(store, RunQuery.suite("other", 0), WAIT)).isEmpty();
        assertThat(ids(history.runs(store, new RunQuery(null, "fail", null, null, 0), WAIT))).containsExactly(runId(second));
        assertThat(ids(history.runs(store, new RunQuery(null, "PASS", null, null, 1), WAIT))).containsExactly(runId(third));
        assertThat(ids(history.runs(store, new RunQuery(null, null, "ABCDEF", null, 0), WAIT))).containsExactly(runId(first));
        assertThat(ids(history.runs(store, new RunQuery(null, null, "abc9", null, 0), WAIT)))
                .containsExactly(runId(second), runId(third));
        assertThat(ids(history.runs(store, new RunQuery("regression", null, null, secondStart, 0), WAIT)))
                .containsExactly(runId(second), runId(third));
        assertThat(history.runs(store, RunQuery.ALL, WAIT)).extracting(HistoryStore.StoredRun::trials)
                .containsOnly(28L);
    }

    @Test
    void a_commit_prefix_of_fewer_than_four_hex_digits_or_a_verdict_sonde_never_writes_is_one_line() throws Exception {
        Path store = store(first);

        assertThatThrownBy(() -> new DuckDbStore().runs(store, new RunQuery(null, null, "abc", null, 0), WAIT))
                .isInstanceOf(HistoryException.class)
                .hasMessage("history: a commit is given by at least 4 of its hex digits, not 'abc'");
        assertThatThrownBy(() -> new DuckDbStore().runs(store, new RunQuery(null, null, "abcz", null, 0), WAIT))
                .isInstanceOf(HistoryException.class).hasMessageContaining("not 'abcz'");
        assertThatThrownBy(() -> new DuckDbStore().runs(store, new RunQuery(null, null, "1' OR '1'='1", null, 0), WAIT))
                .isInstanceOf(HistoryException.class);
        assertThatThrownBy(() -> new DuckDbStore().runs(store, new RunQuery(null, "error", null, null, 0), WAIT))
                .isInstanceOf(HistoryException.class)
                .hasMessage("history: a run's verdict is one of pass, compared, fail, partial, not 'error'");
    }

    @Test
    void a_suite_name_is_bound_never_spliced_into_the_sql() throws Exception {
        Path store = store(first);

        assertThat(new DuckDbStore().runs(store, RunQuery.suite("x' OR '1'='1", 0), WAIT)).isEmpty();
        assertThat(new DuckDbStore().trend(store, "x' OR '1'='1", null, 0, WAIT).points()).isEmpty();
    }

    @Test
    void a_store_of_schema_1_is_read_as_it_is_and_migrated_by_the_next_writer_keeping_its_runs() throws Exception {
        Path store = dir.resolve("v1.duckdb");
        List<String> v1 = new ArrayList<>(Schema.step(1));
        v1.add("INSERT INTO schema_version VALUES (1, now()::TIMESTAMP, 'v1')");
        v1.add("INSERT INTO runs (run_id, suite, started_at, verdict, imported_at) VALUES"
                + " ('regression-20200101-000000', 'regression', TIMESTAMP '2020-01-01 00:00:00', 'pass', now()::TIMESTAMP)");
        v1.add("INSERT INTO run_stats (run_id, scope, trials, passed, pass_rate) VALUES"
                + " ('regression-20200101-000000', 'run', 4, 4, 1.0)");
        sql(store, v1.toArray(String[]::new));
        assertThat(column(store, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'runs'"
                + " AND column_name = 'stopped_by'")).containsExactly("0");

        List<HistoryStore.StoredRun> before = new DuckDbStore().runs(store, RunQuery.ALL, WAIT);
        assertThat(before).singleElement().satisfies(r -> assertThat(r.run().stoppedBy()).isNull());
        assertThat(new DuckDbStore().trend(store, "regression", null, 0, WAIT).points()).hasSize(1);

        add(store, first);

        assertThat(column(store, "SELECT max(version) FROM schema_version")).containsExactly("2");
        assertThat(column(store, "SELECT count(*) FROM schema_version")).containsExactly("2");
        assertThat(column(store, "SELECT run_id || ' ' || coalesce(stopped_by, 'null') || ' '"
                + " || coalesce(outputs_pruned_at::VARCHAR, 'null') FROM runs ORDER BY started_at"))
                .containsExactly("regression-20200101-000000 null null", runId(first) + " null null");
        Trend trend = new DuckDbStore().trend(store, "regression", null, 0, WAIT);
        assertThat(trend.points()).extracting(Trend.Point::runId).containsExactly("regression-20200101-000000",
                runId(first));
        assertThat(trend.points().get(0).passRate()).isEqualTo(1.0);
        assertThat(trend.points().get(1).passRate())
                .isCloseTo(results(first).path("aggregates").path("run").path("pass_rate").asDouble(), Offset.offset(0.0));
    }

    private static List<String> ids(List<HistoryStore.StoredRun> stored) {
        return stored.stream().map(r -> r.run().runId()).toList();
    }
}
