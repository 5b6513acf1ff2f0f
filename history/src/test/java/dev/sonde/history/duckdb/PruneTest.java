package dev.sonde.history.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.api.SecretMask;
import dev.sonde.history.HistoryException;
import dev.sonde.history.Pruned;
import dev.sonde.history.RunSpool;
import dev.sonde.lib.Sonde;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune}: the outputs of all but the newest runs of each suite go, the trials and their
 * figures stay, the pruned runs are marked, and a held store is left alone. One emulator run of the
 * regression suite, stored under several ids, suites and start times.
 */
class PruneTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path runs;
    static Path run;
    static long outputsPerRun;

    @TempDir
    Path dir;
    Path store;
    ManualClock clock;

    @BeforeAll
    static void oneRun() throws Exception {
        run = runs.resolve("run");
        Sonde.suite(PROJECT.resolve("suites/regression.yaml")).endpoint("emulator").concurrency(4).outDir(run)
                .workDir(PROJECT).run();
        Path spool = RunSpool.write(run, runs.resolve("base.jsonl"), SecretMask.NONE).file();
        outputsPerRun = Files.readAllLines(spool).stream().filter(l -> l.startsWith("{\"row\":\"output\"")).count();
    }

    /** Four runs: a1, a2, a3 of suite a (oldest first) and b1 of suite b, started with a1. */
    @BeforeEach
    void fourRuns() throws Exception {
        store = dir.resolve("h.duckdb");
        clock = new ManualClock();
        add("a1", "a", "2026-11-01T10:00:00Z");
        add("a2", "a", "2026-11-02T10:00:00Z");
        add("a3", "a", "2026-11-03T10:00:00Z");
        add("b1", "b", "2026-11-01T10:00:00Z");
    }

    /** The run's spool as run {@code runId} of {@code suite}, started at {@code startedAt}. */
    private void add(String runId, String suite, String startedAt) throws Exception {
        Path spool = RunSpool.write(run, Files.createTempFile(dir, "spool-", ".jsonl"), SecretMask.NONE).file();
        List<String> lines = new ArrayList<>(Files.readAllLines(spool));
        lines.set(0, lines.get(0).replaceFirst("\"run_id\":\"[^\"]*\"", "\"run_id\":\"" + runId + "\"")
                .replaceFirst("\"suite\":\"[^\"]*\"", "\"suite\":\"" + suite + "\"")
                .replaceFirst("\"started_at\":\"[^\"]*\"", "\"started_at\":\"" + startedAt + "\""));
        Files.write(spool, lines);
        new DuckDbStore(clock).add(store, spool, WAIT);
    }

    private List<String> column(String sql) throws SQLException {
        Properties p = new Properties();
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        List<String> values = new ArrayList<>();
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + store, p); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    @Test
    void the_outputs_of_all_but_the_newest_runs_of_each_suite_go_and_their_runs_are_marked() throws Exception {
        assertThat(outputsPerRun).isPositive();
        clock.advanceMillis(90_000);

        Pruned pruned = new DuckDbStore(clock).prune(store, 1, WAIT);

        assertThat(pruned).isEqualTo(new Pruned(2, 2 * outputsPerRun, 2, false));
        assertThat(column("SELECT DISTINCT run_id FROM outputs ORDER BY 1")).containsExactly("a3", "b1");
        assertThat(column("SELECT run_id || ' ' || coalesce(outputs_pruned_at::VARCHAR, '-') FROM runs ORDER BY 1"))
                .containsExactly("a1 2026-01-01 00:01:30", "a2 2026-01-01 00:01:30", "a3 -", "b1 -");
        assertThat(column("SELECT count(*) FROM trials")).containsExactly("112");
        assertThat(column("SELECT count(DISTINCT run_id) FROM checks")).containsExactly("4");
        assertThat(column("SELECT count(*) FILTER (run_id = 'a1') = count(*) FILTER (run_id = 'a3')"
                + " AND count(*) FILTER (run_id = 'a1') > 0 FROM trials WHERE output_sha256 IS NOT NULL"))
                .as("the pruned run's output hashes stay").containsExactly("true");
    }

    @Test
    void a_second_prune_deletes_nothing_more_and_keeps_the_first_prunes_time() throws Exception {
        new DuckDbStore(clock).prune(store, 1, WAIT);
        clock.advanceMillis(3_600_000);

        Pruned again = new DuckDbStore(clock).prune(store, 1, WAIT);

        assertThat(again).isEqualTo(new Pruned(0, 0, 2, false));
        assertThat(column("SELECT DISTINCT outputs_pruned_at::VARCHAR FROM runs WHERE run_id IN ('a1', 'a2')"))
                .containsExactly("2026-01-01 00:00:00");
    }

    @Test
    void keeping_two_prunes_only_the_oldest_of_suite_a_and_keeping_none_prunes_every_run() throws Exception {
        assertThat(new DuckDbStore(clock).prune(store, 2, WAIT)).isEqualTo(new Pruned(1, outputsPerRun, 3, false));
        assertThat(column("SELECT DISTINCT run_id FROM outputs ORDER BY 1")).containsExactly("a2", "a3", "b1");

        assertThat(new DuckDbStore(clock).prune(store, 0, WAIT)).isEqualTo(new Pruned(3, 3 * outputsPerRun, 0, false));
        assertThat(column("SELECT count(*) FROM outputs")).containsExactly("0");
    }

    @Test
    void a_run_imported_again_after_a_prune_has_its_outputs_and_no_mark() throws Exception {
        new DuckDbStore(clock).prune(store, 1, WAIT);

        add("a1", "a", "2026-11-01T10:00:00Z");

        assertThat(column("SELECT count(*) FROM outputs WHERE run_id = 'a1'"))
                .containsExactly(String.valueOf(outputsPerRun));
        assertThat(column("SELECT outputs_pruned_at FROM runs WHERE run_id = 'a1'")).containsExactly((String) null);
    }

    @Test
    void a_store_held_by_another_writer_past_the_wait_is_left_alone() throws Exception {
        Path lockFile = DuckDbStore.sibling(store.toAbsolutePath(), ".lock");
        try (StoreLock held = ((StoreLock.Taken) StoreLock.acquire(lockFile, Duration.ZERO, Clock.system())).lock()) {
            Pruned pruned = new DuckDbStore(clock).prune(store, 1, Duration.ofMillis(200));

            assertThat(pruned).isEqualTo(new Pruned(0, 0, 0, true));
        }
        assertThat(column("SELECT count(*) FROM outputs")).containsExactly(String.valueOf(4 * outputsPerRun));
        assertThat(column("SELECT count(*) FROM runs WHERE outputs_pruned_at IS NOT NULL")).containsExactly("0");
    }

    @Test
    void a_store_that_is_not_there_is_named_and_not_made() {
        Path none = dir.resolve("none.duckdb");

        assertThatThrownBy(() -> new DuckDbStore(clock).prune(none, 1, WAIT)).isInstanceOf(HistoryException.class)
                .hasMessage("history: no store at " + none);
        assertThat(none).doesNotExist();
    }
}
