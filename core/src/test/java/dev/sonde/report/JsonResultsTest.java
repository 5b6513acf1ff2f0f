package dev.sonde.report;

import dev.sonde.testing.Analyses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonResultsTest {
    @TempDir
    Path dir;

    @Test
    void results_json_round_trips_run_summary_verdict_and_outputs() throws Exception {
        RunResult run = ReportFixture.run(dir, false);
        Path file = JsonResults.write(run, run.outDir().resolve(JsonResults.FILE),
                Map.of("json", "results.json", "junit", "junit.xml"));

        JsonNode root = Journal.JSON.readTree(file.toFile());
        assertThat(root.fieldNames()).toIterable()
                .containsExactly("format_version", "run", "summary", "aggregates", "verdict", "baseline_verdict", "comparison",
                        "skipped_trials", "stopped_by", "load_control", "outputs", "turns", "model_comparison",
                        "cache_variants", "grader", "emulator_filler");
        assertThat(root.get("turns").isNull()).isTrue(); // no trial of the fixture ran a tool loop
        assertThat(root.get("emulator_filler").isNull()).as("no trial was marked filler").isTrue();
        assertThat(root.get("model_comparison").isNull()).as("no compare: section").isTrue();
        assertThat(root.get("cache_variants").isNull()).as("a run without variants").isTrue();
        assertThat(root.at("/load_control/configured_concurrency").isInt()).isTrue();
        assertThat(root.get("format_version").asInt()).isEqualTo(1);
        assertThat(root.get("verdict").asText()).isEqualTo("fail");
        assertThat(root.at("/outputs/junit").asText()).isEqualTo("junit.xml");

        assertThat(Journal.JSON.treeToValue(root.get("run"), RunInfo.class)).isEqualTo(run.info());
        assertThat(root.at("/run/started_at").asText()).isEqualTo("2026-11-03T10:15:30.250Z");
        assertThat(root.at("/run/wall_ms").asDouble()).isEqualTo(12_345.0);

        JsonNode total = root.at("/summary/total");
        assertThat(total.get("trials").asLong()).isEqualTo(ReportFixture.TRIALS);
        assertThat(total.get("passed").asLong()).isEqualTo(ReportFixture.PASSED);
        assertThat(total.get("failed").asLong()).isEqualTo(ReportFixture.FAILED);
        assertThat(total.get("errored").asLong()).isEqualTo(ReportFixture.ERRORED);
        assertThat(total.at("/errors_by_class/rate_limited").asLong()).isEqualTo(1);
        assertThat(total.at("/ttft_ms/count").asLong()).isEqualTo(5);
        assertThat(total.at("/ttft_ms/p50").isNumber()).isTrue();
        assertThat(root.at("/summary/models").fieldNames()).toIterable().containsExactly("sonnet", "local");
        assertThat(root.at("/summary/models/local/unpriced_trials").asLong()).isEqualTo(2);
        assertThat(root.at("/summary/models/sonnet/cost_usd").asDouble()).isCloseTo(0.008342, within(1e-9));
    }

    @Test
    void absent_latency_values_are_null_not_missing() throws Exception {
        RunResult run = ReportFixture.empty(dir);
        JsonNode ttft = Journal.JSON.readTree(JsonResults.write(run, dir.resolve("r.json"), Map.of()).toFile())
                .at("/summary/total/ttft_ms");
        assertThat(ttft.has("p50")).isTrue();
        assertThat(ttft.get("p50").isNull()).isTrue();
        assertThat(ttft.get("count").asLong()).isZero();
    }

    @Test
    void verdict_is_pass_only_when_there_were_trials_and_all_passed() throws Exception {
        assertThat(verdict(ReportFixture.run(dir, false)).wire()).isEqualTo("fail");
        assertThat(verdict(ReportFixture.empty(dir)).wire()).isEqualTo("fail");
        assertThat(verdict(ReportFixture.allPassing(dir)).wire()).isEqualTo("pass");
    }

    private static dev.sonde.analysis.RunVerdict verdict(RunResult run) {
        return dev.sonde.analysis.RunVerdict.of(Analyses.summary(run), run, false);
    }

    @Test
    void file_is_pretty_printed() throws Exception {
        Path file = JsonResults.write(ReportFixture.allPassing(dir), dir.resolve("p.json"), Map.of());
        assertThat(Files.readString(file)).startsWith("{\n").contains("\n  \"verdict\" : \"pass\",\n");
    }
}
