package dev.sonde.history.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.api.ApiKey;
import dev.sonde.api.SecretMask;
import dev.sonde.history.Added;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.RunQuery;
import dev.sonde.history.RunSpool;
import dev.sonde.journal.Journal;
import dev.sonde.lib.Sonde;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB store on two real emulator runs of the regression suite: import and read back, a
 * re-import that replaces, two writers at once, a newer schema refused, and masking kept.
 */
class DuckDbStoreTest {
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

    private Path spool(Path runDir, SecretMask mask) throws HistoryException, IOException {
        return RunSpool.write(runDir, Files.createTempFile(dir, "spool-", ".jsonl"), mask).file();
    }

    private List<Added> add(Path store, Path runDir) throws Exception {
        return new DuckDbStore().add(store, spool(runDir, SecretMask.NONE), WAIT);
    }

    private static Connection connect(Path store) throws SQLException {
        Properties p = new Properties();
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        return new DuckDBDriver().connect("jdbc:duckdb:" + store, p);
    }

    private static List<String> column(Path store, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(store); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    private static String runId(Path runDir) throws IOException {
        return Journal.JSON.readTree(runDir.resolve("results.json").toFile()).path("run").path("run_id").asText();
    }

    @Test
    void two_runs_are_imported_and_read_back_with_the_figures_of_results_json() throws Exception {
        Path store = dir.resolve("reports/history.duckdb");

        long start = System.nanoTime();
        List<Added> a = add(store, first);
        long firstMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        List<Added> b = add(store, second);
        long secondMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("history import: a run %d ms, the next %d ms (same JVM); store of two runs %d bytes%n",
                firstMillis, secondMillis, Files.size(store));

        assertThat(a).singleElement().isEqualTo(new Added.Imported(runId(first), 28, false, false));
        assertThat(b).singleElement().extracting(Added::line)
                .isEqualTo("history: imported " + runId(second) + " (28 trials)");
        List<HistoryStore.StoredRun> stored = new DuckDbStore().runs(store, RunQuery.ALL, DuckDbStore.READ_WAIT);
        assertThat(stored).extracting(r -> r.run().runId()).containsExactly(runId(first), runId(second));
        assertThat(stored).extracting(HistoryStore.StoredRun::trials).containsExactly(28L, 28L);
        assertThat(stored.get(0).run().suite()).isEqualTo("regression");
        assertThat(stored.get(0).run().startedAt()).isNotNull();

        JsonNode results = Journal.JSON.readTree(second.resolve("results.json").toFile());
        JsonNode agg = results.path("aggregates").path("run");
        String where = " FROM run_stats WHERE scope = 'run' AND run_id = '" + runId(second) + "'";
        assertThat(column(store, "SELECT ttft_p95_ms" + where)).containsExactly(agg.path("ttft_ms").path("p95").asText());
        assertThat(Double.parseDouble(column(store, "SELECT cost_usd" + where).get(0)))
                .isEqualTo(agg.path("cost_usd").asDouble());
        assertThat(Double.parseDouble(column(store, "SELECT sum(cost_usd) FROM trials WHERE run_id = '" + runId(second)
                + "'").get(0))).isCloseTo(agg.path("cost_usd").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(column(store, "SELECT count(*) FROM run_models")).containsExactly("4");
        assertThat(column(store, "SELECT count(DISTINCT run_id) FROM checks")).containsExactly("2");
        assertThat(column(store, "SELECT count(*) FROM gates WHERE run_id = '" + runId(second) + "'"))
                .containsExactly(String.valueOf(results.path("comparison").path("verdict").path("gates").size()));
        assertThat(column(store, "SELECT max(version) FROM schema_version"))
                .containsExactly(String.valueOf(Schema.LATEST));
        assertThat(Version.current()).isNotBlank();
        assertThat(column(store, "SELECT DISTINCT sonde_version FROM schema_version")).containsExactly(Version.current());
        assertThat(column(store, "SELECT value FROM meta WHERE key = 'created_by_sonde'"))
                .containsExactly(Version.current());
        assertThat(column(store, "SELECT value FROM meta WHERE key = 'created_by_duckdb'")).singleElement().asString()
                .startsWith("v1.4.4");
    }

    @Test
    void a_run_imported_again_replaces_its_rows_and_is_not_duplicated() throws Exception {
        Path store = dir.resolve("h.duckdb");
        add(store, first);
        add(store, second);

        List<Added> again = add(store, first);

        assertThat(again).singleElement().extracting(Added::line)
                .isEqualTo("history: replaced " + runId(first) + " (28 trials)");
        assertThat(column(store, "SELECT count(*) FROM runs")).containsExactly("2");
        assertThat(column(store, "SELECT count(*) FROM trials")).containsExactly("56");
        assertThat(column(store, "SELECT count(*) FROM run_stats WHERE scope = 'run'")).containsExactly("2");
    }

    @Test
    void a_writer_that_waits_past_its_bound_queues_and_the_next_writer_imports_the_queue() throws Exception {
        Path store = dir.resolve("h.duckdb");
        List<String> said = new ArrayList<>();
        try (StoreLock held = ((StoreLock.Taken) StoreLock.acquire(DuckDbStore.sibling(store.toAbsolutePath(), ".lock"),
                Duration.ZERO, Clock.system())).lock()) {
            for (int i = 0; i < 2; i++) { // the same run queued twice: two files, neither replaced
                Process other = writer(store, first, 300);
                assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
                said.add(new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                assertThat(other.exitValue()).as(said.get(i)).isZero();
            }
        }
        assertThat(said).containsOnly("history: store busy (pid " + ProcessHandle.current().pid() + "); queued "
                + runId(first) + " in " + dir.resolve("h.duckdb.inbox") + ", imported by the next writer");
        String queuedName = Pattern.quote(runId(first)) + "-[0-9a-f]+\\.jsonl";
        try (Stream<Path> queued = Files.list(dir.resolve("h.duckdb.inbox"))) {
            assertThat(queued.map(p -> p.getFileName().toString())).hasSize(2).allMatch(n -> n.matches(queuedName));
        }

        List<Added> next = add(store, second);

        assertThat(next).extracting(Added::line).containsExactly(
                "history: imported " + runId(first) + " (28 trials) from the inbox",
                "history: imported " + runId(first) + " (28 trials) from the inbox", // not in the store before
                "history: imported " + runId(second) + " (28 trials)");
        assertThat(new DuckDbStore().runs(store, RunQuery.ALL, DuckDbStore.READ_WAIT)).hasSize(2);
        assertThat(dir.resolve("h.duckdb.inbox")).isEmptyDirectory();
    }

    @Test
    void an_inbox_spool_the_tables_refuse_is_set_aside_and_the_writers_own_run_lands() throws Exception {
        Path store = dir.resolve("h.duckdb");
        Path inbox = Files.createDirectories(dir.resolve("h.duckdb.inbox"));
        Path bad = inbox.resolve("bad.jsonl");
        Files.writeString(bad, Files.readString(spool(first, SecretMask.NONE))
                .replaceFirst("\"trial_id\":\"[^\"]*\"", "\"trial_id\":null"));

        List<Added> added = add(store, second);

        assertThat(added).hasSize(2);
        assertThat(added.get(0)).isInstanceOf(Added.SetAside.class);
        assertThat(added.get(0).line()).startsWith("history: set aside " + inbox.resolve("bad.jsonl.damaged") + " (")
                .contains("NOT NULL");
        assertThat(added.get(1)).isEqualTo(new Added.Imported(runId(second), 28, false, false));
        assertThat(bad).doesNotExist();
        assertThat(column(store, "SELECT count(*) FROM trials")).containsExactly("28");
    }

    @Test
    void a_run_the_tables_refuse_is_kept_in_the_inbox_and_named_in_the_error() throws Exception {
        Path store = dir.resolve("h.duckdb");
        Path spool = spool(first, SecretMask.NONE);
        Files.writeString(spool, Files.readString(spool)
                .replaceFirst("\"trial_id\":\"[^\"]*\"", "\"trial_id\":null"));
        Path kept = dir.resolve("h.duckdb.inbox").resolve(runId(first) + ".jsonl.damaged");

        assertThatThrownBy(() -> new DuckDbStore().add(store, spool, WAIT)).isInstanceOf(HistoryException.class)
                .hasMessageContaining("NOT NULL").hasMessageEndingWith("; the run is kept in " + kept);
        assertThat(kept).isRegularFile();
        assertThat(spool).doesNotExist();
        assertThat(column(store, "SELECT count(*) FROM trials")).containsExactly("0");
    }

    @Test
    void a_batch_goes_on_past_a_run_the_tables_refuse_and_keeps_it_in_the_inbox_by_its_run_id() throws Exception {
        Path store = dir.resolve("h.duckdb");
        Path bad = spool(first, SecretMask.NONE);
        Files.writeString(bad, Files.readString(bad).replace(runId(first), "bad-run")
                .replaceFirst("\"trial_id\":\"[^\"]*\"", "\"trial_id\":null"));
        List<Added> told = new ArrayList<>();

        List<Added> added = new DuckDbStore().add(store, List.of(spool(first, SecretMask.NONE), bad,
                spool(second, SecretMask.NONE)), WAIT, told::add);

        Path kept = dir.resolve("h.duckdb.inbox").resolve("bad-run.jsonl.damaged");
        assertThat(added).isEqualTo(told).hasSize(3);
        assertThat(added.get(0)).isEqualTo(new Added.Imported(runId(first), 28, false, false));
        assertThat(added.get(1)).isInstanceOfSatisfying(Added.SetAside.class, a -> {
            assertThat(a.runId()).isEqualTo("bad-run");
            assertThat(a.file()).isEqualTo(kept);
            assertThat(a.why()).contains("NOT NULL");
        });
        assertThat(added.get(2)).isEqualTo(new Added.Imported(runId(second), 28, false, false));
        assertThat(kept).isRegularFile();
        assertThat(bad).doesNotExist();
        assertThat(column(store, "SELECT count(*) FROM trials")).containsExactly("56");
        assertThat(column(store, "SELECT run_id FROM runs ORDER BY run_id"))
                .containsExactlyInAnyOrder(runId(first), runId(second));
    }

    @Test
    void a_run_given_twice_in_one_batch_is_imported_not_replaced_when_the_store_never_had_it() throws Exception {
        Path store = dir.resolve("h.duckdb");

        List<Added> added = new DuckDbStore().add(store, List.of(spool(first, SecretMask.NONE),
                spool(first, SecretMask.NONE)), WAIT, a -> {});

        assertThat(added).extracting(Added::line).containsExactly("history: imported " + runId(first) + " (28 trials)",
                "history: imported " + runId(first) + " (28 trials)");
        assertThat(column(store, "SELECT count(*) FROM trials")).containsExactly("28");
        assertThat(new DuckDbStore().add(store, List.of(spool(first, SecretMask.NONE)), WAIT, a -> {}))
                .extracting(Added::line).containsExactly("history: replaced " + runId(first) + " (28 trials)");
    }

    @Test
    void a_writer_waits_for_another_program_reading_the_file_instead_of_queueing() throws Exception {
        Path store = dir.resolve("h.duckdb");
        add(store, first);
        Process reader = holder(store, "ro", 2000);

        long start = System.nanoTime();
        List<Added> added = add(store, second);

        assertThat(added).singleElement().isEqualTo(new Added.Imported(runId(second), 28, false, false));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1000));
        assertThat(reader.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_reader_waits_for_another_program_writing_the_file() throws Exception {
        Path store = dir.resolve("h.duckdb");
        add(store, first);
        Process other = holder(store, "rw", 2000);

        List<HistoryStore.StoredRun> stored = new DuckDbStore().runs(store, RunQuery.ALL, DuckDbStore.READ_WAIT);

        assertThat(stored).extracting(r -> r.run().runId()).containsExactly(runId(first));
        assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Another process with the store open until it has slept {@code millis}; returns once it holds it. */
    private static Process holder(Path store, String mode, long millis) throws IOException {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                HoldMain.class.getName(), store.toString(), mode, String.valueOf(millis)).redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat(first).isEqualTo("held");
        return p;
    }

    @Test
    void stores_whose_names_differ_only_in_extension_have_their_own_lock_and_inbox() {
        List<Path> stores = List.of(dir.resolve("h.duckdb"), dir.resolve("h.db"), dir.resolve("h"));

        assertThat(stores).extracting(s -> DuckDbStore.sibling(s, ".lock").getFileName().toString())
                .containsExactly("h.duckdb.lock", "h.db.lock", "h.lock");
        assertThat(stores).extracting(s -> DuckDbStore.sibling(s, ".inbox").getFileName().toString())
                .containsExactly("h.duckdb.inbox", "h.db.inbox", "h.inbox");
    }

    @Test
    void a_second_caller_of_the_jvm_that_gives_up_leaves_the_first_holding_the_lock() throws Exception {
        Path store = dir.resolve("h.duckdb");
        Path lockFile = DuckDbStore.sibling(store.toAbsolutePath(), ".lock");
        try (StoreLock held = ((StoreLock.Taken) StoreLock.acquire(lockFile, Duration.ZERO, Clock.system())).lock()) {
            CompletableFuture<StoreLock.Outcome> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return StoreLock.acquire(lockFile, Duration.ofMillis(100), Clock.system());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(new StoreLock.Busy(ProcessHandle.current().pid()));

            Process other = writer(store, first, 300);
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String said = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(said).startsWith("history: store busy (pid " + ProcessHandle.current().pid() + "); queued ");
        }
        assertThat(StoreLock.acquire(lockFile, Duration.ZERO, Clock.system())).isInstanceOf(StoreLock.Taken.class)
                .satisfies(taken -> ((StoreLock.Taken) taken).lock().close());
    }

    @Test
    void two_writer_processes_at_once_both_land() throws Exception {
        Path store = dir.resolve("h.duckdb");
        Path go = dir.resolve("go");

        Process a = java(HoldThenAddMain.class, store.toString(), first.toString(), go.toString());
        assertThat(new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8)).readLine())
                .isEqualTo("held");
        Process b = writer(store, second, 60_000);
        Thread.sleep(1500); // b is past its start-up and waiting on the lock a holds
        assertThat(b.isAlive()).as("the second writer waits while the first holds the store").isTrue();
        Files.createFile(go);

        for (Process p : List.of(a, b)) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(said).isZero();
            assertThat(said.strip()).startsWith("history: imported ");
        }
        assertThat(new DuckDbStore().runs(store, RunQuery.ALL, DuckDbStore.READ_WAIT)).extracting(r -> r.run().runId())
                .containsExactlyInAnyOrder(runId(first), runId(second));
    }

