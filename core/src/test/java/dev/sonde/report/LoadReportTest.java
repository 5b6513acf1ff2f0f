package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.stats.LatencyStats;
import dev.sonde.run.LoadDetail;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.LoadTimeline;
import dev.sonde.run.StepResult;
import dev.sonde.journal.RunInfo;
import java.nio.file.Files;
import java.time.Instant;
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
            steps.add(step(i, workers[i], rate[i], ttft[i], null));
        }
        Path html = LoadReport.write("latency <bench>", new LoadRunner.LoadResult(steps, 3, dir.resolve("results.json")),
                detail(800.0), null, dir);

        String s = Files.readString(html);
        // the knee is the last step that kept up (4 workers), saturation the first that did not (8)
        assertThat(s).contains("knee at step 2 (4 workers), saturation at step 3 (8 workers)")
                .contains("latency &lt;bench&gt;");
        assertThat(s).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        assertThat(s.split("<path ", -1)).hasSize(1 + 6); // 2 throughput series + 4 latency series
        assertThat(s.split("class=\"dot ", -1)).hasSize(1 + 6 * 4);
        assertThat(s.split("<tr data-step=", -1).length - 1 + s.split("<tr class=\"failed\" data-step=", -1).length - 1
                + s.split("<tr class=\"knee\" data-step=", -1).length - 1).isEqualTo(4);
        assertThat(s).as("the TTFT bound on the latency chart").contains("<line class=\"slo\"").contains("TTFT SLO 800 ms");
        assertThat(s).contains(LoadRunner.KNEE_RULE.substring(0, 40));
        for (int i = 0; i < 4; i++) {
            assertThat(s).contains("href=\"#step-" + i + "\"").contains("id=\"step-" + i + "\"");
        }
        assertThat(s).contains("1,680 ms");
        // 90 latency samples per step: every p99 is marked as resting on fewer than 100
        assertThat(s).contains("2,352 ms*").contains("<td class=\"num\">90</td>");
    }

    /** No per-step curves, no seconds: the steps' own charts and table. */
    private static LoadDetail detail(Double ttftSloMs) {
        return new LoadDetail(ttftSloMs, null, null, 1.0, List.of(), new LoadTimeline(List.of(), 0, List.of()));
    }

    private static StepResult step(int i, int workers, double rate, double ttft, String failed) {
        return new StepResult(i, "closed", workers, null, 100, 90, 90, 5, rate, rate * 120, rate * 0.9, 95, 0,
                Map.of(), 2, 1, 0.05, failed, ms(ttft, ttft * 1.4), ms(8, 20), ms(9, 12), ms(1200, 1800),
                ms(1200, 1900), ms(0, 0), ms(0.2, 0.9));
    }

    @Test
    void states_its_provenance_and_a_failed_step() throws Exception {
        Instant start = Instant.parse("2026-12-05T08:01:00Z");
        RunInfo info = new RunInfo("latency", "suites/latency.yaml", "run-1", "emulator", false, start, null, 0, 0, 0,
                List.of(new RunInfo.ModelRef("haiku", "claude-haiku-4-5")), null, "test", "25", 7L, "0123456789ab");
        List<StepResult> steps = List.of(step(0, 1, 1.0, 300, null),
                step(1, 2, 0.5, 300, "errors 50.0% > max_error_rate 5.0%"));
        Path html = LoadReport.write("latency", new LoadRunner.LoadResult(steps, 1, dir.resolve("results.json")),
                detail(null), info, dir);

        String s = Files.readString(html);
        assertThat(s).contains("emulator · claude-haiku-4-5 · started 2026-12-05 08:01:00 UTC · commit 0123456789ab · seed 7");
        assertThat(s).contains("FAILED: errors 50.0% &gt; max_error_rate 5.0%").contains("FAILED: a step passed its max_error_rate");
        assertThat(s).contains("saturation at step 1 (2 workers)").contains("knee at step 0 (1 worker)");
        assertThat(s).contains("(+2 warm-up, 1 after)");
    }
}
