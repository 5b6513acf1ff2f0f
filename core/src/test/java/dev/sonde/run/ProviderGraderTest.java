package dev.sonde.run;

import dev.sonde.testing.ScriptedProvider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.api.Provider;
import dev.sonde.api.Timeouts;
import dev.sonde.check.Grader;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.RetrySpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The grading request a ProviderGrader sends, and how it prices, retries and reports what came back. */
class ProviderGraderTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectNode SCHEMA = F.objectNode().put("type", "object");
    private static final Timeouts TIMEOUTS = Timeouts.total(Duration.ofSeconds(30));

    /** Answers each request with the next scripted exchange, recording the requests. */
    private static Exchange ok(String text, long in, long out) {
        Usage u = Usage.fromJson(F.objectNode().put("input_tokens", in).put("output_tokens", out));
        return new Exchange(200, "req_1", "m", List.of(new ContentBlock.Text(text)), "end_turn", null, u, Timings.NONE,
                null);
    }

    private static Exchange overloaded() {
        return new Exchange(529, "req_0", "m", List.of(), null, null, Usage.NONE, Timings.NONE,
                new ApiFailure(ErrorClass.OVERLOADED, 529, "overloaded_error", "Overloaded"));
    }

    private static ProviderGrader grader(Provider p, String model, boolean chat, ObjectNode params) {
        return new ProviderGrader("judge", model, chat, Map.of("anthropic-beta", "x"), params, p, PricingTable.defaults(),
                TIMEOUTS, new RetrySpec(3, Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(1)), new ManualClock());
    }

    @Test
    void a_messages_grader_asks_for_the_verdict_schema_as_structured_output() throws Exception {
        ScriptedProvider p = ScriptedProvider.answers(ok("{\"pass\": true}", 100, 20));
        Grader.Reply r = grader(p, "claude-haiku-4-5", false, F.objectNode().put("max_tokens", 300))
                .ask("be strict", "<rubric>x</rubric>", SCHEMA);
        ObjectNode body = p.sent().get(0).body();
        assertThat(body.get("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
        assertThat(body.get("temperature").asInt()).isZero();
        assertThat(body.get("stream").asBoolean()).isFalse();
        assertThat(body.get("system").asText()).isEqualTo("be strict");
        assertThat(body.at("/messages/0/content").asText()).isEqualTo("<rubric>x</rubric>");
        assertThat(body.at("/output_config/format/type").asText()).isEqualTo("json_schema");
        assertThat(body.at("/output_config/format/schema")).isEqualTo(SCHEMA);
        assertThat(body.has("response_format")).isFalse();
        assertThat(p.sent().get(0).headers()).containsEntry("anthropic-beta", "x");
        assertThat(r.text()).isEqualTo("{\"pass\": true}");
        assertThat(r.failure()).isNull();
        // claude-haiku-4-5: $1 in, $5 out per million tokens
        assertThat(r.costUsd()).isCloseTo((100 * 1.0 + 20 * 5.0) / 1e6, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void a_graders_own_output_config_is_merged_not_replaced_and_calls_do_not_share_it() throws Exception {
        ObjectNode params = F.objectNode();
        params.putObject("output_config").put("effort", "low");
        ScriptedProvider p = ScriptedProvider.answers(ok("{\"pass\": true}", 1, 1), ok("{\"pass\": true}", 1, 1));
        ProviderGrader g = grader(p, "claude-haiku-4-5", false, params);
        g.ask("s", "first", SCHEMA);
        g.ask("s", "second", F.objectNode().put("type", "object").put("title", "other"));
        ObjectNode first = p.sent().get(0).body();
        assertThat(first.at("/output_config/effort").asText()).isEqualTo("low");
        assertThat(first.at("/output_config/format/type").asText()).isEqualTo("json_schema");
        assertThat(first.at("/output_config/format/schema")).isEqualTo(SCHEMA);
        assertThat(p.sent().get(1).body().at("/output_config/format/schema/title").asText()).isEqualTo("other");
        assertThat(params.at("/output_config").size()).isEqualTo(1); // the grader's params were not written to
    }

    @Test
    void a_chat_grader_asks_with_response_format() throws Exception {
        ScriptedProvider p = ScriptedProvider.answers(ok("{}", 1, 1));
        grader(p, "claude-haiku-4-5", true, F.objectNode()).ask("s", "p", SCHEMA);
        ObjectNode body = p.sent().get(0).body();
        assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(body.at("/response_format/json_schema/schema")).isEqualTo(SCHEMA);
        assertThat(body.has("output_config")).isFalse();
        assertThat(body.get("max_tokens").asInt()).isEqualTo(ProviderGrader.DEFAULT_MAX_TOKENS);
    }

    @Test
    void retries_like_a_trial_and_reports_a_final_failure_without_throwing() throws Exception {
        ScriptedProvider retried = ScriptedProvider.answers(overloaded(), ok("{\"pass\": false}", 10, 2));
        Grader.Reply r = grader(retried, "claude-haiku-4-5", false, F.objectNode()).ask("s", "p", SCHEMA);
        assertThat(retried.sent()).hasSize(2);
        assertThat(r.failure()).isNull();
        assertThat(r.usage().inputTokens()).isEqualTo(10);

        ScriptedProvider down = ScriptedProvider.answers(overloaded(), overloaded(), overloaded());
        Grader.Reply failed = grader(down, "claude-haiku-4-5", false, F.objectNode()).ask("s", "p", SCHEMA);
        assertThat(down.sent()).hasSize(3);
        assertThat(failed.failure()).contains("529").contains("Overloaded");
        assertThat(failed.costUsd()).isEqualTo(0.0);
    }

    @Test
    void an_unpriced_grader_model_has_no_cost_never_zero() throws Exception {
        Grader.Reply r = grader(ScriptedProvider.answers(ok("{}", 50, 5)), "my-local-model", false, F.objectNode())
                .ask("s", "p", SCHEMA);
        assertThat(r.costUsd()).isNull();
        assertThat(r.usage().outputTokens()).isEqualTo(5);
    }

    @Test
    void a_grader_on_a_platform_sends_its_platform_id_and_is_priced_under_its_price_key() throws Exception {
        ScriptedProvider p = ScriptedProvider.answers(ok("{\"pass\": true}", 100, 20));
        ProviderGrader g = new ProviderGrader("judge", "claude-haiku-4-5@20251001", "vertex/us-east5/claude-haiku-4-5@20251001",
                false, Map.of(), F.objectNode(), p, PricingTable.defaults(), TIMEOUTS,
                new RetrySpec(1, Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(1)), new ManualClock());
        Grader.Reply r = g.ask("s", "x", SCHEMA);
        assertThat(p.sent().get(0).body().get("model").asText()).isEqualTo("claude-haiku-4-5@20251001");
        // Haiku 4.5 on a Vertex regional endpoint: $1.10 in, $5.50 out per million tokens
        assertThat(r.costUsd()).isCloseTo((100 * 1.1 + 20 * 5.5) / 1e6, org.assertj.core.data.Offset.offset(1e-15));
    }
}
