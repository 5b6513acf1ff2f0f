package dev.sonde.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal's tap sees every record once, in the order of the file, whatever the number of threads
 * appending; the journal's close returns only once the tap has taken the last record; a tap that
 * fails with an error does not hold appends up, and the close reports the error.
 */
class JournalTapTest {
    @TempDir
    Path dir;

    private static TrialResult trial(int i) {
        return TrialResult.builder("c-" + i + "/m/0", "c-" + i, "m", "claude-haiku-4-5", 0).pass(true)
                .outputText("answer " + i).build();
    }

    @Test
    void the_tap_sees_the_file_order_from_sixty_four_appending_threads_and_close_waits_for_it() throws Exception {
        Path file = dir.resolve("trials.jsonl");
        List<String> tapped = new ArrayList<>(); // the tap's own thread is the only writer
        try (Journal journal = Journal.open(file, t -> {
            try {
                Thread.sleep(0, 20_000); // a tap slower than the appends: the queue fills and drains
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            tapped.add(t.trialId());
        }); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> appends = new ArrayList<>();
            for (int w = 0; w < 64; w++) {
                int worker = w;
                appends.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        journal.append(trial(worker * 100 + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : appends) {
                f.get();
            }
        }
        List<String> inFile;
        try (Stream<TrialResult> read = Journal.read(file)) {
            inFile = read.map(TrialResult::trialId).toList();
        }
        assertThat(inFile).hasSize(6_400).doesNotHaveDuplicates();
        assertThat(tapped).isEqualTo(inFile);
    }

    @Test
    void a_tap_that_fails_lets_the_rest_through_and_the_close_reports_it() throws Exception {
        Path file = dir.resolve("trials.jsonl");
        List<String> tapped = new ArrayList<>();
        Journal journal = Journal.open(file, t -> {
            if (t.trialId().startsWith("c-3/")) {
                throw new StackOverflowError("the tap broke");
            }
            tapped.add(t.trialId());
        });
        for (int i = 0; i < 3_000; i++) { // more than the tap's queue holds: appends must not wait on a dead tap
            journal.append(trial(i));
        }
        assertThatThrownBy(journal::close).isInstanceOf(StackOverflowError.class).hasMessage("the tap broke");
        assertThat(tapped).containsExactly("c-0/m/0", "c-1/m/0", "c-2/m/0");
        try (Stream<TrialResult> read = Journal.read(file)) {
            assertThat(read.count()).isEqualTo(3_000);
        }
    }
}