    private static Process java(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void a_store_of_a_newer_schema_is_refused_in_one_line_and_left_as_it_is_and_so_is_the_spool() throws Exception {
        Path store = dir.resolve("h.duckdb");
        add(store, first);
        int newer = Schema.LATEST + 1;
        try (Connection c = connect(store); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (" + newer + ", now()::TIMESTAMP, 'later')");
        }
        byte[] before = sha256(store);
        String line = "history: " + store.toAbsolutePath() + " has schema version " + newer + ", newer than this"
                + " Sonde's " + Schema.LATEST + "; use a newer Sonde, or another --store (the file is left as it is)";
        Path spool = spool(second, SecretMask.NONE);
        byte[] spooled = sha256(spool);

        assertThatThrownBy(() -> new DuckDbStore().add(store, spool, WAIT)).isInstanceOf(HistoryException.class)
                .hasMessage(line + "; the spool " + spool + " is left as it was");
        assertThat(sha256(spool)).as("the caller's spool, possibly a run's only copy").isEqualTo(spooled);
        assertThat(dir.resolve("h.duckdb.inbox")).doesNotExist();
        assertThatThrownBy(() -> new DuckDbStore().runs(store, RunQuery.ALL, DuckDbStore.READ_WAIT)).isInstanceOf(HistoryException.class).hasMessage(line);
        assertThat(sha256(store)).isEqualTo(before);
        assertThat(column(store, "SELECT count(*) FROM runs")).containsExactly("1");
    }

    @Test
    void outputs_are_stored_as_masked_as_the_journal_and_a_key_of_the_environment_is_masked_too() throws Exception {
        String key = "sk-ant-api03-" + "Z".repeat(80) + "AA";
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        for (String f : List.of("run.json", "results.json")) {
            Files.copy(first.resolve(f), copy.resolve(f));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(first.resolve("trials.jsonl")));
        lines.set(0, lines.get(0).replaceFirst("\"output_text\":\"[^\"]*\"", "\"output_text\":\"echo [masked] done\""));
        lines.set(1, lines.get(1).replaceFirst("\"output_text\":\"[^\"]*\"", "\"output_text\":\"raw " + key + "\""));
        Files.write(copy.resolve("trials.jsonl"), lines);
        Path store = dir.resolve("h.duckdb");

        new DuckDbStore().add(store, spool(copy, SecretMask.of(ApiKey.of(key))), WAIT);

        assertThat(column(store, "SELECT output_text FROM outputs WHERE output_text LIKE '%[masked]%' ORDER BY 1"))
                .containsExactly("echo [masked] done", "raw [masked]");
        assertThat(column(store, "SELECT count(*) FROM outputs WHERE output_text LIKE '%sk-ant-%'")).containsExactly("0");
    }

    @Test
    void a_temporary_folder_the_native_library_cannot_be_unpacked_into_is_named_in_one_line() throws Exception {
        assertNativeLibraryRefused(dir.resolve("no-such-tmp"));
    }

    /**
     * A {@code noexec} mount needs root; a {@code java.io.tmpdir} that is a file fails the same load
     * (the driver's copy of its library cannot be made) for any user, root included.
     */
    @Test
    void a_java_io_tmpdir_that_is_a_file_is_named_in_one_line_and_the_spool_is_kept() throws Exception {
        Path file = Files.writeString(dir.resolve("tmp-is-a-file"), "not a folder");
        assertNativeLibraryRefused(file);
    }

    private void assertNativeLibraryRefused(Path tmpdir) throws Exception {
        Process p = writer(store(), first, 1000, "-Djava.io.tmpdir=" + tmpdir);

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("WARNING: java.io.tmpdir")).toList(); // the JDK's own line
        assertThat(p.exitValue()).as(String.join("\n", said)).isEqualTo(2);
        assertThat(said).singleElement().asString()
                .startsWith("history: DuckDB's native library cannot load from java.io.tmpdir (" + tmpdir + "): ")
                .containsPattern(Pattern.quote("; point -Djava.io.tmpdir at a writable folder that allows executables"
                        + "; the spool " + dir.resolve(".spool-")) + "[0-9]+\\.jsonl is left as it was$");
        try (Stream<Path> spools = Files.list(dir)) {
            assertThat(spools.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith(".spool-"));
        }
    }

    private Path store() {
        return dir.resolve("h.duckdb");
    }

    private static Process writer(Path store, Path runDir, long waitMillis, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AddMain.class.getName(), store.toString(),
                runDir.toString(), String.valueOf(waitMillis)));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
