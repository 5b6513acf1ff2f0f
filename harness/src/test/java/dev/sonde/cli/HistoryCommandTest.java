package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.api.SecretMask;
import dev.sonde.history.HistoryStores;
import dev.sonde.history.RunSpool;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunLock;
import dev.sonde.journal.TrialResult;
import dev.sonde.lib.Sonde;
import dev.sonde.testing.Suites;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sonde history import} end to end on emulator runs, and the one line of a build without the module. */
class HistoryCommandTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    /** A class path with no history store on it: what sonde.jar alone sees. */
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

    private static Result sonde(HistoryStores.Places places, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), places, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String runId(Path runDir) throws IOException {
        return Journal.JSON.readTree(runDir.resolve("results.json").toFile()).path("run").path("run_id").asText();
    }

    @Test
    void runs_are_imported_one_line_each_and_a_second_import_replaces() throws Exception {
        String store = dir.resolve("reports/history.duckdb").toString();

        Result r = sonde(null, "history", "import", first.toString(), second.toString(), "--store", store);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("history: imported " + runId(first) + " (28 trials)",
                "history: imported " + runId(second) + " (28 trials)");
        assertThat(r.err()).isEmpty();

        Result again = sonde(null, "history", "import", first.toString(), "--store", store);
        assertThat(again.exit()).isZero();
        assertThat(again.out().lines()).containsExactly("history: replaced " + runId(first) + " (28 trials)");
    }

    @Test
    void a_folder_that_is_not_a_finished_run_is_one_line_and_exit_2_and_the_others_are_imported() throws Exception {
        Result r = sonde(null, "history", "import", dir.toString(), first.toString(), "--store",
                dir.resolve("h.duckdb").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("sonde history: " + dir + " is not a finished run (no results.json)");
        assertThat(r.out().lines()).containsExactly("history: imported " + runId(first) + " (28 trials)");
    }

    @Test
    void without_the_history_module_one_line_says_where_sonde_looked_and_exit_is_2() throws IOException {
        Path jar = dir.resolve("harness/target/sonde.jar");
        Files.writeString(Files.createDirectories(dir.resolve("harness")).resolve("pom.xml"), "<project/>"); // a checkout

        Result r = sonde(new HistoryStores.Places(NO_MODULE, null, jar), "history", "import", first.toString(),
                "--store", dir.resolve("h.duckdb").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly("sonde history: this build has no history store ("
                + dir.resolve("harness/target/sonde-history.jar") + " not found; " + dir.resolve("history/target/sonde-history.jar")
                + " not found; build it with 'mvn -B -DskipTests package', or set SONDE_HISTORY_JAR to a"
                + " sonde-history.jar)");
        assertThat(dir.resolve("h.duckdb")).doesNotExist();
    }

    @Test
    void a_sonde_history_jar_that_is_not_there_is_named() {
        Result r = sonde(new HistoryStores.Places(NO_MODULE, dir.resolve("none.jar").toString(), null), "history",
                "import", first.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("sonde history: this build has no history store ("
                + dir.resolve("none.jar") + " not found; not run from a jar; build it with 'mvn -B -DskipTests"
                + " package', or set SONDE_HISTORY_JAR to a sonde-history.jar)");
    }

    @Test
    void a_store_that_refuses_the_first_run_stops_the_import_in_one_line() throws Exception {
        Path store = dir.resolve("h.duckdb");
        assertThat(sonde(null, "history", "import", first.toString(), "--store", store.toString()).exit()).isZero();
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, new Properties());
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (99, now()::TIMESTAMP, 'later')");
        }

        Result r = sonde(null, "history", "import", first.toString(), second.toString(), "--store", store.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(2).first().asString()
                .startsWith("sonde history: " + store + " has schema version 99")
                .endsWith("(the file is left as it is)"); // not the temporary spool, deleted
        assertThat(r.err().lines()).last().isEqualTo("sonde history: not imported: " + first + ", " + second);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".history-"));
        }
    }

    @Test
    void a_folder_named_twice_is_imported_once() throws Exception {
        Path store = dir.resolve("h.duckdb");
        Path link = Files.createSymbolicLink(dir.resolve("link"), first);

        Result r = sonde(null, "history", "import", first.toString(), first.resolve(".").toString(), link.toString(),
                "--store", store.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines()).containsExactly("history: imported " + runId(first) + " (28 trials)");
    }

    @Test
    void a_run_the_store_refuses_mid_batch_is_named_kept_by_its_run_id_and_the_runs_after_it_go_in() throws Exception {
        Path store = dir.resolve("h.duckdb");
        Path bad = Files.createDirectories(dir.resolve("bad"));
        for (String f : List.of("run.json", "results.json")) {
            Files.writeString(bad.resolve(f), Files.readString(first.resolve(f)).replace(runId(first), "bad-run"));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(first.resolve("trials.jsonl")));
        lines.set(0, lines.get(0).replaceFirst("\"started_at\":\"[^\"]*\"",
                "\"started_at\":\"+300000-01-01T00:00:00Z\""));
        Files.write(bad.resolve("trials.jsonl"), lines); // a journal Sonde reads, a time DuckDB cannot hold

        Result r = sonde(null, "history", "import", first.toString(), bad.toString(), second.toString(), "--store",
                store.toString());

        Path kept = dir.resolve("h.duckdb.inbox").resolve("bad-run.jsonl.damaged");
        assertThat(r.exit()).as(r.err() + r.out()).isEqualTo(2);
        assertThat(r.out().lines()).as(r.err()).hasSize(3).contains(
                "history: imported " + runId(first) + " (28 trials)",
                "history: imported " + runId(second) + " (28 trials)");
        assertThat(r.out().lines()).filteredOn(l -> l.startsWith("history: set aside " + kept + " (")).hasSize(1);
        assertThat(r.err().lines()).containsExactly("sonde history: not imported: " + bad);
        assertThat(kept).isRegularFile();
    }

    @Test
    void a_resumed_run_is_imported_with_the_trials_results_json_counts_as_its_history_recorded_them() throws Exception {
        Path suites = Files.createDirectories(dir.resolve("suites"));
        Suites.fastEmulator(suites);
        Path suite = Files.writeString(suites.resolve("resume.yaml"), "name: resume\nemulator: {config: fast.yaml}\n"
                + "models: [{id: a, model: claude-haiku-4-5}]\ncases:\n"
                + "  - {id: one, prompt: \"Tell me about harbours\", assert: [{type: contains, value: \" \"}]}\n"
                + "  - {id: two, prompt: \"Tell me about bridges\", assert: [{type: contains, value: \" \"}]}\n"
                + "  - {id: three, prompt: \"Tell me about rivers\", assert: [{type: contains, value: \" \"}]}\n"
                + "run: {repeat: 2}\n");
        Path out = dir.resolve("resumed");
        assertThat(sonde(null, "run", suite.toString(), "-q", "--out", out.toString()).exit()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("trials.jsonl"));
        List<String> stopped = new ArrayList<>(lines.subList(0, 4));
        for (String line : lines.subList(4, lines.size())) { // a signal stopped it: the rest journaled as skipped
            TrialResult t = Journal.JSON.readValue(line, TrialResult.class);
            stopped.add(Journal.JSON.writeValueAsString(TrialResult.skipped(t.trialId(), t.caseId(), t.model(),
                    t.modelId(), t.repeat(), t.startedAt(), "interrupted (SIGINT)")));
        }
        Files.write(out.resolve("trials.jsonl"), stopped);
        Path live = dir.resolve("live.duckdb");
        Result resumed = sonde(null, "run", suite.toString(), "-q", "--resume", out.toString(), "--history=" + live);
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("trials.jsonl"))).hasSize(8); // 4, 2 skipped, their 2 results
        Path store = dir.resolve("imported.duckdb");

        Result r = sonde(null, "history", "import", out.toString(), "--store", store.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("history: imported " + runId(out) + " (6 trials)");
        long counted = Journal.JSON.readTree(out.resolve("results.json").toFile()).path("aggregates").path("run")
                .path("trials").asLong();
        String sql = "SELECT trial_id, skipped, pass, output_sha256 FROM trials ORDER BY trial_id";
        assertThat(rows(store, sql)).hasSize((int) counted).isEqualTo(rows(live, sql))
                .allSatisfy(row -> assertThat(row).contains("skipped=null"));
    }

    private static List<String> rows(Path store, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, readOnly);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " skipped=" + rs.getString(2) + " " + rs.getString(3) + " "
                        + rs.getString(4));
            }
        }
        return rows;
    }

    @Test
    void import_inbox_imports_the_queued_runs_and_says_how_many_are_left() throws Exception {
        Path store = dir.resolve("h.duckdb");
        Path inbox = Files.createDirectories(dir.resolve("h.duckdb.inbox"));
        RunSpool.write(first, inbox.resolve("queued-1.jsonl"), SecretMask.NONE);

        Result r = sonde(null, "history", "import", "--inbox", "--store", store.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("history: imported " + runId(first) + " (28 trials) from the inbox",
                "history: 0 runs still queued in the inbox");
        assertThat(inbox).isEmptyDirectory();
    }

    @Test
    void import_without_run_folders_or_inbox_is_one_line_and_exit_2() {
        Result r = sonde(null, "history", "import", "--store", dir.resolve("h.duckdb").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                "sonde history import: give RUN_DIR… to import, or --inbox to import the queued runs");
    }

    @Test
    void a_run_folder_another_command_holds_is_refused_in_one_line_and_the_others_are_imported() throws Exception {
        Path store = dir.resolve("h.duckdb");
        Result r;
        try (RunLock held = RunLock.acquire(first, "a resume")) { // as a --resume of the folder holds it
            r = sonde(null, "history", "import", first.toString(), second.toString(), "--store", store.toString());
        }

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("sonde history: import " + first + ": another sonde process (pid "
                + ProcessHandle.current().pid() + ") is using this folder; wait for it to end, or stop it");
        assertThat(r.out().lines()).containsExactly("history: imported " + runId(second) + " (28 trials)");
    }

    @Test
    void prune_keeps_the_newest_runs_outputs_and_says_what_it_deleted() throws Exception {
        Path store = dir.resolve("h.duckdb");
        assertThat(sonde(null, "history", "import", first.toString(), second.toString(), "--store", store.toString())
                .exit()).isZero();
        long outputs = Files.readAllLines(first.resolve("trials.jsonl")).stream()
                .filter(l -> !l.contains("\"output_text\":null") || !l.contains("\"tool_calls\":[]")).count();

        Result r = sonde(null, "history", "prune", "--keep-outputs", "1", "--store", store.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("history: deleted " + outputs + " outputs of 1 run; the outputs of 1"
                + " run are kept (the newest 1 of each suite)");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, new Properties());
                Statement s = c.createStatement();
                ResultSet left = s.executeQuery("SELECT string_agg(DISTINCT run_id, ',') FROM outputs")) {
            left.next();
            assertThat(left.getString(1)).isEqualTo(runId(second));
        }
    }

    @Test
    void prune_of_a_store_held_by_another_writer_changes_nothing_and_exits_3() throws Exception {
        Path store = dir.resolve("h.duckdb");
        assertThat(sonde(null, "history", "import", first.toString(), "--store", store.toString()).exit()).isZero();
        Result r;
        try (FileChannel lockFile = FileChannel.open(dir.resolve("h.duckdb.lock"), StandardOpenOption.WRITE);
                FileLock held = lockFile.lock()) {
            r = sonde(null, "history", "prune", "--keep-outputs", "0", "--store", store.toString(), "--wait", "0");
        }

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().lines()).containsExactly("sonde history: " + store + " was held by another writer for 0 s;"
                + " nothing pruned, try again when it ends");
        assertThat(sonde(null, "history", "prune", "--keep-outputs", "1", "--store", store.toString()).out())
                .startsWith("history: deleted 0 outputs of 0 runs; the outputs of 1 run are kept");
    }

    @Test
    void prune_refuses_a_negative_count_and_a_store_that_is_not_there_in_one_line() {
        Result negative = sonde(null, "history", "prune", "--keep-outputs", "-1");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err().lines()).containsExactly("sonde history prune: --keep-outputs must be 0 or more, not -1");

        Path none = dir.resolve("none.duckdb");
        Result absent = sonde(null, "history", "prune", "--keep-outputs", "3", "--store", none.toString());
        assertThat(absent.exit()).isEqualTo(2);
        assertThat(absent.err().lines()).containsExactly("sonde history: no store at " + none);
        assertThat(none).doesNotExist();
    }
}
