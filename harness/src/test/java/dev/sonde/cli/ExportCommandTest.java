package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.history.HistoryStores;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunLock;
import dev.sonde.lib.Sonde;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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

/** {@code sonde export} end to end on emulator runs: from run folders, from a store, and its one-line refusals. */
class ExportCommandTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final ClassLoader NO_MODULE = new URLClassLoader(new URL[0], null);

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
            Sonde.suite(PROJECT.resolve("suites/regression.yaml")).endpoint("emulator").concurrency(4).outDir(out)
                    .workDir(PROJECT).run();
        }
    }

    private static Result sonde(Map<String, String> env, HistoryStores.Places places, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(env, places, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Result sonde(String... args) {
        return sonde(Map.of(), null, args);
    }

    private static List<String> column(String sql) throws SQLException {
        Properties p = new Properties();
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        List<String> values = new ArrayList<>();
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", p); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    private static String runId(Path runDir) throws IOException {
        return Journal.JSON.readTree(runDir.resolve("results.json").toFile()).path("run").path("run_id").asText();
    }

    private static Set<String> tmpSpools() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".history-") && n.endsWith(".jsonl"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void run_folders_are_exported_in_one_line_and_read_back_with_their_trials_and_costs() throws Exception {
        Path out = dir.resolve("exports/trials.parquet");
        Set<String> spoolsBefore = tmpSpools();

        Result r = sonde("export", first.toString(), second.toString(), "--format", "parquet", "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines()).singleElement().asString()
                .matches("export: 2 runs, 56 trials → " + java.util.regex.Pattern.quote(out.toString())
                        + " \\(0\\.[0-9]{2} MB\\)");
        assertThat(column("SELECT count(*) FROM read_parquet('" + out + "')")).containsExactly("56");
        double cost = 0;
        for (Path run : List.of(first, second)) {
            cost += Journal.JSON.readTree(run.resolve("results.json").toFile()).path("aggregates").path("run")
                    .path("cost_usd").asDouble();
        }
        assertThat(Double.parseDouble(column("SELECT sum(cost_usd) FROM read_parquet('" + out + "')").get(0)))
                .isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(tmpSpools()).isEqualTo(spoolsBefore);
    }

    @Test
    void the_runs_of_a_store_are_exported_by_suite_and_last() throws Exception {
        Path store = dir.resolve("h.duckdb");
        assertThat(sonde("history", "import", first.toString(), second.toString(), "--store", store.toString()).exit())
                .isZero();
        Path out = dir.resolve("last.parquet");

        Result r = sonde("export", "--store", store.toString(), "--suite", "regression", "--last", "1", "--since",
                "2020-01-01", "--format", "parquet", "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("export: 1 run, 28 trials → " + out + " (");
        assertThat(column("SELECT DISTINCT run_id FROM read_parquet('" + out + "')")).containsExactly(runId(second));
    }

    @Test
    void a_key_of_the_environment_in_an_output_is_masked_in_the_file() throws Exception {
        String key = "sk-ant-api03-" + "Q".repeat(80) + "AA";
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String f : List.of("run.json", "results.json")) {
            Files.copy(first.resolve(f), copy.resolve(f));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(first.resolve("trials.jsonl")));
        lines.set(0, lines.get(0).replaceFirst("\"output_text\":\"[^\"]*\"", "\"output_text\":\"raw " + key + "\""));
        Files.write(copy.resolve("trials.jsonl"), lines);
        Path out = dir.resolve("masked.parquet");

        Result r = sonde(Map.of("ANTHROPIC_API_KEY", key), null, "export", copy.toString(), "--format", "parquet",
                "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(column("SELECT output_text FROM read_parquet('" + out + "') WHERE output_text LIKE 'raw %'"))
                .containsExactly("raw [masked]");
        assertThat(new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("QQQQQQQQ");
    }

    @Test
    void a_format_other_than_parquet_is_one_line_listing_the_formats() {
        Result r = sonde("export", first.toString(), "--format", "csv", "--out", dir.resolve("x").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("sonde export: --format must be one of parquet, not 'csv'");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void run_folders_and_a_store_are_one_or_the_other_and_the_store_filters_need_a_store() {
        String out = dir.resolve("x.parquet").toString();
        assertThat(sonde("export", "--format", "parquet", "--out", out).err().lines())
                .containsExactly("sonde export: give RUN_DIR… to export, or --store PATH");
        assertThat(sonde("export", first.toString(), "--store", "h.duckdb", "--format", "parquet").err().lines())
                .containsExactly("sonde export: give RUN_DIR… or --store PATH, not both");
        assertThat(sonde("export", first.toString(), "--suite", "regression", "--format", "parquet").err().lines())
                .containsExactly("sonde export: --suite, --last and --since pick the runs of a --store");
        Result since = sonde("export", "--store", "h.duckdb", "--since", "yesterday", "--format", "parquet");
        assertThat(since.exit()).isEqualTo(2);
        assertThat(since.err().lines()).containsExactly("sonde export: --since must be a date (2026-11-01) or an ISO"
                + " instant (2026-11-01T12:00:00Z), not 'yesterday'");
        assertThat(dir.resolve("x.parquet")).doesNotExist();
    }

    @Test
    void a_folder_that_is_not_a_finished_run_stops_the_export_in_one_line_with_no_file_and_no_spool_left()
            throws Exception {
        Path out = dir.resolve("x.parquet");
        Set<String> spoolsBefore = tmpSpools();

        Result r = sonde("export", first.toString(), dir.toString(), "--format", "parquet", "--out", out.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly("sonde history: " + dir + " is not a finished run (no results.json)");
        assertThat(out).doesNotExist();
        assertThat(tmpSpools()).isEqualTo(spoolsBefore);
    }

    @Test
    void a_run_folder_another_command_holds_stops_the_export_in_one_line() throws Exception {
        Path out = dir.resolve("x.parquet");
        Result r;
        try (RunLock held = RunLock.acquire(second, "a resume")) {
            r = sonde("export", first.toString(), second.toString(), "--format", "parquet", "--out", out.toString());
        }

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("sonde history: export " + second + ": another sonde process"
                + " (pid " + ProcessHandle.current().pid() + ") is using this folder; wait for it to end, or stop it");
        assertThat(out).doesNotExist();
    }

    @Test
    void a_store_that_is_not_there_is_one_line() {
        Path store = dir.resolve("none.duckdb");

        Result r = sonde("export", "--store", store.toString(), "--format", "parquet", "--out",
                dir.resolve("x.parquet").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("sonde history: no store at " + store);
    }

    @Test
    void without_the_history_module_one_line_says_so() {
        Result r = sonde(Map.of(), new HistoryStores.Places(NO_MODULE, dir.resolve("none.jar").toString(), null),
                "export", first.toString(), "--format", "parquet", "--out", dir.resolve("x.parquet").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString().startsWith("sonde export: this build has no history store (");
        assertThat(dir.resolve("x.parquet")).doesNotExist();
    }
}
