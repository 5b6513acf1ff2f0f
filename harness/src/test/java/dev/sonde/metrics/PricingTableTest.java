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
}
