package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A suite file or an attachment that is a device, a folder or huge is one line, read no further than its limit. */
@Tag("hostile")
class BoundedFilesTest {
    @TempDir
    Path dir;

    @Test
    void a_suite_that_is_a_folder_or_sparse_and_huge_is_refused_before_it_is_read() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("suite.yaml"));
        assertThatThrownBy(() -> SuiteLoader.load(folder)).isInstanceOf(SuiteException.class)
                .hasMessageContaining(":1:1: ").hasMessageContaining("is not a regular file");

        Path huge = dir.resolve("huge.yaml");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(SuiteLoader.MAX_SUITE_BYTES + 1); // sparse: nothing is written, nothing may be read
        }
        assertThatThrownBy(() -> SuiteLoader.load(huge)).isInstanceOf(SuiteException.class)
                .hasMessageContaining("is " + (SuiteLoader.MAX_SUITE_BYTES + 1) + " bytes; at most " + SuiteLoader.MAX_SUITE_BYTES);
        assertThatThrownBy(() -> SuiteSource.read(huge)).isInstanceOf(SuiteException.class).hasMessageContaining("bytes; at most");
    }

    @Test
    void an_attachment_that_is_a_device_or_a_3_gb_sparse_file_is_one_line_at_its_mention() throws Exception {
        Path sparse = dir.resolve("big.pdf");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        for (String file : new String[] {"/dev/zero", sparse.toString()}) {
            Path suite = Files.writeString(dir.resolve("s.yaml"), """
                    name: files
                    models: [{id: m, model: claude-sonnet-4-6}]
                    cases:
                      - id: doc
                        messages:
                          - role: user
                            content:
                              - {type: document, file: "%s"}
                              - {type: text, text: "Summarise."}
                    """.formatted(file));
            assertThatThrownBy(() -> SuiteLoader.load(suite)).as(file).isInstanceOf(SuiteException.class)
                    .hasMessageContaining(file.equals("/dev/zero") ? "is not a regular file" : "bytes; at most")
                    .hasMessageNotContaining("Exception");
        }
    }
}
