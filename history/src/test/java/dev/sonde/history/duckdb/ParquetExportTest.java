package dev.sonde.history.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.api.SecretMask;
import dev.sonde.history.Exported;
import dev.sonde.history.HistoryException;
import dev.sonde.history.RunQuery;
import dev.sonde.history.RunSpool;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet export of real emulator runs of the regression suite, read back with DuckDB's own
 * {@code read_parquet}: the same trial count, costs and timings as the journal (the issue's
 * acceptance), from spools and from the store, and the columns README documents.
 */
class ParquetExportTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path runs;
    static Path first;
    static Path second;

    @TempDir
    Path dir;

    @BeforeAll
    static void twoRuns() throws Exception {
        first = run("first");
        second = run("second");
    }

    private static Path run(String name) throws Exception {
        Path out = runs.resolve(name);
        Sonde.suite(PROJECT.resolve("suites/regression.yaml")).endpoint("emulator").concurrency(4).outDir(out)
                .workDir(PROJECT).run();
        return out;
    }

    private Path spool(Path runDir) throws HistoryException, IOException {
        return RunSpool.write(runDir, Files.createTempFile(dir, "spool-", ".jsonl"), SecretMask.NONE).file();
    }

    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        return new DuckDBDriver().connect("jdbc:duckdb:", p);
    }

    /** Each row of {@code sql} as its columns' text. */
    private static List<List<String>> rows(String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String parquet(Path file) {
        return "read_parquet('" + file + "')";
    }

    private static List<JsonNode> journal(Path runDir) throws IOException {
        List<JsonNode> trials = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("trials.jsonl"))) {
            trials.add(Journal.JSON.readTree(line));
        }
        return trials;
    }

    private static String runId(Path runDir) throws IOException {
        return Journal.JSON.readTree(runDir.resolve("results.json").toFile()).path("run").path("run_id").asText();
    }

    /** Asserts the file holds exactly {@code runDir}'s trials: count, costs, timings and checks as journaled. */
    private static void assertSameTrials(Path file, Path runDir) throws Exception {
        List<JsonNode> journal = journal(runDir);
        String id = runId(runDir);
        Map<String, List<String>> exported = new HashMap<>();
        for (List<String> row : rows("SELECT trial_id, ttft_ms, e2e_ms, cost_usd, len(checks),"
                + " array_to_string(list_transform(checks, k -> k.idx || ':' || k.type || ':' || k.pass), ','), output_text FROM " + parquet(file)
                + " WHERE run_id = '" + id + "'")) {
            exported.put(row.get(0), row.subList(1, row.size()));
        }
        assertThat(exported).hasSize(journal.size());
        assertThat(rows("SELECT count(*) FROM " + parquet(file) + " WHERE run_id = '" + id + "'"))
                .containsExactly(List.of(String.valueOf(journal.size()))); // no trial twice
        double journalCost = 0;
        for (JsonNode t : journal) {
            List<String> row = exported.get(t.path("trial_id").asText());
            assertThat(row).as(t.path("trial_id").asText()).isNotNull();
            JsonNode timings = t.path("timings");
            assertThat(row.get(0) == null ? null : Double.valueOf(row.get(0))).as("ttft_ms")
                    .isEqualTo(timings.path("ttft_ms").isNumber() ? timings.path("ttft_ms").asDouble() : null);
            assertThat(row.get(1) == null ? null : Double.valueOf(row.get(1))).as("e2e_ms")
                    .isEqualTo(timings.path("e2e_ms").isNumber() ? timings.path("e2e_ms").asDouble() : null);
            assertThat(Double.valueOf(row.get(2))).as("cost_usd").isEqualTo(t.path("cost_usd").asDouble());
            journalCost += t.path("cost_usd").asDouble();
            List<String> checks = new ArrayList<>();
            t.path("checks").forEach(k -> checks.add(checks.size() + ":" + k.path("type").asText() + ":"
                    + k.path("pass").asBoolean()));
            assertThat(Integer.parseInt(row.get(3))).isEqualTo(checks.size());
            assertThat(row.get(4)).isEqualTo(String.join(",", checks));
            assertThat(row.get(5)).isEqualTo(t.path("output_text").isTextual() ? t.path("output_text").asText() : null);
        }
        double exportedCost = Double.parseDouble(rows("SELECT sum(cost_usd) FROM " + parquet(file) + " WHERE run_id = '"
                + id + "'").get(0).get(0));
        assertThat(exportedCost).isCloseTo(journalCost, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void a_run_exported_from_its_spool_reads_back_with_the_journals_trials_costs_and_timings() throws Exception {
        Path out = dir.resolve("exports/run.parquet");
        Set<String> tempBefore = exportFolders();

        Exported exported = new DuckDbStore().exportParquet(List.of(spool(first)), out);

        assertThat(exported).isEqualTo(new Exported(out, 1, 28, Files.size(out)));
        assertThat(rows("SELECT count(*), count(DISTINCT run_id) FROM " + parquet(out)))
                .containsExactly(List.of("28", "1"));
        assertSameTrials(out, first);
        assertThat(rows("SELECT DISTINCT suite, git_commit IS NULL OR length(git_commit) >= 7, live FROM "
                + parquet(out))).containsExactly(List.of("regression", "true", "false"));
        try (Stream<Path> left = Files.list(out.getParent())) {
            assertThat(left).containsExactly(out); // no .part file left beside it
        }
        assertThat(exportFolders()).isEqualTo(tempBefore); // the temporary store is deleted
    }

    @Test
    void the_file_is_zstd_compressed_parquet() throws Exception {
        Path out = dir.resolve("run.parquet");
        new DuckDbStore().exportParquet(List.of(spool(first)), out);

        assertThat(rows("SELECT DISTINCT compression FROM parquet_metadata('" + out + "')"))
                .containsExactly(List.of("ZSTD"));
    }

    @Test
    void two_runs_exported_together_keep_each_runs_trials_and_a_run_given_twice_is_exported_once() throws Exception {
        Path out = dir.resolve("two.parquet");

        Exported exported = new DuckDbStore().exportParquet(List.of(spool(first), spool(second), spool(first)), out);

        assertThat(exported.runs()).isEqualTo(2);
        assertThat(exported.trials()).isEqualTo(56);
        assertSameTrials(out, first);
        assertSameTrials(out, second);
    }

    @Test
    void the_stored_runs_a_query_picks_are_exported_with_the_same_figures() throws Exception {
        Path store = dir.resolve("h.duckdb");
        DuckDbStore history = new DuckDbStore();
        history.add(store, spool(first), WAIT);
        history.add(store, spool(second), WAIT);
        Path all = dir.resolve("all.parquet");
        Path newest = dir.resolve("newest.parquet");

        Exported everything = history.exportParquet(store, RunQuery.ALL, all, WAIT);
        Exported last = history.exportParquet(store, RunQuery.suite("regression", 1), newest, WAIT);

        assertThat(everything).isEqualTo(new Exported(all, 2, 56, Files.size(all)));
        assertSameTrials(all, first);
        assertSameTrials(all, second);
        assertThat(last).isEqualTo(new Exported(newest, 1, 28, Files.size(newest)));
        assertThat(rows("SELECT DISTINCT run_id FROM " + parquet(newest))).containsExactly(List.of(runId(second)));
        assertSameTrials(newest, second);
        Instant later = Instant.parse("2999-01-01T00:00:00Z");
        assertThat(history.exportParquet(store, new RunQuery(null, null, null, later, 0), newest, WAIT))
                .isEqualTo(new Exported(newest, 0, 0, Files.size(newest)));
        assertThat(rows("SELECT count(*) FROM " + parquet(newest))).containsExactly(List.of("0"));
        assertThat(history.exportParquet(store, new RunQuery("no-such-suite", null, null, null, 0), newest, WAIT).runs())
                .isZero();
    }

    @Test
    void runs_exported_in_several_batches_are_copied_into_one_file_in_start_order() throws Exception {
        Path store = dir.resolve("h.duckdb");
        DuckDbStore history = new DuckDbStore();
        history.add(store, spool(second), WAIT);
        history.add(store, spool(first), WAIT);
        Path out = dir.resolve("batched.parquet");

        Exported exported;
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, external())) {
            exported = ParquetExport.write(c, RunFilter.in(RunQuery.ALL, "run_id"), out, 28); // a batch per run
        }

        assertThat(exported).isEqualTo(new Exported(out, 2, 56, Files.size(out)));
        assertSameTrials(out, first);
        assertSameTrials(out, second);
        assertThat(rows("SELECT run_id FROM read_parquet('" + out + "', file_row_number = true) GROUP BY run_id"
                + " ORDER BY min(file_row_number)")).containsExactly(List.of(runId(first)), List.of(runId(second)));
    }

    @Test
    void a_run_larger_than_a_batch_is_cut_and_every_trial_is_exported_once() throws Exception {
        Path store = dir.resolve("h.duckdb");
        new DuckDbStore().add(store, spool(first), WAIT);
        Path out = dir.resolve("cut.parquet");

        Exported exported;
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, external())) {
            exported = ParquetExport.write(c, RunFilter.in(RunQuery.ALL, "run_id"), out, 5); // 6 shares
        }

        assertThat(exported).isEqualTo(new Exported(out, 1, 28, Files.size(out)));
        assertSameTrials(out, first);
    }

    private static Properties external() {
        Properties p = new Properties();
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("duckdb.read_only", "true");
        return p;
    }

    @Test
    void a_filter_value_is_bound_never_spliced_into_the_sql() throws Exception {
        Path store = dir.resolve("h.duckdb");
        new DuckDbStore().add(store, spool(first), WAIT);
        Path out = dir.resolve("x.parquet");

        Exported exported = new DuckDbStore().exportParquet(store, new RunQuery("x' OR '1'='1", null, null, null, 0),
                out, WAIT);

        assertThat(exported.runs()).isZero();
        assertThat(exported.trials()).isZero();
    }

    @Test
    void a_commit_that_is_not_a_hex_prefix_is_refused_in_one_line() {
        assertThatThrownBy(() -> new DuckDbStore().exportParquet(dir.resolve("h.duckdb"),
                new RunQuery(null, null, "abc", null, 0), dir.resolve("x.parquet"), WAIT))
                .isInstanceOf(HistoryException.class)
                .hasMessage("history: a commit is given by at least 4 of its hex digits, not 'abc'");
    }

    @Test
    void a_failed_export_leaves_the_previous_file_as_it_was() throws Exception {
        Path out = dir.resolve("run.parquet");
        Files.writeString(out, "previous");
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"row\":\"trial\"}\n");

        assertThatThrownBy(() -> new DuckDbStore().exportParquet(List.of(spool(first), bad), out))
                .isInstanceOf(HistoryException.class).hasMessageStartingWith("history: cannot export " + bad + ": ")
                .hasMessageContaining("a spool has one run row, first");
        assertThat(out).hasContent("previous");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void a_store_that_is_not_there_is_named_in_one_line() {
        Path store = dir.resolve("none.duckdb");
        assertThatThrownBy(() -> new DuckDbStore().exportParquet(store, RunQuery.ALL, dir.resolve("x.parquet"), WAIT))
                .isInstanceOf(HistoryException.class).hasMessage("history: no store at " + store);
    }

    @Test
    void the_columns_are_the_ones_readme_documents_in_order_and_type() throws Exception {
        Path out = dir.resolve("run.parquet");
        new DuckDbStore().exportParquet(List.of(spool(first)), out);
        Map<String, String> documented = documentedColumns();

        Map<String, String> actual = new LinkedHashMap<>();
        for (List<String> row : rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + parquet(out)
                + ")")) {
            actual.put(row.get(0), row.get(1));
        }

        assertThat(documented).hasSizeGreaterThan(30);
        assertThat(actual).containsExactlyEntriesOf(documented);
    }

    /** README's "Parquet export" table: column → type, in the order of its rows. */
    static Map<String, String> documentedColumns() throws IOException {
        List<String> lines = Files.readAllLines(PROJECT.resolve("README.md"));
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).startsWith("#") && lines.get(i).contains("Parquet export")) {
                start = i;
            }
        }
        assertThat(start).as("README has a heading with 'Parquet export'").isNotNegative();
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            String line = lines.get(i);
            if (line.startsWith("| `")) {
                List<String> cells = Stream.of(line.split("\\|")).map(String::strip).collect(Collectors.toList());
                columns.put(cells.get(1).replace("`", ""), cells.get(2).replace("`", ""));
            }
        }
        return columns;
    }

    private static Set<String> exportFolders() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(TempSweep.EXPORT_PREFIX))
                    .collect(Collectors.toSet());
        }
    }
}
