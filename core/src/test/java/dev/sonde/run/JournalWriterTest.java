package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalWriterTest {
    @TempDir
    Path dir;

    private static TrialResult trial(String id) {
        return TrialResult.builder(id, "c", "m", "claude-haiku-4-5", 0).pass(true).attempts(1).build();
    }

    @Test
    void records_are_built_on_the_writer_thread_and_written_in_order_by_close() throws Exception {
        Path file = dir.resolve("trials.jsonl");
        List<String> builtOn = new CopyOnWriteArrayList<>();
        try (Journal journal = Journal.open(file)) {
            try (JournalWriter writer = new JournalWriter(journal, 4)) {
                for (int i = 0; i < 50; i++) {
                    String id = "t" + i;
                    writer.append(() -> {
                        builtOn.add(Thread.currentThread().getName());
                        return trial(id);
                    });
                }
            }
            // close() returned: every record handed over is in the file, in order
            try (var read = Journal.read(file)) {
                assertThat(read.map(TrialResult::trialId).toList())
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "t" + i).toList());
            }
        }
        assertThat(builtOn).hasSize(50).containsOnly("sonde-journal");
    }

    @Test
    void a_write_that_fails_is_thrown_by_close_and_later_records_never_wait() throws Exception {
        Journal journal = Journal.open(dir.resolve("trials.jsonl"));
        journal.close(); // every append now fails
        JournalWriter writer = new JournalWriter(journal, 1);
        for (int i = 0; i < 100; i++) {
            String id = "t" + i;
            writer.append(() -> trial(id)); // a queue of 1: returns only because the writer drops after a failure
        }
        assertThatThrownBy(writer::close).isInstanceOf(IOException.class);
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void an_error_building_a_record_does_not_stop_the_writer_so_neither_senders_nor_close_hang() throws Exception {
        try (Journal journal = Journal.open(dir.resolve("trials.jsonl"))) {
            JournalWriter writer = new JournalWriter(journal, 1);
            writer.append(() -> {
                throw new OutOfMemoryError("built no record");
            });
            for (int i = 0; i < 100; i++) {
                String id = "t" + i;
                writer.append(() -> trial(id)); // a queue of 1: returns only while the writer still empties it
            }
            assertThatThrownBy(writer::close).isInstanceOf(OutOfMemoryError.class).hasMessage("built no record");
        }
    }
}
