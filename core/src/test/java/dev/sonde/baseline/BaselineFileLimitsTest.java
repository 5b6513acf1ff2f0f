package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.metrics.BoundedFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A baseline a suite names is read only when it is a regular file within its limit: a pipe never hangs the read. */
@Tag("hostile")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BaselineFileLimitsTest {
    @TempDir
    Path dir;

    @Test
    void a_baseline_that_is_a_pipe_a_folder_or_huge_is_one_line_naming_it() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder.json"));
        assertThatThrownBy(() -> BaselineFile.read(folder)).isInstanceOf(BoundedFiles.Refused.class)
                .hasMessage(folder + " is not a regular file (a folder, device or pipe)");
        Path huge = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(BaselineFile.MAX_BYTES + 1);
        }
        assertThatThrownBy(() -> BaselineFile.read(huge)).isInstanceOf(BoundedFiles.Refused.class)
                .hasMessage(huge + " is " + (BaselineFile.MAX_BYTES + 1) + " bytes; at most " + BaselineFile.MAX_BYTES
                        + " are read");
        assertThatThrownBy(() -> BaselineFile.read(dir.resolve("missing.json")))
                .hasMessage(dir.resolve("missing.json") + ": not a readable Sonde baseline: no such file");
        Path fifo = dir.resolve("pipe.json");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (java.io.IOException noMkfifo) {
            made = false;
        }
        if (made) { // opening a pipe with no writer would block for ever
            assertThatThrownBy(() -> BaselineFile.read(fifo)).isInstanceOf(BoundedFiles.Refused.class)
                    .hasMessageContaining("is not a regular file");
        }
    }
}
