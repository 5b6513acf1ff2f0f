package dev.sonde.run;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    private static TrialResult trial(String id) {
        return TrialResult.skipped(id, "c", "m", "model", 0, Instant.parse("2026-01-01T00:00:00Z"), "test");
    }

    private static List<String> ids(Path p) throws Exception {
        try (Stream<TrialResult> s = Journal.read(p)) {
            return s.map(TrialResult::trialId).toList();
        }
    }

    @Test
    void a_torn_last_line_is_skipped_on_read_and_cut_before_the_next_append() throws Exception {
        Path p = dir.resolve("trials.jsonl");
        try (Journal j = Journal.open(p)) {
            j.append(trial("a"));
            j.append(trial("b"));
        }
        Files.writeString(p, "{\"trial_id\":\"c\",\"case\":\"c\",\"mod", StandardOpenOption.APPEND); // killed mid-write
        assertThat(ids(p)).containsExactly("a", "b");

        try (Journal j = Journal.open(p)) {
            j.append(trial("d"));
        }
        assertThat(ids(p)).containsExactly("a", "b", "d");
        assertThat(Files.readAllLines(p)).hasSize(3);
    }

    @Test
    void a_bad_line_in_the_middle_is_an_error_naming_the_line() throws Exception {
        Path p = dir.resolve("trials.jsonl");
        try (Journal j = Journal.open(p)) {
            j.append(trial("a"));
        }
        Files.writeString(p, "not json\n", StandardOpenOption.APPEND);
        try (Journal j = Journal.open(p)) {
            j.append(trial("b"));
        }
        assertThatThrownBy(() -> ids(p)).hasMessageContaining("trials.jsonl:2: not JSON");
    }
}
