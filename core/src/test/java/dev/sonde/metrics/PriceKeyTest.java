package dev.sonde.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PriceKeyTest {
    @Test
    void splits_into_at_most_three_segments_so_an_arn_keeps_its_slashes() {
        PriceKey k = PriceKey.parse("bedrock/us-east-1/arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0")
                .orElseThrow();
        assertThat(k.platform()).isEqualTo("bedrock");
        assertThat(k.region()).isEqualTo("us-east-1");
        assertThat(k.id()).startsWith("arn:aws:bedrock:").endsWith("/anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(k.anthropicId()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(k.globalEndpoint()).isFalse();
    }

    @Test
    void normalises_each_platforms_ids_to_the_anthropic_id() {
        assertThat(PriceKey.parse("bedrock/ap-northeast-1/jp.anthropic.claude-haiku-4-5-20251001-v1:0").orElseThrow().anthropicId())
                .isEqualTo("claude-haiku-4-5-20251001");
        assertThat(PriceKey.parse("bedrock/us-east-1/global.anthropic.claude-opus-4-6-v1").orElseThrow().anthropicId())
                .isEqualTo("claude-opus-4-6");
        assertThat(PriceKey.parse("vertex/global/claude-opus-4-5@20251101").orElseThrow().anthropicId())
                .isEqualTo("claude-opus-4-5-20251101");
        assertThat(PriceKey.parse("claude-platform-aws/us-east-1/claude-sonnet-4-5").orElseThrow().anthropicId())
                .isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void tells_global_endpoints_and_names_the_platform_for_reports() {
        assertThat(PriceKey.parse("bedrock/us-east-1/global.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow()
                .globalEndpoint()).isTrue();
        assertThat(PriceKey.parse("vertex/global/claude-sonnet-4-5@20250929").orElseThrow().globalEndpoint()).isTrue();
        assertThat(PriceKey.parse("vertex/us/claude-sonnet-4-5@20250929").orElseThrow().globalEndpoint()).isFalse();
        PriceKey foundry = PriceKey.parse("foundry/-/claude-sonnet-4-5").orElseThrow();
        assertThat(foundry.region()).isNull();
        assertThat(foundry.label()).isEqualTo("foundry");
        assertThat(PriceKey.parse("bedrock/us-east-1/x").orElseThrow().label()).isEqualTo("bedrock · us-east-1");
    }

    @Test
    void anything_else_is_a_plain_model_id() {
        assertThat(PriceKey.parse("claude-sonnet-4-5")).isEmpty();
        assertThat(PriceKey.parse("openai/gpt/x")).isEmpty();
        assertThat(PriceKey.parse("vertex/global")).isEmpty();
        assertThat(PriceKey.parse("vertex//claude-sonnet-4-5")).isEmpty();
        assertThat(PriceKey.parse(null)).isEmpty();
    }
}
