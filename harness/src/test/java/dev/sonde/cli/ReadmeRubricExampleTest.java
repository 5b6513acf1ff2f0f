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
 * The README's llm-rubric example is {@code suites/llm-rubric.yaml} verbatim, and the figures the
 * README quotes for it (grader calls, tokens, cost, the failing reason, the trial cost) are what
 * running it on the emulator produces.
 */
class ReadmeRubricExampleTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void the_readme_example_is_the_suite_and_its_figures_are_real() throws Exception {
        Path suite = PROJECT.resolve("suites/llm-rubric.yaml");
        String readme = Files.readString(PROJECT.resolve("README.md"));
        assertThat(readme).contains("```yaml\n" + Files.readString(suite) + "```");

        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int exit = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");
        assertThat(exit).as(console.toString()).isEqualTo(1);

        String graders = "graders: $0.00155 for 2 grader calls (431 input / 68 output tokens), not in the costs above";
        assertThat(console.toString()).contains("FAIL  llm-rubric: 1/2 passed, 1 failed, 0 errored  (emulator, ")
                .contains("  " + graders).contains("e2e p50 ").contains("  $0.000279");
        assertThat(readme).contains("  " + graders).contains("  $0.000279")
                .contains("(431 input / 68 output tokens)`), and `results.json`");

        String reason = "llm-rubric: grader sonnet: score 0.70 (< threshold 0.80): The answer is courteous.";
        assertThat(Files.readString(dir.resolve("out/trials.jsonl"))).contains(reason.substring("llm-rubric: ".length()));
        assertThat(readme.replace("\n", " ")).contains("`" + reason + "`");
        assertThat(Files.readString(dir.resolve("out/summary.md")))
                .contains("$0.00155 for 2 grader calls (431 input / 68 output tokens)");
    }
}
