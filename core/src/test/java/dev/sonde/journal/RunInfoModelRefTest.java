package dev.sonde.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** run.json's models[]: where each model ran, written only when it ran on a cloud platform. */
class RunInfoModelRefTest {
    private static RunInfo info(List<RunInfo.ModelRef> models) {
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        return new RunInfo("s", "s.yaml", "run-1", "emulator", false, t, t, 0, 1, 1, models, "v", "0.1", "25");
    }

    @Test
    void a_platform_model_writes_provider_region_and_its_label_and_reads_back_the_same() throws Exception {
        RunInfo written = info(List.of(new RunInfo.ModelRef("br", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "bedrock", "us-east-1"), new RunInfo.ModelRef("az", "my-deployment", "foundry", null)));
        String json = Journal.JSON.writeValueAsString(written);
        JsonNode models = Journal.JSON.readTree(json).get("models");
        assertThat(models.get(0).get("platform").asText()).isEqualTo("bedrock · us-east-1");
        assertThat(models.get(1).has("region")).isFalse();
        assertThat(models.get(1).get("platform").asText()).isEqualTo("foundry");

        RunInfo read = Journal.JSON.readValue(json, RunInfo.class);
        assertThat(read.models()).isEqualTo(written.models());
        assertThat(read.platforms()).containsExactly(java.util.Map.entry("br", "bedrock · us-east-1"),
                java.util.Map.entry("az", "foundry"));
    }

    @Test
    void a_platform_beside_a_name_never_repeats_what_the_name_says() {
        assertThat(RunInfo.withPlatform("br-sonnet", "bedrock · us-east-1")).isEqualTo("br-sonnet (bedrock · us-east-1)");
        assertThat(RunInfo.withPlatform("bedrock", "bedrock · us-east-1")).isEqualTo("bedrock (us-east-1)");
        assertThat(RunInfo.withPlatform("foundry", "foundry")).isEqualTo("foundry");
        assertThat(RunInfo.withPlatform("sonnet", null)).isEqualTo("sonnet");
        RunInfo run = info(List.of(new RunInfo.ModelRef("br", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "bedrock", "us-east-1"), new RunInfo.ModelRef("sonnet", "claude-sonnet-4-5")));
        assertThat(run.titled("br")).isEqualTo("br (bedrock · us-east-1)");
        assertThat(run.titled("sonnet")).isEqualTo("sonnet");
    }

    @Test
    void a_first_party_model_writes_only_id_and_model_as_before() throws Exception {
        String json = Journal.JSON.writeValueAsString(info(List.of(new RunInfo.ModelRef("sonnet", "claude-sonnet-4-5"))));
        assertThat(Journal.JSON.readTree(json).get("models").get(0).toString())
                .isEqualTo("{\"id\":\"sonnet\",\"model\":\"claude-sonnet-4-5\"}");
        RunInfo read = Journal.JSON.readValue("{\"models\":[{\"id\":\"sonnet\",\"model\":\"claude-sonnet-4-5\"}]}",
                RunInfo.class);
        assertThat(read.models().get(0)).isEqualTo(new RunInfo.ModelRef("sonnet", "claude-sonnet-4-5"));
        assertThat(read.platforms()).isEmpty();
    }
}
