package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.baseline.Baselines;
import dev.sonde.baseline.Comparison;
import dev.sonde.baseline.Gates;
import dev.sonde.journal.Journal;
import dev.sonde.metrics.PricingTable;
import dev.sonde.run.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline comparison in every output: results.json, summary.md and report.html. */
class BaselineReportTest {
    @TempDir
    Path dir;

    /** The fixture run against a baseline in which "summarize <doc>" [sonnet] still passed. */
    private Comparison failingComparison(RunResult run) throws Exception {
        Path file = dir.resolve("baseline.json");
        Baselines.write(run, file);
        ObjectNode root = (ObjectNode) Journal.JSON.readTree(file.toFile());
        root.with("trials").fields().forEachRemaining(e -> {
            if (e.getValue().path("case").asText().startsWith("summarize") && e.getValue().path("model").asText().equals("sonnet")) {
                ((ObjectNode) e.getValue()).put("pass", true);
            }
        });
        Journal.JSON.writeValue(file.toFile(), root);
        return Baselines.compare(file, run, Gates.DEFAULTS, PricingTable.defaults());
    }

    @Test
    void a_failing_verdict_is_in_every_output_and_names_the_case() throws Exception {
        RunResult run = ReportFixture.run(dir, false);
        Comparison c = failingComparison(run);
        assertThat(c.verdict().passed()).isFalse();
        Reports.Outputs out = Reports.writeAll(run, c);
        assertThat(out.complete()).as(out.failures().toString()).isTrue();

        JsonNode json = Journal.JSON.readTree(out.json().toFile());
        assertThat(json.path("baseline_verdict").asText()).isEqualTo("fail");
        assertThat(json.at("/comparison/status").asText()).isEqualTo("compared");
        assertThat(json.at("/comparison/verdict/passed").asBoolean()).isFalse();
        assertThat(json.at("/comparison/cases/new_failures/0/case_id").asText()).isEqualTo("summarize <doc>");
        assertThat(json.at("/comparison/verdict/gates/0/gate").asText()).isEqualTo("new_failures");
        assertThat(json.at("/comparison/verdict/gates/0/outcome").asText()).isEqualTo("fail");
        assertThat(json.at("/aggregates/cases/greet/sonnet/trials").asLong()).isEqualTo(2);
        assertThat(json.at("/aggregates/models/sonnet/ttft_ms/p50").isNumber()).isTrue();

        String md = Files.readString(out.markdown(), StandardCharsets.UTF_8);
        assertThat(md).contains("### ❌ Baseline: **FAIL** — new\\_failures")
                .contains("| new\\_failures | ❌ **fail** |")
                .contains("summarize &lt;doc&gt; \\[sonnet\\]: was pass 2/2, now fail 0/2")
                .contains("<details><summary>Latency, cost and tokens against the baseline</summary>");
        assertThat(md.indexOf("### ❌ Baseline")).isLessThan(md.indexOf("### Failing trials"));

        String html = Files.readString(out.html(), StandardCharsets.UTF_8);
        assertThat(html).contains("data-gate=\"new_failures\"").contains("summarize &lt;doc&gt; [sonnet]: was pass 2/2")
                .doesNotContain("<doc>");
    }

    @Test
    void without_a_baseline_the_outputs_say_so_and_stay_green() throws Exception {
        RunResult run = ReportFixture.allPassing(dir);
        Comparison c = Baselines.compare(dir.resolve("missing.json"), run, Gates.DEFAULTS, PricingTable.defaults());
        Reports.Outputs out = Reports.writeAll(run, c);
        JsonNode json = Journal.JSON.readTree(out.json().toFile());
        assertThat(json.path("baseline_verdict").isNull()).isTrue();
        assertThat(json.at("/comparison/status").asText()).isEqualTo("no_baseline_file");
        assertThat(Files.readString(out.markdown())).contains("### ➖ Baseline: no baseline file yet")
                .contains("no baseline file yet at ").doesNotContain("not compared");
        String html = Files.readString(out.html(), StandardCharsets.UTF_8);
        assertThat(html).contains(">no baseline file yet</span>").doesNotContainIgnoringCase("not compared");
        assertThat(html.split("no baseline file yet at ", -1)).as("the reason is said once").hasSize(2);

        Reports.Outputs plain = Reports.writeAll(ReportFixture.allPassing(dir.resolve("plain")));
        JsonNode p = Journal.JSON.readTree(plain.json().toFile());
        assertThat(p.path("comparison").isNull()).isTrue();
        assertThat(p.at("/aggregates/run/trials").asLong()).isEqualTo(2);
        assertThat(Files.readString(plain.markdown())).doesNotContain("Baseline");
        assertThat(Files.readString(plain.html())).doesNotContain("aria-label=\"Baseline comparison\"");
    }

    @Test
    void a_failed_gate_makes_every_headline_fail_even_when_every_trial_passed() throws Exception {
        RunResult run = ReportFixture.allPassing(dir);
        Path damaged = Files.writeString(dir.resolve("damaged.json"), "{not json");
        Comparison c = Baselines.compare(damaged, run, Gates.DEFAULTS, PricingTable.defaults());
        assertThat(c.verdict().passed()).isFalse();
        Reports.Outputs out = Reports.writeAll(run, c);
        assertThat(Files.readString(out.markdown(), StandardCharsets.UTF_8))
                .startsWith("## ❌ Sonde · regression — **FAIL**\n").contains("### ❌ Baseline: **FAIL**");
        assertThat(Files.readString(out.html(), StandardCharsets.UTF_8)).contains("✗ Fail").doesNotContain("✓ Pass");
        JsonNode json = Journal.JSON.readTree(out.json().toFile());
        assertThat(json.path("verdict").asText()).as("the trials' own word, the gates beside it").isEqualTo("pass");
        assertThat(json.path("baseline_verdict").asText()).isEqualTo("fail");
    }
}
