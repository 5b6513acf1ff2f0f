package dev.sonde.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PricingTable table = PricingTable.defaults();

    private static Usage usage(String json) throws Exception {
        return Usage.fromJson(JSON.readTree(json));
    }

    @Test
    void prices_every_token_kind_with_the_cache_multipliers_of_the_docs() throws Exception {
        // The docs' mixed-TTL example on Sonnet 4.6 ($3 in, $15 out).
        Usage u = usage("""
                {"input_tokens":2048,"cache_read_input_tokens":1800,"cache_creation_input_tokens":248,"output_tokens":503,
                 "cache_creation":{"ephemeral_5m_input_tokens":148,"ephemeral_1h_input_tokens":100}}""");
        Cost c = table.cost("claude-sonnet-4-6", u, false).orElseThrow();

        double in = 3e-6;
        assertThat(c.inputUsd()).isCloseTo(2048 * in, offset(1e-12));
        assertThat(c.cacheWriteUsd()).isCloseTo(148 * in * 1.25 + 100 * in * 2, offset(1e-12));
        assertThat(c.cacheReadUsd()).isCloseTo(1800 * in * 0.1, offset(1e-12));
        assertThat(c.outputUsd()).isCloseTo(503 * 15e-6, offset(1e-12));
        assertThat(c.cacheSavingsUsd()).isCloseTo(248 * in + 1800 * in - (148 * in * 1.25 + 100 * in * 2) - 1800 * in * 0.1,
                offset(1e-12));
    }

    @Test
    void a_cache_write_without_the_ttl_split_counts_as_5m_and_no_caching_saves_exactly_zero() throws Exception {
        Cost c = table.cost("claude-haiku-4-5", usage("{\"input_tokens\":10,\"cache_creation_input_tokens\":1000,\"output_tokens\":1}"), false)
                .orElseThrow();
        assertThat(c.cacheWriteUsd()).isCloseTo(1000 * 1e-6 * 1.25, offset(1e-12));
        Cost plain = table.cost("claude-haiku-4-5", usage("{\"input_tokens\":70,\"output_tokens\":2}"), false).orElseThrow();
        assertThat(plain.cacheSavingsUsd()).isEqualTo(0.0);
    }

    @Test
    void batch_tier_halves_everything_and_dated_ids_match_their_base_model() throws Exception {
        Usage u = usage("{\"input_tokens\":1000000,\"output_tokens\":1000000,\"service_tier\":\"batch\"}");
        assertThat(table.cost("claude-haiku-4-5-20251001", u, false).orElseThrow().totalUsd()).isCloseTo(3.0, offset(1e-9));
        Usage standard = usage("{\"input_tokens\":1000000,\"output_tokens\":1000000}");
        assertThat(table.cost("claude-opus-4-7", standard, true).orElseThrow().totalUsd()).isCloseTo(15.0, offset(1e-9));
    }

    @Test
    void an_unknown_model_is_unpriced_never_zero_until_a_user_file_adds_it(@TempDir Path dir) throws Exception {
        Usage u = usage("{\"input_tokens\":100,\"output_tokens\":100}");
        assertThat(table.cost("claude-sonnet-5", u, false)).isEmpty();

        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, "models:\n  claude-sonnet-5: {input: 2, output: 10}\n  claude-haiku-4-5: {input: 1.5, output: 6}\n");
        PricingTable extended = table.extendedBy(file);
        assertThat(extended.cost("claude-sonnet-5", u, false).orElseThrow().totalUsd()).isCloseTo(100 * 2e-6 + 100 * 10e-6, offset(1e-12));
        assertThat(extended.priceOf("claude-haiku-4-5").orElseThrow().inputPerMTok()).isEqualTo(1.5);
        assertThat(extended.priceOf("claude-opus-4-7")).isPresent();

        Files.writeString(file, "models:\n  x: {input: cheap}\n");
        assertThatThrownBy(() -> table.extendedBy(file)).hasMessageContaining("models.x needs numeric 'input' and 'output'");
    }

    @Test
    void bedrock_ids_map_to_their_anthropic_model_and_regional_endpoints_carry_the_ten_percent_premium() {
        // Global profile: list price. Geographic profile, in-region id and ARN: regional, +10 %.
        assertThat(table.priceOf("bedrock/us-east-1/global.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow())
                .isEqualTo(new ModelPrice(3, 15));
        ModelPrice regional = table.priceOf("bedrock/us-east-1/us.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow();
        assertThat(regional.inputPerMTok()).isCloseTo(3.3, offset(1e-12));
        assertThat(regional.outputPerMTok()).isCloseTo(16.5, offset(1e-12));
        assertThat(table.priceOf("bedrock/eu-west-1/anthropic.claude-haiku-4-5-20251001-v1:0").orElseThrow().inputPerMTok())
                .isCloseTo(1.1, offset(1e-12));
        assertThat(table.priceOf("bedrock/us-east-1/arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
                + "global.anthropic.claude-opus-4-6-v1").orElseThrow()).isEqualTo(new ModelPrice(5, 25));
        // Before Sonnet 4.5 there is no endpoint split: list price on any profile.
        assertThat(table.priceOf("bedrock/us-west-2/us.anthropic.claude-opus-4-1-20250805-v1:0").orElseThrow())
                .isEqualTo(new ModelPrice(15, 75));
        assertThat(table.priceOf("bedrock/us-east-1/anthropic.claude-sonnet-9-v1:0")).isEmpty();
    }

    @Test
    void a_premium_is_the_decimal_product_so_files_and_reports_show_3_3() throws Exception {
        ModelPrice regional = table.priceOf("bedrock/us-east-1/us.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow();
        assertThat(regional).isEqualTo(new ModelPrice(3.3, 16.5));
        assertThat(Jackson.plain().writeValueAsString(regional)).contains("3.3,").doesNotContain("3.3000000000000003");
        assertThat(table.priceOf("vertex/us-east5/claude-haiku-4-5@20251001").orElseThrow()).isEqualTo(new ModelPrice(1.1, 5.5));
    }

    @Test
    void vertex_dates_map_to_snapshots_and_only_the_global_region_is_at_list_price() {
        assertThat(table.priceOf("vertex/global/claude-sonnet-4-5@20250929").orElseThrow()).isEqualTo(new ModelPrice(3, 15));
        assertThat(table.priceOf("vertex/us-east5/claude-sonnet-4-5@20250929").orElseThrow().inputPerMTok())
                .isCloseTo(3.3, offset(1e-12));
        assertThat(table.priceOf("vertex/eu/claude-haiku-4-5@20251001").orElseThrow().outputPerMTok())
                .isCloseTo(5.5, offset(1e-12));
        assertThat(table.priceOf("vertex/us-east5/claude-opus-4-1@20250805").orElseThrow()).isEqualTo(new ModelPrice(15, 75));
    }

    @Test
    void foundry_and_claude_platform_on_aws_are_at_list_price_and_plain_ids_are_priced_as_before() throws Exception {
        assertThat(table.priceOf("foundry/-/claude-sonnet-4-5").orElseThrow()).isEqualTo(new ModelPrice(3, 15));
        assertThat(table.priceOf("claude-platform-aws/us-east-1/claude-haiku-4-5").orElseThrow()).isEqualTo(new ModelPrice(1, 5));
        // Not a known platform, or not three segments: a plain model id, unpriced here.
        assertThat(table.priceOf("azure/-/claude-sonnet-4-5")).isEmpty();
        assertThat(table.priceOf("bedrock/claude-sonnet-4-5")).isEmpty();
        // The cost of a platform key goes through the same multipliers as a plain id.
        Usage u = usage("{\"input_tokens\":1000000,\"output_tokens\":1000000,\"service_tier\":\"batch\"}");
        assertThat(table.cost("vertex/europe-west1/claude-haiku-4-5@20251001", u, false).orElseThrow().totalUsd())
                .isCloseTo(3.3, offset(1e-9));
        assertThat(table.modelIds()).contains("claude-sonnet-4-5").noneMatch(id -> id.contains("/"));
        assertThat(table.version()).isNotEqualTo("2026-12-05");
    }

    @Test
    void a_user_file_row_overrides_the_shipped_rows_where_it_matches_and_keeps_them_elsewhere(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, """
                platforms:
                  bedrock:
                    - {regions: [eu-central-1], models: [claude-sonnet-4-5], input: 3.6, output: 18}
                  foundry:
                    - {multiplier: 1.2}
                models:
                  "vertex/us-east5/claude-opus-4-7": {input: 6, output: 30}
                """);
        PricingTable extended = table.extendedBy(file);
        assertThat(extended.priceOf("bedrock/eu-central-1/eu.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow())
                .isEqualTo(new ModelPrice(3.6, 18));
        assertThat(extended.priceOf("bedrock/eu-west-1/eu.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow()
                .inputPerMTok()).isCloseTo(3.3, offset(1e-12));
        assertThat(extended.priceOf("foundry/-/claude-opus-4-7").orElseThrow().inputPerMTok()).isCloseTo(6, offset(1e-12));
        assertThat(extended.priceOf("vertex/us-east5/claude-opus-4-7").orElseThrow()).isEqualTo(new ModelPrice(6, 30));
        assertThat(table.priceOf("foundry/-/claude-opus-4-7").orElseThrow()).isEqualTo(new ModelPrice(5, 25));
    }

    @Test
    @org.junit.jupiter.api.Tag("hostile")
    void a_bad_platforms_section_is_one_line_naming_the_file_and_the_key(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.yaml");
        String[][] cases = {
            {"platforms:\n  azure: []\n", "prices.yaml: platforms.azure: unknown platform (known: bedrock,"},
            {"platforms:\n  vertex: {multiplier: 2}\n", "prices.yaml: platforms.vertex is a list of rows"},
            {"platforms:\n  vertex:\n    - {multipler: 2}\n", "prices.yaml: platforms.vertex[0].multipler: unknown key"},
            {"platforms:\n  vertex:\n    - {multiplier: -1}\n", "platforms.vertex[0].multiplier needs a non-negative number"},
            {"platforms:\n  vertex:\n    - {multiplier: 1e400}\n", "platforms.vertex[0].multiplier needs a non-negative number"},
            {"platforms:\n  vertex:\n    - {multiplier: 11}\n", "platforms.vertex[0].multiplier 11.0 is above 10"},
            {"platforms:\n  vertex:\n    - {regions: [1], multiplier: 1}\n", "platforms.vertex[0].regions needs a list of strings"},
            {"platforms: [bedrock]\n", "prices.yaml: platforms is a mapping of platform name to a list of rows"},
            {"platforms:\n  bedrock:\n    - {input: 1}\n", "platforms.bedrock[0].output needs a non-negative number (USD per MTok)"},
            {"platforms:\n  bedrock:\n    - {endpoint: local, multiplier: 1}\n", "platforms.bedrock[0].endpoint must be global or regional"},
            {"platforms:\n  bedrock:\n    - {models: claude-sonnet-4-5, multiplier: 1}\n", "platforms.bedrock[0].models needs a non-empty list"},
            {"platforms:\n  bedrock:\n    - {input: 1, output: 2, multiplier: 1}\n", "give either multiplier or input and output"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            assertThatThrownBy(() -> table.extendedBy(file)).as(c[0]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c[1]).hasMessageNotContaining("\n");
        }
    }
}
