package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.Journal;
import dev.sonde.lib.Sonde;
import dev.sonde.session.HistoryResult;
import dev.sonde.session.SuiteSession;
import dev.sonde.testing.Suites;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sonde run --history}: the finished run adds itself to the store from its one pass, never
 * reading its journal again; a resumed run rebuilds its trial rows; a store that cannot take the run
 * never changes the exit code, and says where the run is kept and how to add it later.
 */
class HistoryRunTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err, long journalReads) {}

    private static Result sonde(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long reads = Journal.reads();
        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString(), Journal.reads() - reads);
    }

    private Path suite(String name, String extra) throws IOException {
        Path suites = Files.createDirectories(dir.resolve("suites"));
        Suites.fastEmulator(suites);
        Path file = suites.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\nemulator: {config: fast.yaml}\n"
                + "models: [{id: a, model: claude-haiku-4-5}]\n"
                + "cases:\n"
                + "  - {id: one, prompt: \"Tell me about harbours\", assert: [{type: contains, value: \" \"}]}\n"
                + "  - {id: two, prompt: \"Tell me about bridges\", assert: [{type: contains, value: \" \"}]}\n"
                + "  - {id: three, prompt: \"Tell me about rivers\", assert: [{type: contains, value: \" \"}]}\n"
                + "run: {repeat: 2}\n" + extra);
        return file;
    }

    private static String runId(Path runDir) throws IOException {
        return Journal.JSON.readTree(runDir.resolve("results.json").toFile()).path("run").path("run_id").asText();
    }

    /** The trial rows the store holds per run id. */
    private static Map<String, Long> storedTrials(Path store) throws Exception {
        Map<String, Long> counts = new java.util.TreeMap<>();
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, readOnly);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT run_id, count(*) FROM trials GROUP BY run_id")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    @Test
    void a_run_with_history_adds_itself_without_reading_its_journal_and_says_so_in_one_line() throws Exception {
        Path out = dir.resolve("run");
        Path store = dir.resolve("h/history.duckdb");

        Result r = sonde("run", suite("small", "").toString(), "-q", "--out", out.toString(), "--history=" + store);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.journalReads()).as("journal reads").isZero();
        assertThat(r.out().lines().toList()).last().isEqualTo("history: imported " + runId(out) + " (6 trials) into "
                + store);
        assertThat(r.err()).doesNotContain("history");
        assertThat(storedTrials(store)).containsExactly(Map.entry(runId(out), 6L));
        try (var left = Files.list(out)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".history-"));
        }
    }

    @Test
    void the_suites_history_key_records_and_the_flag_wins_over_it() throws Exception {
        Path suite = suite("keyed", "history: ../stores/suite.duckdb\n");
        Path viaSuite = dir.resolve("by-suite");
        Path viaFlag = dir.resolve("by-flag");
        Path off = dir.resolve("off");

        Result bySuite = sonde("run", suite.toString(), "-q", "--out", viaSuite.toString());
        Result byFlag = sonde("run", "--history=" + dir.resolve("flag.duckdb"), suite.toString(), "-q", "--out",
                viaFlag.toString());
        Result none = sonde("run", suite.toString(), "--no-history", "-q", "--out", off.toString());

        assertThat(bySuite.out()).contains("history: imported " + runId(viaSuite) + " (6 trials) into "
                + dir.resolve("stores/suite.duckdb"));
        assertThat(byFlag.out()).contains("into " + dir.resolve("flag.duckdb"));
        assertThat(storedTrials(dir.resolve("stores/suite.duckdb"))).containsOnlyKeys(runId(viaSuite));
        assertThat(none.exit()).isZero();
        assertThat(none.out() + none.err()).doesNotContain("history");
    }

    @Test
    void history_alone_keeps_the_suite_as_the_suite_and_history_with_no_history_is_refused() throws Exception {
        Path suite = suite("alone", "");
        Path out = dir.resolve("alone-run");

        Result both = sonde("run", suite.toString(), "--history", "--no-history", "--out", out.toString());
        assertThat(both.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(both.err().lines()).containsExactly("sonde: --history and --no-history: give one of them");
        assertThat(out).doesNotExist();

        Result wait = sonde("run", suite.toString(), "--history-wait", "-1", "--out", out.toString());
        assertThat(wait.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(wait.err().lines()).containsExactly("sonde: --history-wait must be 0 or more seconds, not -1");
    }

    @Test
    void a_resumed_run_rebuilds_its_trial_rows_from_its_one_pass() throws Exception {
        Path suite = suite("resume", "");
        Path out = dir.resolve("resumed");
        Path store = dir.resolve("r.duckdb");
        assertThat(sonde("run", suite.toString(), "-q", "--out", out.toString()).exit()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("trials.jsonl"));
        Files.write(out.resolve("trials.jsonl"), lines.subList(0, 4)); // the process died after four trials
        Files.writeString(out.resolve(".history-trials.jsonl"), "{\"row\":\"trial\",\"trial_id\":\"stale\"}\n");

        Result r = sonde("run", suite.toString(), "-q", "--resume", out.toString(), "--history=" + store);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.journalReads()).as("the resume's own read of the old journal, no more").isEqualTo(1);
        assertThat(r.out()).contains("history: imported " + runId(out) + " (6 trials) into " + store);
        assertThat(storedTrials(store)).containsExactly(Map.entry(runId(out), 6L));
    }

    @Test
    void a_store_that_cannot_take_the_run_leaves_the_exit_code_and_keeps_the_spool() throws Exception {
        Path out = dir.resolve("kept");
        Path store = Files.writeString(dir.resolve("not-a-store.duckdb"), "this is not a DuckDB file\n");

        Result r = sonde("run", suite("refused", "").toString(), "-q", "--out", out.toString(), "--history=" + store);

        assertThat(r.exit()).as("the run's own verdict").isZero();
        assertThat(r.out()).doesNotContain("history");
        List<String> history = r.err().lines().filter(l -> l.startsWith("history:")).toList();
        assertThat(history).singleElement().asString().startsWith("history: NOT recorded: ")
                .endsWith("; the spool " + out.resolve(".history-run.jsonl") + " is left as it was; add it later with"
                        + " 'sonde history import " + out + "'");
        assertThat(history.get(0)).as("the spool named once").containsOnlyOnce(".history-run.jsonl");
        assertThat(out.resolve(".history-run.jsonl")).isRegularFile();

        Path good = dir.resolve("good.duckdb");
        Result later = sonde("history", "import", out.toString(), "--store", good.toString());
        assertThat(later.exit()).as(later.err()).isZero();
        assertThat(storedTrials(good)).containsExactly(Map.entry(runId(out), 6L));
    }

    @Test
    void history_true_from_the_library_is_the_default_store_named_relative_to_the_working_directory() throws Exception {
        Path out = dir.resolve("lib-run");

        SuiteSession.Outcome ended = Sonde.suite(suite("library", "")).history(true).outDir(out).workDir(dir)
                .env(Map.of()).run();

        HistoryResult history = ((SuiteSession.Evaluated) ended).history();
        assertThat(history.recorded()).isTrue();
        assertThat(history.lines()).containsExactly("history: imported " + runId(out) + " (6 trials) into "
                + Path.of("reports", "history.duckdb"));
        assertThat(storedTrials(dir.resolve("reports/history.duckdb"))).containsOnlyKeys(runId(out));
    }

    @Test
    void a_run_stopped_by_its_budget_is_recorded_with_why_it_stopped_as_an_import_of_its_folder_records_it()
            throws Exception {
        Path out = dir.resolve("stopped");
        Path store = dir.resolve("s.duckdb");

        Result r = sonde("run", suite("capped", "budget: {max_trials: 2}\n").toString(), "-q", "--out", out.toString(),
                "--history=" + store);

        assertThat(r.exit()).isEqualTo(Main.CANNOT_PROCEED);
        assertThat(r.err()).doesNotContain("NOT recorded").doesNotContain("--history records it");
        String runId = runId(out);
        assertThat(r.out().lines().toList()).last().asString().startsWith("history: imported " + runId + " (")
                .endsWith(" trials) into " + store);
        assertThat(out.resolve(".history-trials.jsonl")).doesNotExist();
        assertThat(out.resolve(".history-run.jsonl")).doesNotExist();
        assertThat(storedStops(store)).containsExactly(Map.entry(runId, Journal.JSON.readTree(
                out.resolve("results.json").toFile()).path("stopped_by").asText()));
        assertThat(storedStops(store).get(runId)).isNotBlank();

        Path imported = dir.resolve("i.duckdb");
        assertThat(sonde("history", "import", out.toString(), "--store", imported.toString()).exit()).isZero();
        assertThat(storedTrials(store)).isEqualTo(storedTrials(imported));
        assertThat(storedStops(store)).isEqualTo(storedStops(imported));
    }

    /** Each stored run's {@code stopped_by}, "" for none. */
    private static Map<String, String> storedStops(Path store) throws Exception {
        Map<String, String> stops = new java.util.TreeMap<>();
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, readOnly);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT run_id, coalesce(stopped_by, '') FROM runs")) {
            while (rs.next()) {
                stops.put(rs.getString(1), rs.getString(2));
            }
        }
        return stops;
    }

    @Test
    void a_signal_while_the_add_waits_for_the_store_ends_the_wait_keeps_the_spool_and_exits_with_the_verdict()
            throws Exception {
        Path suite = suite("waited", "");
        Path out = dir.resolve("waited");
        Path store = dir.resolve("w.duckdb");
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        try (FileChannel channel = FileChannel.open(dir.resolve("w.duckdb.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            Process run = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "run", suite.toString(), "-q", "--out", out.toString(), "--history=" + store,
                    "--history-wait", "300").redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!(Files.exists(stdout) && Files.readString(stdout).contains("report: "))) {
                    assertThat(run.isAlive()).as("the run ends only when the store is free").isTrue();
                    assertThat(System.nanoTime()).as("the verdict is printed before the add waits").isLessThan(deadline);
                    Thread.sleep(50);
                }
                Thread.sleep(500); // in the store's wait now

                run.destroy(); // SIGTERM, handled as Ctrl-C is

                assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the wait ends at the signal").isTrue();
            } finally {
                run.destroyForcibly();
            }
            assertThat(run.exitValue()).as(Files.readString(stderr)).isEqualTo(Main.PASSED);
        }
        Path spool = out.resolve(".history-run.jsonl");
        List<String> history = Files.readAllLines(stderr).stream().filter(l -> l.startsWith("history:")).toList();
        assertThat(history).singleElement().asString().startsWith("history: NOT recorded: interrupted while waiting for ")
                .endsWith("; the spool " + spool + " is left as it was; add it later with 'sonde history import "
                        + out + "'");
        assertThat(Files.readString(stdout)).contains("PASS").doesNotContain("STOPPED");
        assertThat(Files.readString(stderr)).doesNotContain("sonde: interrupted");
        assertThat(spool).isRegularFile();
        assertThat(sonde("history", "import", out.toString(), "--store", store.toString()).exit()).isZero();
        assertThat(storedTrials(store)).containsExactly(Map.entry(runId(out), 6L));
    }

    @Test
    void a_run_of_a_selection_is_recorded_as_a_part_and_left_out_of_the_trend_like_a_shard() throws Exception {
        Path suite = suite("selected", "");
        Path store = dir.resolve("p.duckdb");
        Path whole = dir.resolve("whole");
        Path part = dir.resolve("part");
        assertThat(sonde("run", suite.toString(), "-q", "--out", whole.toString(), "--history=" + store).exit())
                .isZero();
        String picked = SuiteSession.plan(suite, null).trials().get(0).id();

        SuiteSession.Outcome ended = Sonde.suite(suite).only(Set.of(picked)).history(store).outDir(part).workDir(dir)
                .env(Map.of()).run();

        assertThat(((SuiteSession.Evaluated) ended).history().recorded()).isTrue();
        assertThat(Journal.JSON.readTree(part.resolve("run.json").toFile()).path("part").asBoolean()).isTrue();
        assertThat(Journal.JSON.readTree(whole.resolve("run.json").toFile()).has("part")).isFalse();
        assertThat(storedParts(store)).containsExactly(Map.entry(runId(whole), false), Map.entry(runId(part), true));

        Result trend = sonde("history", "trend", "--store", store.toString());
        assertThat(trend.exit()).as(trend.err()).isZero();
        assertThat(trend.out().lines().findFirst().orElseThrow()).startsWith("history: 1 of 1 runs of selected since ")
                .endsWith("; 1 shard or part run left out (--shards shows them)");
        assertThat(trend.out()).doesNotContain(", part");
        Result both = sonde("history", "trend", "--store", store.toString(), "--shards");
        assertThat(both.out().lines().filter(l -> l.contains(", part"))).hasSize(1);
        Result runs = sonde("history", "runs", "--store", store.toString());
        String partId = runId(part);
        assertThat(runs.out().lines().filter(l -> l.startsWith(partId))).singleElement().asString()
                .contains(", part");
    }

    /** Each stored run's {@code part} column, null read as false. */
    private static Map<String, Boolean> storedParts(Path store) throws Exception {
        Map<String, Boolean> parts = new java.util.TreeMap<>();
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, readOnly);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT run_id, coalesce(part, false) FROM runs")) {
            while (rs.next()) {
                parts.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return parts;
    }
}
