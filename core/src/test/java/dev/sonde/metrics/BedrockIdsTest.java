package dev.sonde.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one reading of a Bedrock model id: the default route, the global endpoint, the Anthropic id. */
class BedrockIdsTest {
    private static final String ARN_HEAD = "arn:aws:bedrock:us-east-1:123456789012:";

    @Test
    void an_arn_versioned_id_has_a_version_or_is_a_bedrock_arn_of_a_model_type() {
        assertThat(BedrockIds.arnVersioned("anthropic.claude-opus-4-1-20250805-v1:0")).isTrue();
        assertThat(BedrockIds.arnVersioned("us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isTrue();
        assertThat(BedrockIds.arnVersioned("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0")).isTrue();
        assertThat(BedrockIds.arnVersioned("global.anthropic.claude-opus-4-6-v1")).isTrue();
        assertThat(BedrockIds.arnVersioned(ARN_HEAD + "inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .isTrue();
        assertThat(BedrockIds.arnVersioned(ARN_HEAD + "application-inference-profile/a1b2c3d4e5f6")).isTrue();
        assertThat(BedrockIds.arnVersioned("arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/"
                + "anthropic.claude-3-haiku-20240307-v1:0")).isTrue();
        // not a geography, not a model's ARN, no version: the Messages API's ids
        assertThat(BedrockIds.arnVersioned("evilgeo.anthropic.claude-sonnet-4-5-v1:0")).isFalse();
        assertThat(BedrockIds.arnVersioned(ARN_HEAD + "guardrail/abc")).isFalse();
        assertThat(BedrockIds.arnVersioned("arn:aws:s3:::bucket/anthropic.x-v1")).isFalse();
        assertThat(BedrockIds.arnVersioned("claude-sonnet-4-5")).isFalse();
        assertThat(BedrockIds.arnVersioned(null)).isFalse();
    }

    @Test
    void the_pricing_tables_comments_list_every_geography_the_ids_are_read_with() throws Exception {
        String pricing;
        try (InputStream in = BedrockIds.class.getResourceAsStream("pricing.yaml")) {
            pricing = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<List<String>> lists = new ArrayList<>();
        Matcher m = Pattern.compile("[a-z-]+\\.(?:/[a-z-]+\\.)+").matcher(pricing);
        while (m.find()) {
            lists.add(Arrays.stream(m.group().split("/")).map(g -> g.substring(0, g.length() - 1)).toList());
        }
        // one list of every prefix the ids drop, one of the regional (geographic) profiles
        assertThat(lists).hasSize(2);
        assertThat(lists.get(0)).containsExactlyElementsOf(BedrockIds.GEOGRAPHIES);
        assertThat(lists.get(1)).containsExactlyElementsOf(
                BedrockIds.GEOGRAPHIES.stream().filter(g -> !g.equals("global")).toList());
    }

    @Test
    void api_decides_first_then_mantle_serves_messages_only_then_the_id() {
        String versioned = "eu.anthropic.claude-haiku-4-5-20251001-v1:0";
        assertThat(BedrockIds.invoke(null, null, versioned)).isTrue();
        assertThat(BedrockIds.invoke("runtime", null, versioned)).isTrue();
        assertThat(BedrockIds.invoke("mantle", null, versioned)).isFalse();
        assertThat(BedrockIds.invoke(null, "messages", versioned)).isFalse();
        assertThat(BedrockIds.invoke(null, "invoke", "claude-haiku-4-5")).isTrue();
        assertThat(BedrockIds.invoke(null, null, "claude-haiku-4-5")).isFalse();
    }

    @Test
    void the_anthropic_id_drops_the_arn_head_geography_prefix_and_version() {
        assertThat(BedrockIds.anthropicId(ARN_HEAD + "inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(BedrockIds.anthropicId("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(BedrockIds.anthropicId("apac.anthropic.claude-haiku-4-5-20251001-v1:0"))
                .isEqualTo("claude-haiku-4-5-20251001");
        assertThat(BedrockIds.anthropicId("global.claude-sonnet-4-5")).isEqualTo("claude-sonnet-4-5");
        assertThat(BedrockIds.anthropicId(ARN_HEAD + "application-inference-profile/a1b2c3d4e5f6"))
                .isEqualTo("a1b2c3d4e5f6");
        assertThat(BedrockIds.anthropicId("claude-sonnet-4-5")).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void the_global_endpoint_is_a_global_profile_also_behind_an_arn() {
        assertThat(BedrockIds.global("global.anthropic.claude-sonnet-4-5-20250929-v1:0")).isTrue();
        assertThat(BedrockIds.global(ARN_HEAD + "inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .isTrue();
        assertThat(BedrockIds.global("us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isFalse();
        assertThat(BedrockIds.global("anthropic.claude-sonnet-4-5-20250929-v1:0")).isFalse();
    }
}
