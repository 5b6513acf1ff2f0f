package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code cases_from:} dataset is read only when it is a regular file within its limit, and no line
 * of it past a suite file's limit: a device, a pipe, a sparse file of gigabytes or a line without end
 * is one line at {@code cases_from}, never an OutOfMemoryError or a hang.
 */
@Tag("hostile")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatasetLimitsTest {
    private static final String AT = ":6:17: cases[0].cases_from: ";

    @TempDir
    Path dir;

    private Path suite(String from) throws Exception {
        return Files.writeString(dir.resolve("s.yaml"), """
                name: data
                models: [{id: m, model: claude-sonnet-4-6}]
                cases:
                  - id: row
                    prompt: "Say {{word}}."
                    cases_from: "%s"
                """.formatted(from));
    }

    private Path sparse(String name, String head, long length) throws Exception {
        Path file = Files.writeString(dir.resolve(name), head);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length); // nothing written past the head: zeros, no line end
        }
        return file;
    }

    @Test
    void a_dataset_that_is_a_device_a_pipe_or_a_folder_is_refused_before_it_is_opened() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("rows.csv"));
        assertThatThrownBy(() -> SuiteLoader.load(suite(folder.toString()))).isInstanceOf(SuiteException.class)
                .hasMessageContaining(AT + folder + " is not a regular file");
        if (Files.exists(Path.of("/dev/zero"))) {
            assertThatThrownBy(() -> SuiteLoader.load(suite("/dev/zero"))).isInstanceOf(SuiteException.class)
                    .hasMessageContaining(AT + "/dev/zero is not a regular file");
        }
        Path fifo = dir.resolve("pipe.jsonl");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (java.io.IOException noMkfifo) {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available here");
        // opening a pipe with no writer blocks for ever: it must be refused before it is opened
        assertThatThrownBy(() -> SuiteLoader.load(suite(fifo.toString()))).isInstanceOf(SuiteException.class)
                .hasMessageContaining(AT + fifo + " is not a regular file");
    }

    @Test
    void a_dataset_over_its_limit_is_refused_by_its_size_before_a_byte_is_read() throws Exception {
        Path huge = sparse("huge.jsonl", "", Datasets.MAX_DATASET_BYTES + 1);
        assertThatThrownBy(() -> SuiteLoader.load(suite(huge.toString()))).isInstanceOf(SuiteException.class)
                .hasMessageContaining(AT + huge + " is " + (Datasets.MAX_DATASET_BYTES + 1) + " bytes; at most "
                        + Datasets.MAX_DATASET_BYTES);
    }

    @Test
    void a_line_without_end_is_one_line_naming_the_file_and_line_in_csv_and_in_jsonl() throws Exception {
        long length = Datasets.MAX_LINE_BYTES + (8 << 20); // within the file's limit, one line past the line's
        for (Path file : new Path[] {sparse("rows.csv", "word\nhello\n", length),
                sparse("rows.jsonl", "{\"word\": \"hello\"}\n{\"word\": \"again\"}\n", length)}) {
            assertThatThrownBy(() -> SuiteLoader.load(suite(file.toString()))).as(file.toString())
                    .isInstanceOf(SuiteException.class)
                    .hasMessageEndingWith(AT + file + ":3"
                            + ": a line of more than " + Datasets.MAX_LINE_BYTES + " bytes")
                    .hasMessageNotContaining("Exception");
        }
    }

    @Test
    void a_value_longer_than_jacksons_default_string_limit_loads_and_binds_again() throws Exception {
        String word = "w".repeat(25_000_000); // Jackson refuses strings over 20 M characters unless told
        Files.writeString(dir.resolve("long.jsonl"), "{\"id\": \"long\", \"word\": \"" + word + "\"}\n");
        Files.writeString(dir.resolve("long.csv"), "id,word\nlong," + word + "\n");
        for (String name : new String[] {"long.jsonl", "long.csv"}) {
            Suite s = SuiteLoader.load(suite(name));
            assertThat(s.cases()).hasSize(1);
            assertThat(s.cases().get(0).messages().get(0).get("content").asText()).as(name)
                    .hasSize(word.length() + "Say .".length()); // the row read back from what the load kept
        }
    }
}
