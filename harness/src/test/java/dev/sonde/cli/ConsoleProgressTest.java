package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.check.CheckResult;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.ManualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    private final ManualClock clock = new ManualClock();

    private static TrialResult trial(int i, boolean pass, TrialError error) {
        List<CheckResult> checks = pass || error != null ? List.of()
                : List.of(CheckResult.fail("contains", "expected to contain \"Paris\""));
        return TrialResult.builder("c" + i + "/m/0", "c" + i, "m", "model", 0).pass(pass).error(error).outputText("")
                .costUsd(0.001).checks(checks).attempts(1).startedAt(Instant.EPOCH).build();
    }

    @Test
    void without_a_terminal_it_prints_failures_at_once_and_a_status_line_every_few_seconds() {
        StringWriter out = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(out, true), false, false, clock);
        for (int i = 1; i <= 100; i++) {
            clock.advanceMillis(100);
            p.finished(trial(i, i != 7 && i != 50,
                    i == 50 ? new TrialError("overloaded", 529, "overloaded_error", "Overloaded") : null), i, 100);
        }
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).contains("FAILED  c7 [m]: expected to contain \"Paris\"",
                "ERRORED c50 [m]: overloaded (529 overloaded_error): Overloaded");
        List<String> status = lines.stream().filter(l -> l.startsWith("progress: ")).toList();
        assertThat(status).hasSize(2); // at 5 s and 10 s: one line every 5 s, the last at the end
        assertThat(status.get(0)).isEqualTo("progress: 50/100 50%  10.0/s  ETA 5 s  $0.0500  1 errored, 1 failed");
        assertThat(status.get(1)).startsWith("progress: 100/100 100%  10.0/s  $0.1000");
    }

    @Test
    void on_a_terminal_it_redraws_one_bar_after_two_seconds_and_ends_it_with_a_newline() {
        StringWriter out = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(out, true), false, true, clock);
        for (int i = 1; i <= 40; i++) {
            clock.advanceMillis(100);
            p.finished(trial(i, true, null), i, 40);
        }
        String s = out.toString();
        assertThat(s).startsWith("\r[============>           ] 20/40 50%").contains("\r[" + "=".repeat(24) + "] 40/40 100%  10.0/s  $0.0400");
        assertThat(s.chars().filter(c -> c == '\r').count()).isEqualTo(21); // from 2.0 s to 4.0 s, every 100 ms
        assertThat(s).endsWith("\u001b[K" + System.lineSeparator());
    }

    @Test
    void quiet_prints_nothing() {
        StringWriter out = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(out, true), true, false, clock);
        clock.advanceMillis(10_000);
        p.finished(trial(1, false, null), 1, 1);
        p.note("hello");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void skipped_trials_print_no_line_each_and_are_counted_by_reason() {
        StringWriter out = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(out, true), false, false, clock);
        p.finished(trial(0, false, new TrialError("auth", 401, "authentication_error", "invalid x-api-key")), 1, 28);
        p.finished(TrialResult.skipped("c1/m/0", "c1", "m", "model", 0, Instant.EPOCH, "budget: case c1 is unbounded"),
                2, 28);
        for (int i = 2; i < 28; i++) {
            p.finished(TrialResult.skipped("c" + i + "/m/0", "c" + i, "m", "model", 0, Instant.EPOCH, "key rejected"),
                    i + 1, 28);
        }
        assertThat(out.toString().lines()).containsExactly(
                "ERRORED c0 [m]: auth (401 authentication_error): invalid x-api-key");
        assertThat(p.skipped()).containsExactly(Map.entry("budget: case c1 is unbounded", 1), Map.entry("key rejected", 26));
        assertThat(p.status(28, 28, clock.nanoTime(), false)).endsWith("1 errored, 0 failed");
    }

    @Test
    void an_announcement_prints_even_when_quiet_or_silenced() {
        StringWriter out = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(out, true), true, false, clock);
        p.announce("LIVE → https://api.anthropic.com");
        p.silence();
        p.announce("LIVE plan: 1 trial");
        p.finished(TrialResult.skipped("c/m/0", "c", "m", "model", 0, Instant.EPOCH, "interrupted (SIGINT)"), 1, 1);
        assertThat(out.toString().lines()).containsExactly("sonde: LIVE → https://api.anthropic.com",
                "sonde: LIVE plan: 1 trial");
        assertThat(p.skipped()).containsExactly(Map.entry("interrupted (SIGINT)", 1));
    }
}
