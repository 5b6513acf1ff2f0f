package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code suites/compare-models.yaml} reaches every compare verdict offline: max-score and
 * select-best pick sonnet in each repeat's group (the grader's choice answered by
 * fixtures/graders/compare-models.yaml at whichever index the rotation put sonnet), haiku's trials
 * lose, and the select-best grader is asked once per group, never for filler.
 */
class CompareModelsSuiteTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void the_shipped_suite_picks_a_winner_in_every_group_on_the_emulator() throws Exception {
        Path suite = PROJECT.resolve("suites/compare-models.yaml");
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int exit = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString());

        assertThat(exit).as(console.toString()).isEqualTo(1); // the losers fail, by design
        assertThat(console.toString())
                .contains("FAIL  compare-models: 4/8 passed, 4 failed, 0 errored")
                .contains("select-best: 1 case judged in 2 groups, 2 grader calls (one per group")
                .contains("compare verdicts of capital: sonnet 2 passed, haiku 2 FAILED")
                .contains("compare verdicts of summary: sonnet 2 passed, haiku 2 FAILED")
                .doesNotContain("filler");
        String compare = Files.readString(dir.resolve("out/compare.jsonl"));
        assertThat(compare.lines()).hasSize(4).allMatch(l -> l.contains("\"winner\":{\"trial_id\":\"") && l.contains(
                "/sonnet/") && l.matches(".*\"winner\":\\{\"trial_id\":\"[a-z]+/sonnet/[01]\",\"model\":\"sonnet\"}.*"));
        assertThat(compare).doesNotContain("\"undecided\"")
                .contains("keeps the year the tower was built");
        assertThat(Files.readString(dir.resolve("out/summary.md"))).contains("- `capital` max-score: best sonnet (won 2 of 2 groups)")
                .contains("- `summary` select-best: best sonnet (won 2 of 2 groups)");
    }
}
