package dev.sonde.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepricingTest {
    private static final double EPS = 1e-12;

    /**
     * Sonnet 4.6 ($3 in, $15 out): a mixed 5m/1h cache write (recorded $0.024), a cache read
     * ($0.0033), a batch-tier trial ($0.03) and a skipped trial; then an unpriced model with a
     * cache write that reports no TTL split (counts as 5m).
     */
    static final String JOURNAL = """
            {"trial_id":"a/sonnet/0","case":"a","model":"sonnet","model_id":"claude-sonnet-4-6","pass":true,"usage":{"input_tokens":1000,"cache_creation_input_tokens":3000,"cache_creation":{"ephemeral_5m_input_tokens":2000,"ephemeral_1h_input_tokens":1000},"cache_read_input_tokens":0,"output_tokens":500},"cost_usd":0.024,"unpriced":false}
            {"trial_id":"b/sonnet/0","case":"b","model":"sonnet","model_id":"claude-sonnet-4-6","pass":true,"usage":{"input_tokens":200,"cache_read_input_tokens":4000,"output_tokens":100},"cost_usd":0.0033,"unpriced":false}
            {"trial_id":"c/sonnet/0","case":"c","model":"sonnet","model_id":"claude-sonnet-4-6","pass":true,"usage":{"input_tokens":10000,"output_tokens":2000,"service_tier":"batch"},"cost_usd":0.03,"unpriced":false}
            {"trial_id":"d/sonnet/0","case":"d","model":"sonnet","model_id":"claude-sonnet-4-6","pass":false,"usage":null,"cost_usd":null,"unpriced":false,"skipped":"budget: max_usd 0.06 reached"}
            {"trial_id":"a/future/0","case":"a","model":"future","model_id":"claude-sonnet-5","pass":true,"usage":{"input_tokens":1000,"cache_creation_input_tokens":400,"output_tokens":100},"cost_usd":null,"unpriced":true}
            """;

    private static Repricing.Report reprice(Path dir, String target) throws Exception {
        Path journal = dir.resolve("trials.jsonl");
        Files.writeString(journal, JOURNAL);
        Repricing r = Repricing.to(target, PricingTable.defaults());
        try (Stream<TrialResult> trials = Journal.read(journal)) {
            trials.forEach(t -> r.add(t.model(), t.modelId(), t.usage(), t.costUsd(), t.skipped() != null));
        }
        return r.report();
    }

    @Test
    void reprices_every_token_kind_at_the_target_price_keeping_ttl_and_batch_tier(@TempDir Path dir) throws Exception {
        Repricing.Report report = reprice(dir, "claude-haiku-4-5");

        assertThat(report.targetModel()).isEqualTo("claude-haiku-4-5");
        assertThat(report.targetInputUsdPerMTok()).isEqualTo(1.0);
        assertThat(report.targetOutputUsdPerMTok()).isEqualTo(5.0);
        assertThat(report.models()).extracting(Repricing.Row::model).containsExactly("sonnet", "future");

        Repricing.Row sonnet = report.models().get(0);
        assertThat(sonnet.modelId()).isEqualTo("claude-sonnet-4-6");
        assertThat(sonnet.trials()).isEqualTo(3);
        assertThat(sonnet.skippedTrials()).isEqualTo(1);
        assertThat(sonnet.batchTrials()).isEqualTo(1);
        assertThat(sonnet.tokens()).isEqualTo(new TokensByKind(11_200, 2_000, 1_000, 4_000, 2_600));
        // Haiku 4.5: $1 in, $5 out; 5m write 1.25×, 1h write 2×, read 0.1×, batch 0.5× of every kind.
        CostByKind k = sonnet.repricedByKind();
        assertThat(k.inputUsd()).isCloseTo(1000e-6 + 200e-6 + 10_000e-6 * 0.5, offset(EPS));
        assertThat(k.cacheWrite5mUsd()).isCloseTo(2000 * 1.25e-6, offset(EPS));
        assertThat(k.cacheWrite1hUsd()).isCloseTo(1000 * 2e-6, offset(EPS));
        assertThat(k.cacheReadUsd()).isCloseTo(4000 * 0.1e-6, offset(EPS));
        assertThat(k.outputUsd()).isCloseTo(500 * 5e-6 + 100 * 5e-6 + 2000 * 5e-6 * 0.5, offset(EPS));
        assertThat(sonnet.repricedUsd()).isCloseTo(0.0191, offset(EPS));
        assertThat(sonnet.recordedUsd()).isCloseTo(0.0573, offset(EPS));
        assertThat(sonnet.unpricedTrials()).isZero();
        assertThat(sonnet.comparedTrials()).isEqualTo(3);
        assertThat(sonnet.differenceUsd()).isCloseTo(0.0191 - 0.0573, offset(EPS));
    }

    @Test
    void sonnet_to_haiku_is_a_third_and_sonnet_to_opus_is_five_thirds(@TempDir Path dir) throws Exception {
        assertThat(reprice(dir, "claude-haiku-4-5").models().get(0).ratio()).isCloseTo(1.0 / 3, offset(1e-9));
        assertThat(reprice(dir, "claude-opus-4-7").models().get(0).ratio()).isCloseTo(5.0 / 3, offset(1e-9));
    }

    @Test
    void repricing_at_the_recorded_model_reproduces_the_recorded_cost(@TempDir Path dir) throws Exception {
        Repricing.Row sonnet = reprice(dir, "claude-sonnet-4-6").models().get(0);
        assertThat(sonnet.repricedUsd()).isCloseTo(sonnet.recordedUsd(), offset(EPS));
        assertThat(sonnet.ratio()).isCloseTo(1.0, offset(1e-9));
    }

    @Test
    void an_unpriced_recorded_model_is_repriced_but_never_compared_as_zero(@TempDir Path dir) throws Exception {
        Repricing.Report report = reprice(dir, "claude-haiku-4-5");

        Repricing.Row future = report.models().get(1);
        assertThat(future.trials()).isEqualTo(1);
        assertThat(future.recordedUsd()).isNull();
        assertThat(future.unpricedTrials()).isEqualTo(1);
        assertThat(future.comparedTrials()).isZero();
        assertThat(future.ratio()).isNull();
        assertThat(future.differenceUsd()).isNull();
        // No TTL split reported: the 400 written tokens count as 5m writes.
        assertThat(future.tokens().cacheWrite5m()).isEqualTo(400);
        assertThat(future.repricedUsd()).isCloseTo(1000e-6 + 400 * 1.25e-6 + 100 * 5e-6, offset(EPS));

        Repricing.Row total = report.total();
        assertThat(total.model()).isNull();
        assertThat(total.trials()).isEqualTo(4);
        assertThat(total.skippedTrials()).isEqualTo(1);
        assertThat(total.unpricedTrials()).isEqualTo(1);
        assertThat(total.comparedTrials()).isEqualTo(3);
        assertThat(total.recordedUsd()).isCloseTo(0.0573, offset(EPS));
        assertThat(total.repricedUsd()).isCloseTo(0.0191 + 0.002, offset(EPS));
        assertThat(total.repricedComparedUsd()).isCloseTo(0.0191, offset(EPS));
        assertThat(total.ratio()).isCloseTo(1.0 / 3, offset(1e-9));
    }

    @Test
    void a_dated_target_id_uses_its_base_price(@TempDir Path dir) throws Exception {
        assertThat(reprice(dir, "claude-haiku-4-5-20251001").total().repricedUsd()).isCloseTo(0.0211, offset(EPS));
    }

    @Test
    void an_unpriced_target_is_an_error_naming_the_model_and_how_to_price_it() {
        assertThatThrownBy(() -> Repricing.to("claude-sonnet-5", PricingTable.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claude-sonnet-5 has no price")
                .hasMessageContaining("--pricing FILE");
    }

    @Test
    void a_target_added_by_a_pricing_file_is_priced(@TempDir Path dir) throws Exception {
        Path prices = dir.resolve("prices.yaml");
        Files.writeString(prices, "models:\n  claude-sonnet-5: {input: 6, output: 30}\n");
        Repricing r = Repricing.to("claude-sonnet-5", PricingTable.defaults().extendedBy(prices));
        r.add("sonnet", "claude-sonnet-4-6", Journal.JSON.readTree("{\"input_tokens\":1000,\"output_tokens\":100}"), 0.0045,
                false);
        assertThat(r.report().total().repricedUsd()).isCloseTo(1000 * 6e-6 + 100 * 30e-6, offset(EPS));
        assertThat(r.report().total().ratio()).isCloseTo(2.0, offset(1e-9));
    }

    @Test
    void web_search_fees_are_their_own_kind_and_part_of_a_repriced_total() throws Exception {
        Usage u = Usage.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"input_tokens\":1000,\"output_tokens\":100,\"server_tool_use\":{\"web_search_requests\":3}}"));
        PricingTable table = PricingTable.defaults();
        Cost whole = table.cost("claude-sonnet-4-6", u, false).orElseThrow();
        CostByKind k = CostByKind.of(table, "claude-sonnet-4-6", u).orElseThrow();
        assertThat(k.serverToolUsd()).as("3 searches at $10 per 1,000").isCloseTo(0.03, offset(EPS));
        assertThat(k.totalUsd()).as("the parts add up to cost_usd").isCloseTo(whole.totalUsd(), offset(EPS));
        assertThat(k.inputUsd()).isCloseTo(1000 * 3e-6, offset(EPS));
        assertThat(k.parts()).hasSize(CostByKind.KINDS.size());
        assertThat(CostByKind.ofParts(k.parts())).isEqualTo(k);
    }
}
