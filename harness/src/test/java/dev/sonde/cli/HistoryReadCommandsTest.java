package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.history.HistoryStores;
import dev.sonde.journal.Journal;
import dev.sonde.lib.Sonde;
import dev.sonde.metrics.Fmt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sonde history trend} and {@code sonde history runs} end to end on two emulator runs of the regression suite. */
class HistoryReadCommandsTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path runs;
    static Path first;
    static Path second;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    @BeforeAll
    static void twoRuns() throws Exception {
        first = runs.resolve("first");
        second = runs.resolve("second");
        for (Path out : new Path[] {first, second}) {
            Thread.sleep(1100); // run ids are stamped to the second
            Sonde.suite(PROJECT.resolve("suites/regression.yaml")).endpoint("emulator").concurrency(4).outDir(out)
                    .workDir(PROJECT).run();
        }
    }

    private static Result sonde(HistoryStores.Places places, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), places, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static JsonNode results(Path runDir) throws IOException {
        return Journal.JSON.readTree(runDir.resolve("results.json").toFile());
    }

    private static String runId(Path runDir) throws IOException {
        return results(runDir).path("run").path("run_id").asText();
    }

    private static Instant started(Path runDir) throws IOException {
        return Instant.parse(results(runDir).path("run").path("started_at").asText());
    }

    /** A store holding both runs. */
    private Path store() {
        Path store = dir.resolve("reports/history.duckdb");
        Result r = sonde(null, "history", "import", first.toString(), second.toString(), "--store", store.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return store.toAbsolutePath().normalize();
    }

    private static void sql(Path store, String statement) throws Exception {
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, new Properties());
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void trend_prints_how_many_runs_since_when_then_a_row_per_run_with_the_reports_figures() throws Exception {
        Path store = store();

        Result r = sonde(null, "history", "trend", "--store", store.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("history: 2 of 2 runs of regression since "
                + started(first).atOffset(ZoneOffset.UTC).toLocalDate());
        assertThat(lines.get(1)).matches(
                "run started +commit +verdict +pass rate +TTFT p95 +E2E p95 +cost/trial +cache hit");
        for (int i = 0; i < 2; i++) {
            Path runDir = List.of(first, second).get(i);
            JsonNode run = results(runDir).path("aggregates").path("run");
            assertThat(lines.get(2 + i)).startsWith(Fmt.instant(started(runDir)) + "  ")
                    .contains("  pass  ", "  " + Fmt.pct(run.path("pass_rate").asDouble()) + "  ",
                            "  " + Fmt.ms(run.path("ttft_ms").path("p95").asDouble()) + "  ",
                            "  " + Fmt.ms(run.path("e2e_ms").path("p95").asDouble()) + "  ",
                            "  " + Fmt.usd(run.path("cost_per_trial_usd").path("mean").asDouble()) + "  ")
                    .endsWith("  " + Fmt.pct(run.path("cache_hit_ratio").asDouble()));
        }
    }

    @Test
    void trend_last_1_shows_the_newest_run_of_the_two_it_found() throws Exception {
        Path store = store();

        Result r = sonde(null, "history", "trend", "--store", store.toString(), "--last", "1", "--suite", "regression");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(3).first().asString().startsWith("history: 1 of 2 runs of regression since ");
        assertThat(r.out().lines().toList().get(2)).startsWith(Fmt.instant(started(second)));
    }

    @Test
    void trend_json_is_one_document_with_numbers_as_numbers() throws Exception {
        Path store = store();
        sql(store, "UPDATE runs SET stopped_by = 'budget' WHERE run_id = '" + runId(first) + "'");

        Result r = sonde(null, "history", "trend", "--store", store.toString(), "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = Journal.JSON.readTree(r.out());
        assertThat(doc.path("suite").asText()).isEqualTo("regression");
        assertThat(doc.path("model").isNull()).isTrue();
        assertThat(doc.path("store").asText()).isEqualTo(store.toString());
        assertThat(doc.path("runs_shown").asInt()).isEqualTo(2);
        assertThat(doc.path("runs_in_store").asInt()).isEqualTo(2);
        assertThat(Instant.parse(doc.path("first_in_store").asText())).isEqualTo(started(first).truncatedTo(ChronoUnit.MICROS));
        JsonNode points = doc.path("points");
        assertThat(points).hasSize(2);
        assertThat(points.get(0).path("run_id").asText()).isEqualTo(runId(first));
        assertThat(points.get(0).path("stopped_by").asText()).isEqualTo("budget");
        assertThat(points.get(1).path("stopped_by").isNull()).isTrue();
        JsonNode run = results(second).path("aggregates").path("run");
        JsonNode point = points.get(1);
        assertThat(point.path("pass_rate").isNumber()).isTrue();
        assertThat(point.path("pass_rate").asDouble()).isEqualTo(run.path("pass_rate").asDouble());
        assertThat(point.path("ttft_p95_ms").asDouble()).isEqualTo(run.path("ttft_ms").path("p95").asDouble());
        assertThat(point.path("trials").isIntegralNumber()).isTrue();
        JsonNode gates = point.path("gates");
        assertThat(gates.size()).isEqualTo(results(second).path("comparison").path("verdict").path("gates").size());
        assertThat(gates.get(0).has("row")).isFalse();
        assertThat(gates.get(0).path("name").asText()).isNotEmpty();
    }

    @Test
    void trend_of_a_store_file_that_is_not_there_names_the_path_and_exits_2() {
        Path missing = dir.resolve("none.duckdb");

        Result r = sonde(null, "history", "trend", "--store", missing.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly("sonde history: no store at " + missing + " (add runs with"
                + " 'sonde history import RUN_DIR…', or name the store with --store)");
        assertThat(missing).doesNotExist();
    }

    @Test
    void trend_of_a_suite_the_store_has_no_runs_of_names_the_suites_it_has_and_exits_2() {
        Path store = store();

        Result r = sonde(null, "history", "trend", "--store", store.toString(), "--suite", "smoke");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("sonde history: no runs of smoke in " + store
                + "; it holds runs of regression");
    }

    @Test
    void trend_without_suite_on_a_store_of_several_suites_lists_them_and_exits_2() throws Exception {
        Path store = store();
        sql(store, "UPDATE runs SET suite = 'smoke' WHERE run_id = '" + runId(first) + "'");

        Result r = sonde(null, "history", "trend", "--store", store.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("sonde history trend: " + store
                + " holds runs of 2 suites (regression, smoke); pick one with --suite");
        assertThat(sonde(null, "history", "trend", "--store", store.toString(), "--suite", "smoke").out())
                .startsWith("history: 1 of 1 runs of smoke since ");
    }

    @Test
    void trend_with_a_negative_last_is_one_line_and_exit_2() {
        Result r = sonde(null, "history", "trend", "--last", "-1", "--store", dir.resolve("h.duckdb").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("sonde history trend: --last must be 0 (all) or more, not -1");
    }

    @Test
    void trend_without_the_history_module_is_one_line_and_exit_2() {
        ClassLoader noModule = new URLClassLoader(new URL[0], null);

        Result r = sonde(new HistoryStores.Places(noModule, dir.resolve("none.jar").toString(), null), "history",
                "trend", "--store", dir.resolve("h.duckdb").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("sonde history: this build has no history store (");
    }

    @Test
    void runs_lists_the_runs_oldest_first_and_filters_them() throws Exception {
        Path store = store();
        sql(store, "UPDATE runs SET git_commit = 'abcdef0123456789abcdef0123456789abcdef01', dirty = true"
                + " WHERE run_id = '" + runId(second) + "'");

        Result all = sonde(null, "history", "runs", "--store", store.toString());

        assertThat(all.exit()).as(all.err()).isZero();
        List<String> lines = all.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("history: 2 of 2 runs in " + store + " since "
                + started(first).atOffset(ZoneOffset.UTC).toLocalDate());
        assertThat(lines.get(1)).matches("run +started +commit +verdict +trials");
        assertThat(lines.get(2)).startsWith(runId(first) + "  " + Fmt.instant(started(first))).endsWith("  28");
        assertThat(lines.get(3)).startsWith(runId(second)).contains("  abcdef0+  pass  ");

        Result byCommit = sonde(null, "history", "runs", "--store", store.toString(), "--commit", "abcdef");
        assertThat(byCommit.out().lines()).hasSize(3).first().asString()
                .startsWith("history: 1 of 1 matching runs in ");

        Result json = sonde(null, "history", "runs", "--store", store.toString(), "--json", "--last", "1");
        JsonNode doc = Journal.JSON.readTree(json.out());
        assertThat(doc.path("runs_matching").asInt()).isEqualTo(2);
        assertThat(doc.path("runs")).hasSize(1);
        assertThat(doc.path("runs").get(0).path("run_id").asText()).isEqualTo(runId(second));
        assertThat(doc.path("runs").get(0).path("trials").asLong()).isEqualTo(28);
        assertThat(doc.path("runs").get(0).has("row")).isFalse();

        Result none = sonde(null, "history", "runs", "--store", store.toString(), "--verdict", "fail");
        assertThat(none.exit()).isZero();
        assertThat(none.out().lines()).containsExactly("history: no run in " + store + " matches");
    }

    @Test
    void runs_and_trend_count_since_the_first_run_in_the_store_not_the_first_shown() throws Exception {
        Path store = store();
        sql(store, "UPDATE runs SET started_at = TIMESTAMP '2020-01-02 03:04:05' WHERE run_id = '" + runId(first) + "'");

        Result runsLast = sonde(null, "history", "runs", "--store", store.toString(), "--last", "1");
        Result trendLast = sonde(null, "history", "trend", "--store", store.toString(), "--last", "1");

        assertThat(runsLast.out().lines().findFirst().orElseThrow())
                .isEqualTo("history: 1 of 2 runs in " + store + " since 2020-01-02");
        assertThat(trendLast.out().lines().findFirst().orElseThrow())
                .isEqualTo("history: 1 of 2 runs of regression since 2020-01-02");
    }

    @Test
    void trend_leaves_a_shard_run_out_and_says_so_and_shards_lists_it_marked() throws Exception {
        Path store = store();
        sql(store, "UPDATE runs SET shard_k = 2, shard_n = 3 WHERE run_id = '" + runId(second) + "'");

        Result whole = sonde(null, "history", "trend", "--store", store.toString());
        Result shards = sonde(null, "history", "trend", "--store", store.toString(), "--shards");

        assertThat(whole.out().lines().toList()).hasSize(3).first().asString()
                .endsWith("; 1 shard or part run left out (--shards shows them)").startsWith("history: 1 of 1 runs of regression");
        assertThat(shards.out().lines().toList()).hasSize(4);
        assertThat(shards.out().lines().toList().get(3)).contains("  pass, shard 2/3  ");
    }

    @Test
    void a_store_another_program_writes_past_the_wait_is_one_line_and_exit_3() throws Exception {
        Path store = store();
        Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                HoldStoreMain.class.getName(), store.toString(), "20000").redirectErrorStream(true).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()).isEqualTo("held");
            for (String command : List.of("trend", "runs")) {
                Result r = sonde(null, "history", command, "--store", store.toString(), "--wait", "0");
                assertThat(r.exit()).as(command).isEqualTo(Main.CANNOT_PROCEED);
                assertThat(r.err().lines()).as(command).singleElement().asString()
                        .startsWith("sonde history: " + store + " was being written by another process")
                        .endsWith("; try again when it ends");
            }
        } finally {
            holder.destroy();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void runs_with_a_bad_commit_prefix_or_date_is_one_line_and_exit_2() {
        Path store = store();

        Result commit = sonde(null, "history", "runs", "--store", store.toString(), "--commit", "ab");
        Result since = sonde(null, "history", "runs", "--store", store.toString(), "--since", "yesterday");

        assertThat(commit.exit()).isEqualTo(2);
        assertThat(commit.err().lines())
                .containsExactly("sonde history: a commit is given by at least 4 of its hex digits, not 'ab'");
        assertThat(since.exit()).isEqualTo(2);
        assertThat(since.err().lines()).containsExactly("sonde history runs: --since takes a UTC day (2026-11-02)"
                + " or an instant (2026-11-02T08:00:00Z), not 'yesterday'");
    }
}
