package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.cli.Main;
import dev.sonde.cli.ReportCommand;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Reports name the cloud platform a model ran on beside its label, from run.json's {@code models[]}
 * provider and region: the shipped migration suite runs offline (first-party, so its run.json
 * carries neither key), then the run metadata in its results.json (which {@code sonde report} reads)
 * is edited as a run with {@code haiku} on Bedrock and {@code opus} on Foundry would have written it,
 * and {@code sonde report} re-renders every format.
 */
class PlatformNamesReportTest {
    @TempDir
    static Path dir;

    static Path out;
    static String firstPartyRunJson;

    @BeforeAll
    static void run() throws Exception {
        out = dir.resolve("run");
        StringWriter text = new StringWriter();
        int exit = Main.execute(Map.of(), new PrintWriter(text, true), new PrintWriter(text, true), "run",
                Path.of("../suites/migration.yaml").toString(), "--out", out.toString(), "-q");
        assertThat(exit).as(text.toString()).isZero();
        firstPartyRunJson = Files.readString(out.resolve(RunInfo.FILE));
        ObjectNode results = (ObjectNode) Journal.JSON.readTree(out.resolve("results.json").toFile());
        for (JsonNode m : results.at("/run/models")) {
            switch (m.get("id").asText()) {
                case "haiku" -> ((ObjectNode) m).put("provider", "bedrock").put("region", "us-east-1");
                case "opus" -> ((ObjectNode) m).put("provider", "foundry");
                default -> { }
            }
        }
        Files.writeString(out.resolve("results.json"), Journal.JSON.writeValueAsString(results));
        StringWriter err = new StringWriter();
        CommandLine report = new CommandLine(new ReportCommand());
        report.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
        assertThat(report.execute(out.toString(), "--format", "html,md,json")).as(err.toString()).isZero();
    }

    @Test
    void a_first_party_run_json_is_as_before_and_reads_without_a_platform() throws Exception {
        JsonNode models = Journal.JSON.readTree(firstPartyRunJson).get("models");
        for (JsonNode m : models) {
            assertThat(m.has("provider") || m.has("region") || m.has("platform")).as(m.toString()).isFalse();
        }
        RunInfo info = Journal.JSON.readValue(firstPartyRunJson, RunInfo.class);
        assertThat(info.platforms()).isEmpty();
        assertThat(info.models()).allMatch(m -> m.provider() == null && m.region() == null && m.platform() == null);
    }

    @Test
    void summary_md_names_the_platform_beside_each_model_and_in_the_migration_section() throws Exception {
        String md = Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8);
        assertThat(md).contains("| haiku (bedrock · us-east-1) |", "| opus (foundry) |", "| sonnet |");
        assertThat(md).contains("**claude-haiku-4-5 (bedrock · us-east-1): ", "**claude-opus-4-7 (foundry): ");
    }

    @Test
    void the_html_report_names_the_platform_on_the_model_cards_and_the_migration_candidates() throws Exception {
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(html).contains(" · bedrock · us-east-1</span>", " · foundry</span>");
        assertThat(html).contains("<b>claude-haiku-4-5 (bedrock · us-east-1): ");
        assertThat(html).containsOnlyOnce("data-platform> · bedrock · us-east-1");
    }

    @Test
    void results_json_carries_provider_region_and_the_platform_label() throws Exception {
        JsonNode models = Journal.JSON.readTree(out.resolve("results.json").toFile()).at("/run/models");
        assertThat(models.get(1).get("platform").asText()).isEqualTo("bedrock · us-east-1");
        assertThat(models.get(1).get("provider").asText()).isEqualTo("bedrock");
        assertThat(models.get(1).get("region").asText()).isEqualTo("us-east-1");
        assertThat(models.get(2).get("platform").asText()).isEqualTo("foundry");
        assertThat(models.get(2).has("region")).isFalse();
        assertThat(models.get(0).has("platform")).isFalse();
    }
}
