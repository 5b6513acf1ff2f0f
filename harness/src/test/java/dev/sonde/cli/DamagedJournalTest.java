package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.testing.Suites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line damaged in the middle of a run's journal: every command that reads the journal says so in
 * one line naming the file, the line and {@code sonde journal repair}, and exits 2 without a stack
 * trace; the repair keeps every intact record, a resumed run then sends the lost trial and completes,
 * and a second repair (or one of a clean journal) changes nothing.
 */
@Tag("hostile")
class DamagedJournalTest {
    @TempDir
    Path dir;

    private Path suite() {
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            cases.append("  - {id: c").append(i).append(", prompt: \"Question number ").append(i)
                    .append("\", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}\n");
        }
        return Suites.write(dir, "suite.yaml", """
                name: damaged
                models: [{id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 20}}]
                cases:
                %s
                run: {concurrency: 2}
                emulator: {seed: 5, config: fast.yaml}
                """.formatted(cases));
    }

    private static SecretEchoTest.Run sonde(String... args) {
        return SecretEchoTest.run(Map.of(), args);
    }

    private static List<String> ids(Path journal) throws Exception {
        try (Stream<TrialResult> s = Journal.read(journal)) {
            return s.map(TrialResult::trialId).sorted().toList();
        }
    }

    /** Replaces line {@code n} (from 1) of {@code file} with {@code junk}. */
    private static String damage(Path file, int n, byte[] junk) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String lost = Journal.JSON.readTree(lines.get(n - 1)).path("trial_id").asText();
        StringBuilder before = new StringBuilder();
        StringBuilder after = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i < n - 1) {
                before.append(lines.get(i)).append('\n');
            } else if (i > n - 1) {
                after.append(lines.get(i)).append('\n');
            }
        }
        byte[] head = before.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + junk.length + 1 + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(junk, 0, all, head.length, junk.length);
        all[head.length + junk.length] = '\n';
        System.arraycopy(tail, 0, all, head.length + junk.length + 1, tail.length);
        Files.write(file, all);
        return lost;
    }

    private static void assertOneLineNamingTheRepair(SecretEchoTest.Run r, Path run, String command) {
        assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).as(command).doesNotContain("\n")
                .startsWith("sonde: " + run.resolve("trials.jsonl") + ":3: not JSON")
                .contains("sonde journal repair " + run);
        assertThat(r.out() + r.err()).as(command).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("internal error");
    }

    @Test
    void every_reader_says_it_in_one_line_and_after_the_repair_a_resumed_run_completes() throws Exception {
        Path suite = suite();
        Path run = dir.resolve("run");
        SecretEchoTest.Run first = sonde("run", suite.toString(), "--out", run.toString(), "-q");
        assertThat(first.exit()).isZero();
        assertThat(first.err()).isEmpty();
        Path journal = run.resolve("trials.jsonl");
        List<String> all = ids(journal);
        assertThat(all).hasSize(6);
        String lost = damage(journal, 3, "{\"trial_id\": \"half a rec".getBytes(StandardCharsets.UTF_8));
        byte[] damaged = Files.readAllBytes(journal);

        assertOneLineNamingTheRepair(sonde("run", suite.toString(), "--resume", run.toString(), "-q"), run, "run --resume");
        assertOneLineNamingTheRepair(sonde("report", run.toString()), run, "report");
        assertOneLineNamingTheRepair(sonde("merge", run.toString(), "--out", dir.resolve("merged").toString()), run,
                "merge");
        assertOneLineNamingTheRepair(sonde("reprice", run.toString(), "--model", "claude-haiku-4-5"), run, "reprice");
        assertOneLineNamingTheRepair(sonde("baseline", "accept", run.toString(), "--out",
                dir.resolve("baseline.json").toString()), run, "baseline accept");
        assertThat(Files.readAllBytes(journal)).as("no reader wrote to the journal").isEqualTo(damaged);

        SecretEchoTest.Run repaired = sonde("journal", "repair", run.toString());
        assertThat(repaired.exit()).as(repaired.err()).isZero();
        assertThat(repaired.out().strip()).isEqualTo(journal + ": kept 5 records, set 1 damaged line aside in "
                + run.resolve("trials.damaged.jsonl") + " (sonde run --resume " + run
                + " sends again any trial left without a record)");
        assertThat(ids(journal)).hasSize(5).doesNotContain(lost);
        assertThat(Journal.JSON.readTree(Files.readString(run.resolve("trials.damaged.jsonl"))).path("line").asInt())
                .isEqualTo(3);

        SecretEchoTest.Run resumed = sonde("run", suite.toString(), "--resume", run.toString(), "-q");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(ids(journal)).isEqualTo(all);
        assertThat(sonde("report", run.toString()).exit()).isZero();

        byte[] complete = Files.readAllBytes(journal);
        byte[] aside = Files.readAllBytes(run.resolve("trials.damaged.jsonl"));
        SecretEchoTest.Run again = sonde("journal", "repair", run.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out().strip()).isEqualTo(journal + ": 6 records, nothing to repair");
        assertThat(Files.readAllBytes(journal)).isEqualTo(complete);
        assertThat(Files.readAllBytes(run.resolve("trials.damaged.jsonl"))).isEqualTo(aside);
    }

    @Test
    void repairing_a_clean_journal_changes_nothing_and_a_folder_without_one_is_exit_2() throws Exception {
        Path run = dir.resolve("clean");
        SecretEchoTest.Run first = sonde("run", suite().toString(), "--out", run.toString(), "-q");
        assertThat(first.exit()).isZero();
        assertThat(first.err()).isEmpty();
        byte[] clean = Files.readAllBytes(run.resolve("trials.jsonl"));
        List<Path> before;
        try (Stream<Path> files = Files.list(run)) {
            before = files.sorted().toList();
        }

        SecretEchoTest.Run r = sonde("journal", "repair", run.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).endsWith(": 6 records, nothing to repair");
        assertThat(Files.readAllBytes(run.resolve("trials.jsonl"))).isEqualTo(clean);
        try (Stream<Path> files = Files.list(run)) {
            assertThat(files.sorted().toList()).isEqualTo(before);
        }

        try (dev.sonde.journal.RunLock running = dev.sonde.journal.RunLock.acquire(run, "--resume " + run)) {
            SecretEchoTest.Run locked = sonde("journal", "repair", run.toString());
            assertThat(locked.exit()).as("a run still writing the folder holds it").isEqualTo(Main.BAD_INPUT);
            assertThat(locked.err().strip()).startsWith("sonde: sonde journal repair " + run + ": another sonde process")
                    .doesNotContain("\n");
            assertThat(Files.readAllBytes(run.resolve("trials.jsonl"))).isEqualTo(clean);
        }

        SecretEchoTest.Run none = sonde("journal", "repair", dir.resolve("nowhere").toString());
        assertThat(none.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(none.err().strip()).isEqualTo("sonde: " + dir.resolve("nowhere")
                + " holds no journal to repair (no trials.jsonl file there)");
    }
}
