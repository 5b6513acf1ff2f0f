package dev.sonde.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reopening a journal does to its last line (issue 18): a torn record is cut, a whole one is kept. */
@Tag("hostile")
class JournalTailTest {
    @TempDir
    Path dir;

    private static TrialResult trial(String id) {
        return TrialResult.builder(id, "c", "m", "claude-haiku-4-5", 1).pass(true).build();
    }

    private static List<String> ids(Path journal) throws Exception {
        try (Stream<TrialResult> s = Journal.read(journal)) {
            return s.map(TrialResult::trialId).toList();
        }
    }

    @Test
    void a_whole_record_that_lost_only_its_newline_is_counted_and_kept_a_torn_one_is_cut() throws Exception {
        Path journal = dir.resolve("trials.jsonl");
        String first = Journal.JSON.writeValueAsString(trial("t1"));
        String second = Journal.JSON.writeValueAsString(trial("t2"));
        Files.writeString(journal, first + "\n" + second); // the newline after t2 never reached the disk
        assertThat(ids(journal)).containsExactly("t1", "t2");
        try (Journal j = Journal.open(journal)) {
            j.append(trial("t3"));
        }
        assertThat(ids(journal)).as("t2 was counted by the read, so reopening must not lose it")
                .containsExactly("t1", "t2", "t3");

        Files.writeString(journal, first + "\n" + second.substring(0, second.length() / 2));
        assertThat(ids(journal)).containsExactly("t1");
        try (Journal j = Journal.open(journal)) {
            j.append(trial("t3"));
        }
        assertThat(ids(journal)).containsExactly("t1", "t3");
    }
}
