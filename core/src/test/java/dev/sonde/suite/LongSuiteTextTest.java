package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite may hold text as long as its file's limit: SnakeYAML's 3 MB code-point limit and
 * Jackson's 20 M-character strings no longer refuse it, and one long token (a base64 image written
 * inline) loads in time linear in its length, where SnakeYAML's reader took minutes for 25 MB.
 */
@Tag("hostile")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LongSuiteTextTest {
    @TempDir
    Path dir;

    private Path suite(String name, int tokenChars, boolean quoted) throws Exception {
        String token = "QUJD".repeat(tokenChars / 4); // one run of base64, no space to break it
        return Files.writeString(dir.resolve(name), """
                name: long
                models: [{id: m, model: claude-sonnet-4-6}]
                cases:
                  - id: big
                    prompt: %s
                """.formatted(quoted ? "\"" + token + "\"" : token));
    }

    /** The fastest of three loads, in nanoseconds (the fastest is the one least disturbed by others). */
    private static long fastestLoad(Path file, int expectedChars) throws Exception {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Suite s = SuiteLoader.load(file);
            best = Math.min(best, System.nanoTime() - start);
            assertThat(s.cases().get(0).messages().get(0).get("content").asText()).hasSize(expectedChars);
        }
        return best;
    }

    @Test
    void a_50_mb_string_loads_whole() throws Exception {
        int chars = 50 << 20;
        Suite s = SuiteLoader.load(suite("fifty.yaml", chars, true));
        assertThat(s.cases().get(0).messages().get(0).get("content").asText()).hasSize(chars);
    }

    @Test
    void load_time_grows_linearly_with_the_length_of_one_token() throws Exception {
        fastestLoad(suite("warm.yaml", 1 << 20, false), 1 << 20); // compile the path first
        int small = 5 << 20;
        int large = 25 << 20;
        Path smallFile = suite("small.yaml", small, false);
        Path largeFile = suite("large.yaml", large, false);
        // a busy machine can slow one measurement several-fold: up to three rounds, the best ratio counts
        // (a quadratic reader is ~25 in every round, a linear one ~5 in a quiet one)
        double ratio = Double.MAX_VALUE;
        for (int round = 0; round < 3 && ratio >= 12; round++) {
            long smallNanos = fastestLoad(smallFile, small);
            long largeNanos = fastestLoad(largeFile, large);
            ratio = Math.min(ratio, (double) largeNanos / smallNanos);
            System.out.printf("suite load: 5 MB token %.0f ms, 25 MB token %.0f ms, ratio %.1f (linear 5, quadratic 25)%n",
                    smallNanos / 1e6, largeNanos / 1e6, (double) largeNanos / smallNanos);
        }
        assertThat(ratio).as("25 MB / 5 MB load time, best of up to three rounds").isLessThan(12);
    }

    @Test
    void a_suite_over_its_limit_is_refused_before_it_is_parsed() throws Exception {
        Path over = dir.resolve("over.yaml");
        Files.writeString(over, "name: over\n# " + "x".repeat((int) SuiteLoader.MAX_SUITE_BYTES) + "\n");
        long parses = SuiteLoader.parses();
        assertThatThrownBy(() -> SuiteLoader.load(over)).isInstanceOf(SuiteException.class)
                .hasMessageContaining(over + ":1:1: " + over + " is " + Files.size(over) + " bytes; at most "
                        + SuiteLoader.MAX_SUITE_BYTES);
        assertThat(SuiteLoader.parses()).as("never handed to the YAML parser").isEqualTo(parses);
    }
}
