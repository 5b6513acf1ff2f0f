package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.testing.Suites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a committed baseline, each shard of a suite is judged on its own case × model pairs and
 * passes when they are unchanged; {@code sonde baseline accept RUN… --append} builds a baseline of
 * several runs and refuses runs that cannot be one.
 */
class ShardBaselineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    /** Cases whose answers differ in length, so their costs differ and a shard's mix is not the suite's. */
    private Path suite(String name) throws Exception {
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            cases.append("  - {id: c").append(i).append(", prompt: \"").append("Tell me more. ".repeat(1 + 20 * i))
                    .append("\", params: {max_tokens: ").append(5 + 40 * i)
                    .append("}, assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}\n");
        }
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                models:
                  - {id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 30}}
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 30}}
                cases:
                %s
                run: {concurrency: 4}
                emulator: {seed: 7, config: fast.yaml}
                baseline:
                  file: %s.json
                  gates: {ttft_p95: false}   # an instant emulator's first tokens are scheduling noise
                """.formatted(name, cases, name));
        Suites.fastEmulator(dir);
        return f;
    }

    private static String sonde(int[] exit, String... args) {
        StringWriter out = new StringWriter();
        exit[0] = Main.execute(Map.of(), new PrintWriter(out), new PrintWriter(out), args);
        return out.toString();
    }

    @Test
    void every_shard_passes_against_the_baseline_of_the_whole_suite() throws Exception {
        Path suite = suite("sharded");
        int[] exit = new int[1];
        sonde(exit, "run", suite.toString(), "--out", dir.resolve("whole").toString(), "--update-baseline", "-q");
        assertThat(exit[0]).isZero();
        for (int k = 1; k <= 3; k++) {
            String out = sonde(exit, "run", suite.toString(), "--shard", k + "/3", "--out",
                    dir.resolve("s" + k).toString());
            assertThat(exit[0]).as(out).isZero();
            assertThat(out).doesNotContain("missing");
            JsonNode c = JSON.readTree(dir.resolve("s" + k + "/results.json").toFile()).get("comparison");
            assertThat(c.at("/cases/removed")).isEmpty();
            assertThat(c.at("/cost/per_trial_ratio").asDouble()).isEqualTo(1.0);
            assertThat(c.at("/cost/ci_low").asDouble()).isEqualTo(1.0);
            assertThat(c.at("/cost/pairs").asInt()).isEqualTo(c.at("/pass_rate/cases").asInt()).isBetween(5, 7);
        }
    }

    @Test
    void accept_appends_runs_and_refuses_what_cannot_be_one_baseline() throws Exception {
        Path suite = suite("multi");
        int[] exit = new int[1];
        for (int r = 1; r <= 3; r++) {
            sonde(exit, "run", suite.toString(), "--out", dir.resolve("r" + r).toString(), "-q");
            assertThat(exit[0]).isZero();
        }
        Path file = dir.resolve("b.json");
        String out = sonde(exit, "baseline", "accept", dir.resolve("r1").toString(), "--out", file.toString());
        assertThat(exit[0]).as(out).isZero();
        assertThat(out).contains("(18 trials, 2 models, from run multi-");
        out = sonde(exit, "baseline", "accept", dir.resolve("r2").toString(), dir.resolve("r3").toString(), "--append",
                "--out", file.toString());
        assertThat(exit[0]).as(out).isZero();
        assertThat(out).contains("(54 trials, 2 models, 3 runs: multi-");
        JsonNode b = JSON.readTree(file.toFile());
        assertThat(b.get("format_version").asInt()).isEqualTo(2);
        assertThat(b.get("runs")).hasSize(3);

        out = sonde(exit, "baseline", "accept", dir.resolve("r2").toString(), "--append", "--out", file.toString());
        assertThat(exit[0]).isEqualTo(2);
        assertThat(out.strip()).startsWith("sonde: run multi-").endsWith(" is already in the baseline").doesNotContain("\n");

        Path other = suite("other");
        sonde(exit, "run", other.toString(), "--out", dir.resolve("o1").toString(), "-q");
        out = sonde(exit, "baseline", "accept", dir.resolve("o1").toString(), "--append", "--out", file.toString());
        assertThat(exit[0]).isEqualTo(2);
        assertThat(out).contains("is of suite other, the baseline's of multi");
        assertThat(JSON.readTree(file.toFile()).get("runs")).as("the file is untouched").hasSize(3);
    }
}
