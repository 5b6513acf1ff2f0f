package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    private static final List<String> TYPES = List.of("contains", "is-json", "not-is-json", "ttft", "latency", "cost",
            "output-tokens");

    @Test
    void snake_case_finds_the_kebab_case_name_and_the_other_way_round() {
        assertThat(Suggest.closest("is_json", TYPES)).contains("is-json");
        assertThat(Suggest.closest("output_tokens", TYPES)).contains("output-tokens");
        assertThat(Suggest.closest("max-tokens", List.of("max_tokens", "temperature"))).contains("max_tokens");
        assertThat(Suggest.closest("first-token-timeout-s", List.of("timeout_s", "first_token_timeout_s")))
                .contains("first_token_timeout_s");
    }

    @Test
    void a_unit_written_after_a_name_finds_the_name() {
        assertThat(Suggest.closest("ttft_ms", TYPES)).contains("ttft");
        assertThat(Suggest.closest("cost_usd", TYPES)).contains("cost");
        // the name spelled with its unit, when it exists, wins over the name without it
        assertThat(Suggest.closest("max-ms", List.of("max", "max_ms"))).contains("max_ms");
    }

    @Test
    void a_dotted_version_finds_the_dashed_model_id() {
        assertThat(Suggest.closest("claude-haiku-4.5", List.of("claude-sonnet-4-6", "claude-haiku-4-5",
                "claude-haiku-4-5-20251001"))).contains("claude-haiku-4-5");
    }

    @Test
    void typos_within_a_small_distance_and_nothing_further() {
        assertThat(Suggest.closest("containz", TYPES)).contains("contains");
        assertThat(Suggest.closest("Contains", TYPES)).contains("contains");
        assertThat(Suggest.closest("banana", TYPES)).isEmpty();
        assertThat(Suggest.closest("gpt-4o", List.of("claude-haiku-4-5"))).isEmpty();
    }
}
