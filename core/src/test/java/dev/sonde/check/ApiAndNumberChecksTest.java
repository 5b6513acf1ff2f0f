package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.ex;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sonde.api.ContentBlock;
import org.junit.jupiter.api.Test;

class ApiAndNumberChecksTest {

    @Test
    void is_refusal_trusts_the_stop_reason_first_then_common_phrases() throws Exception {
        Check refusal = check("{type: is-refusal}");

        assertThat(refusal.evaluate(text("").stop("refusal").build(), null).reason()).isEqualTo("refusal: stop_reason refusal");
        assertThat(refusal.evaluate(text("I’m sorry, but I can’t share that.").build(), null).reason())
                .startsWith("refusal: the output opens with \"i'm sorry, but\"");
        assertThat(refusal.evaluate(text("Thanks for asking. Unfortunately I cannot assist with that request.").build(), null)
                .reason()).startsWith("refusal: the output says \"i cannot assist with\"");
        CheckResult answer = refusal.evaluate(text("The capital of France is Paris.").build(), null);
        assertThat(answer.pass()).isFalse();
        assertThat(answer.reason()).isEqualTo("not a refusal: stop_reason end_turn and no refusal phrase in"
                + " \"The capital of France is Paris.\"");
        String late = "x".repeat(RefusalCheck.HEAD_CHARS) + " I can't help with the rest.";
        assertThat(refusal.evaluate(text(late).build(), null).pass()).as("only the opening is read").isFalse();
    }

    @Test
    void thinking_needs_a_block_and_bounds_the_reported_thinking_tokens() throws Exception {
        var thought = ex().thinking("Let me add.").text("4").usage("{output_tokens: 90, output_tokens_details: {thinking_tokens: 80}}")
                .build();
        var redacted = ex().block(new ContentBlock.Other("redacted_thinking", JsonNodeFactory.instance.objectNode())).text("4")
                .build();

        assertThat(check("{type: thinking}").evaluate(thought, null).reason()).isEqualTo("1 thinking block, 80 thinking tokens");
        assertThat(check("{type: thinking}").evaluate(redacted, null).pass()).isTrue();
        assertThat(check("{type: thinking, min_tokens: 50, max_tokens: 80}").evaluate(thought, null).reason())
                .isEqualTo("1 thinking block, thinking tokens 80 in [50, 80]");
        assertThat(check("{type: thinking, max_tokens: 79}").evaluate(thought, null).reason())
                .isEqualTo("1 thinking block, thinking tokens 80 > max 79");
        assertThat(check("{type: thinking, min_tokens: 1}").evaluate(redacted, null).reason())
                .isEqualTo("1 thinking block, but usage.output_tokens_details.thinking_tokens was not reported,"
                        + " so the token bound cannot be checked");
        assertThat(check("{type: thinking}").evaluate(text("4").build(), null).reason()).isEqualTo("no thinking block in the response");
        assertThat(check("{type: not-thinking}").evaluate(text("4").build(), null).pass()).isTrue();
    }

    @Test
    void itl_p95_uses_the_nearest_rank_of_this_exchanges_gaps() throws Exception {
        long[] gaps = new long[20];
        for (int i = 0; i < 20; i++) {
            gaps[i] = (i + 1) * 1_000_000L;
        }
        assertThat(ThresholdCheck.p95(gaps)).isEqualTo(19_000_000L);
        assertThat(ThresholdCheck.p95(new long[] {5})).isEqualTo(5);

        var streamed = text("x").timesMs(100, 500, 20, 5, 12, 30).build();
        assertThat(check("{type: itl-p95, max_ms: 30}").evaluate(streamed, null).reason())
                .isEqualTo("itl p95 of 4 gaps 30.0 ms ≤ 30 ms");
        assertThat(check("{type: itl-p95, max_ms: 29.5}").evaluate(streamed, null).reason())
                .isEqualTo("itl p95 of 4 gaps 30.0 ms > 29.5 ms");
        assertThat(check("{type: itl-p95, max_ms: 30}").evaluate(text("x").timesMs(-1, 500).build(), null).reason())
                .isEqualTo("no inter-token gaps: fewer than 2 content deltas were streamed (0)");
    }

    @Test
    void token_bounds_and_cache_hit_ratio_read_the_returned_usage() throws Exception {
        var cached = text("x").usage("{input_tokens: 50, cache_creation_input_tokens: 150, cache_read_input_tokens: 800,"
                + " output_tokens: 40}").build();

        assertThat(check("{type: output-tokens, min: 10, max: 40}").evaluate(cached, null).reason())
                .isEqualTo("output_tokens 40 in [10, 40]");
        assertThat(check("{type: output-tokens, min: 41}").evaluate(cached, null).pass()).isFalse();
        assertThat(check("{type: cache-read-tokens, min: 800}").evaluate(cached, null).reason())
                .isEqualTo("cache_read_input_tokens 800 ≥ 800");
        assertThat(check("{type: cache-hit-ratio, min: 0.8}").evaluate(cached, null).reason())
                .isEqualTo("cache hit ratio 0.800 (800 of 1000 input tokens read from cache) ≥ 0.8");
        assertThat(check("{type: cache-hit-ratio, min: 0.81}").evaluate(cached, null).pass()).isFalse();
        assertThat(check("{type: cache-hit-ratio, min: 0}").evaluate(text("x").usage("{}").build(), null).reason())
                .isEqualTo("no input tokens were reported, so there is no cache hit ratio");
    }
}
