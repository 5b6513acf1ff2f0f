package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark baseline from outside is checked before it is trusted: every failure is one line naming the file and field. */
@Tag("hostile")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BenchmarkBaselineFileTest {
    private static final String RUN = "{\"run_id\": \"bench-1\", \"endpoint\": \"emulator\", \"live\": false}";
    @TempDir
    Path dir;

    private Path file(String steps) throws Exception {
        Path f = dir.resolve("b.json");
        Files.writeString(f, "{\"format\": \"sonde-benchmark-baseline\", \"format_version\": 1, \"suite\": \"bench\","
                + " \"runs\": [" + RUN + "], \"load\": {\"mode\": \"closed\", \"duration_s\": 2, \"warmup_s\": 0.5,"
                + " \"max_requests\": 100, \"slo\": {}}, \"steps\": {\"step 0 (4 workers)\": " + steps + "}}");
        return f;
    }

    private static String step(String fields) {
        return "{\"run\": 0, \"step\": 0, \"concurrency\": 4, \"window_s\": 1.5, \"finished_in_window\": 10,"
                + " \"good_in_window\": 9, \"samples\": {\"ttft_ms\": {\"count\": 2, \"values\": [1.5, 2.5]}}" + fields + "}";
    }

    @Test
    void a_well_formed_file_reads_back_its_steps() throws Exception {
        BenchmarkBaseline b = BenchmarkBaseline.read(file(step("")));
        assertThat(b.steps().values()).singleElement().satisfies(s -> {
            assertThat(s.samples("ttft_ms").count()).isEqualTo(2);
            assertThat(s.samples("e2e_ms").count()).isZero();
        });
        assertThat(b.stepsAt(4)).hasSize(1);
    }

    @Test
    void damaged_counts_windows_loads_runs_and_histograms_are_refused_naming_the_field() throws Exception {
        assertThatThrownBy(() -> BenchmarkBaseline.read(file(step(", \"good_in_window\": 11").replace(
                "\"good_in_window\": 9, ", "")))).hasMessageContaining("steps.step 0 (4 workers) needs window_s > 0 and 0 ≤ good_in_window");
        assertThatThrownBy(() -> BenchmarkBaseline.read(file(step("").replace("1.5, \"finished", "-1, \"finished"))))
                .hasMessageContaining("steps.step 0 (4 workers) needs window_s > 0");
        assertThatThrownBy(() -> BenchmarkBaseline.read(file(step("").replace("\"concurrency\": 4", "\"concurrency\": 0"))))
                .hasMessageContaining("steps.step 0 (4 workers) needs one load");
        assertThatThrownBy(() -> BenchmarkBaseline.read(file(step("").replace("\"run\": 0", "\"run\": 3"))))
                .hasMessageContaining("steps.step 0 (4 workers).run is 3, but the baseline holds 1 run");
        assertThatThrownBy(() -> BenchmarkBaseline.read(file(step("").replace("\"values\": [1.5, 2.5]",
                "\"hdr\": \"bm90IGEgaGlzdG9ncmFt\"")))).hasMessageContaining("steps.step 0 (4 workers).samples.ttft_ms.hdr is not an encoded histogram");
        org.HdrHistogram.Histogram huge = new org.HdrHistogram.Histogram(3);
        huge.recordValueWithCount(1000, 1L << 31); // a few bytes encoded, 16 GB when the bootstrap expands it
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(huge.getNeededByteBufferCapacity());
        int length = huge.encodeIntoCompressedByteBuffer(buffer);
        String hdr = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
        assertThatThrownBy(() -> BenchmarkBaseline.read(file(step("").replace("\"count\": 2, \"values\": [1.5, 2.5]",
                "\"count\": 2, \"hdr\": \"" + hdr + "\""))))
                .hasMessageContaining("steps.step 0 (4 workers).samples.ttft_ms holds 2147483648 values for a count of 2");
        assertThatThrownBy(() -> BenchmarkBaseline.read(file(step("").replace("\"count\": 2, \"values\": [1.5, 2.5]",
                "\"count\": 2147483648, \"hdr\": \"" + hdr + "\""))))
                .hasMessageContaining("(at most 10000000)");
        assertThatThrownBy(() -> BenchmarkBaseline.read(file(step("").replace("\"window_s\": 1.5", "\"window_s\": \"x\""))))
                .hasMessageStartingWith(dir.resolve("b.json") + ": not a readable Sonde baseline: ")
                .hasMessageNotContaining("com.fasterxml");
    }

    @Test
    void an_evaluations_baseline_or_another_format_is_refused_saying_which() throws Exception {
        Path eval = dir.resolve("eval.json");
        Files.writeString(eval, "{\"format\": \"sonde-baseline\", \"format_version\": 1, \"trials\": {}, \"models\": {}}");
        assertThatThrownBy(() -> BenchmarkBaseline.read(eval)).hasMessageContaining("is an evaluation's baseline");
        Path newer = dir.resolve("newer.json");
        Files.writeString(newer, Files.readString(file(step(""))).replace("\"format_version\": 1", "\"format_version\": 9"));
        assertThatThrownBy(() -> BenchmarkBaseline.read(newer)).hasMessageContaining("format_version 9 is not supported");
        Path bench = file(step(""));
        assertThatThrownBy(() -> BaselineFile.read(bench)).hasMessageContaining("is a benchmark's baseline");
    }
}
