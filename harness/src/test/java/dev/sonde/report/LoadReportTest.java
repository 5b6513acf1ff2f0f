package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.stats.LatencyStats;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadReportTest {
    @TempDir
    Path dir;

    private static LatencyStats ms(double p50, double p99) {
        return new LatencyStats(100, p50, 1.0, p50, p99, p99, p99, p99 * 1.2);
    }

    @Test
    void draws_throughput_and_latency_against_load_and_marks_the_saturated_step() throws Exception {
        List<StepResult> steps = new ArrayList<>();
        int[] workers = {1, 2, 4, 8};
        double[] rate = {0.8, 1.6, 3.2, 3.2};
        double[] ttft = {380, 390, 480, 1680};
        for (int i = 0; i < 4; i++) {
            steps.add(new StepResult(i, "closed", workers[i], null, 100, 90, 90, 5, rate[i], rate[i] * 120, rate[i] * 0.9,
                    0, Map.of(), ms(ttft[i], ttft[i] * 1.4), ms(8, 20), ms(9, 12), ms(1200, 1800), ms(1200, 1900),
                    ms(0, 0)));
        }
        Path html = LoadReport.write("latency <bench>", new LoadRunner.LoadResult(steps, 3, dir.resolve("results.json")), dir);

        String s = Files.readString(html);
        assertThat(s).contains("saturation at step 3 (8 workers)").contains("latency &lt;bench&gt;");
        assertThat(s).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        assertThat(s.split("<path ", -1)).hasSize(1 + 5); // 2 throughput series + 3 latency series
        assertThat(s.split("class=\"dot ", -1)).hasSize(1 + 5 * 4);
        assertThat(s.split("<tr", -1).length - 1).isEqualTo(1 + 4);
        assertThat(s).contains("1,680 ms");
    }
}
