package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorCommandTest {
    @TempDir
    Path dir;

    @Test
    void a_trace_file_in_a_missing_folder_is_one_line_and_exit_2_before_anything_listens() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String trace = dir.resolve("no-such-folder").resolve("trace.jsonl").toString();
        int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true),
                "emulator", "--port", "0", "--trace", trace);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("sonde: --trace " + trace + ": not a file in an existing folder");
        assertThat(out.toString()).isEmpty();
    }
}
