package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spend ledger read back after a crash (issue 18, item 2): what it counts, and what it refuses. */
@Tag("hostile")
class LedgerTest {
    @TempDir
    Path dir;

    private Path ledger(String text) throws IOException {
        return Files.writeString(dir.resolve(Ledger.FILE), text);
    }

    @Test
    void begun_attempts_without_an_end_and_unresolved_ones_count_at_their_worst_case() throws Exception {
        ledger("""
                {"attempt":1,"trial":"a","reserved_usd":0.5}
                {"attempt":1,"usd":0.1}
                {"attempt":2,"trial":"b","reserved_usd":0.4}
                {"attempt":2,"usd":0.05,"unresolved":true}
                {"attempt":3,"trial":"c","reserved_usd":0.3}
                {"trial":"a","grader_usd":0.02}
                {"attempt":4,"trial":"d","reserved_usd":0.2}
                {"attempt":4,"usd\
                """);
        Ledger.Totals t = Ledger.read(dir);
        assertThat(t.reportedUsd()).isCloseTo(0.1 + 0.05 + 0.02, within(1e-12));
        assertThat(t.unresolvedUsd()).as("b beyond what it reported, c and d whole").isCloseTo(0.35 + 0.3 + 0.2, within(1e-12));
        assertThat(t.unresolved()).isEqualTo(1);
        assertThat(t.abandoned()).isEqualTo(2);
        assertThat(t.nextAttempt()).isEqualTo(5);
    }

    @Test
    void a_damaged_line_that_is_not_the_torn_last_one_is_an_error_naming_it() throws Exception {
        ledger("{\"attempt\":1,\"trial\":\"a\",\"reserved_usd\":0.5}\nnull\n{\"attempt\":1,\"usd\":0.1}\n");
        assertThatThrownBy(() -> Ledger.read(dir)).isInstanceOf(IOException.class)
                .hasMessage(dir.resolve(Ledger.FILE) + ":2: not a ledger line; the run's spend cannot be known, so it "
                        + "is not resumed under max_usd");
        ledger("{\"attempt\":1,\"trial\":\"a\",\"reserved_usd\":0.5}\n{\"attempt\":1,\"usd\":-3}\n");
        assertThatThrownBy(() -> Ledger.read(dir)).hasMessageEndingWith(":2: not an amount in USD");
        ledger("{\"attempt\":1,\"trial\":\"a\",\"reserved_usd\":0.5}\n{garbage}\n");
        assertThatThrownBy(() -> Ledger.read(dir)).as("a whole bad last line is not a torn one")
                .hasMessageContaining(":2: not a ledger line");
    }

    @Test
    void a_whole_last_line_without_its_newline_is_kept_when_the_ledger_is_reopened() throws Exception {
        ledger("{\"attempt\":1,\"trial\":\"a\",\"reserved_usd\":0.5}\n{\"attempt\":1,\"usd\":0.1}");
        Ledger.Totals before = Ledger.read(dir);
        try (Ledger l = Ledger.open(dir, before, 0)) {
            l.grader("a", 0.01);
        }
        Ledger.Totals after = Ledger.read(dir);
        assertThat(after.reportedUsd()).isCloseTo(0.11, within(1e-12));
        assertThat(after.abandoned()).isZero();
        assertThat(Files.readAllLines(dir.resolve(Ledger.FILE))).hasSize(3);
    }

    @Test
    void a_ledger_that_is_not_a_regular_file_is_refused_not_read() throws Exception {
        Path fifo = dir.resolve(Ledger.FILE);
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is not available here");
        assertThatThrownBy(() -> Ledger.read(dir)).hasMessageContaining("not a regular file");
    }
}
