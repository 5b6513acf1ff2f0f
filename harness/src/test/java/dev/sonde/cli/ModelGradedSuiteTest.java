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
 * {@code suites/model-graded.yaml} passes offline: every model-graded template in it reaches a real
 * verdict from fixtures/graders/model-graded.yaml (no grader answer is filler, none undecided), and
 * the run counts every grader call of the multi-call templates.
 */
class ModelGradedSuiteTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void the_shipped_suite_passes_on_the_emulator_with_every_grader_call_answered_by_a_rule() throws Exception {
        Path suite = PROJECT.resolve("suites/model-graded.yaml");
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int exit = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");

        assertThat(exit).as(console.toString()).isZero();
        // factuality 1 + not-factuality 1 + g-eval 2 criteria × 2 + closedqa 1 + faithfulness 2 + recall 1 + relevance 1
        assertThat(console.toString()).contains("PASS  model-graded: 3/3 passed").contains(" for 11 grader calls (")
                .doesNotContain("filler");
        String trials = Files.readString(dir.resolve("out/trials.jsonl"));
        assertThat(trials).doesNotContain("\"undecided\"").doesNotContain("filler")
                .contains("grader claude-haiku-4-5: category C (agrees with the reference), score 1.00 (pass)")
                .contains("grader claude-haiku-4-5: score 0.80 (≥ threshold 0.70)")
                .contains("1 of 1 statements supported by the context")
                .contains("2 of 2 sentences of the ground truth found in the context")
                .contains("1 of 3 context units needed to answer the question")
                .contains("meets the criterion");
        assertThat(Files.readString(PROJECT.resolve("README.md")).replace("\n", " "))
                .contains("`./sonde run suites/model-graded.yaml` passes, with 11 grader calls for its 7 graded assertions");
    }
}
