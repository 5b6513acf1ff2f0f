package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.TimingsMillis;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysis on hand-made journals: edge cases the shipped suite does not reach. */
class CacheVariantAnalysisTest {
    @TempDir
    Path dir;

    private static JsonNode usage(int input, int w5m, int w1h, int read) throws Exception {
        return Journal.JSON.readTree("{\"input_tokens\":" + input + ",\"output_tokens\":10,\"cache_creation_input_tokens\":"
                + (w5m + w1h) + ",\"cache_read_input_tokens\":" + read + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":"
                + w5m + ",\"ephemeral_1h_input_tokens\":" + w1h + "}}");
    }

    private static TrialResult trial(String id, JsonNode usage, Double cost, double savings, double ttftMs) {
        TimingsMillis t = new TimingsMillis(ttftMs, ttftMs, ttftMs, ttftMs, new double[0], 1, null, null);
        return new TrialResult(id, "c", "m", "claude-sonnet-4-6", 0, true, null, "req", "end_turn", "ok", List.of(), t,
                usage, cost, cost == null, cost == null ? null : savings, List.of(), 1, Instant.EPOCH);
    }

    private static SequenceManifest.Variant variant(String id, String ttl, double gapS) {
        return new SequenceManifest.Variant(id, null, ttl == null ? "no caching" : ttl + " TTL on system",
                ttl == null ? List.of() : List.of(new SequenceManifest.Placement("system", ttl)), 4, List.of(gapS), 1, false);
    }

    @Test
    void without_a_none_variant_savings_are_against_the_same_usage_uncached() throws Exception {
        new SequenceManifest(1, true, 3601, List.of(variant("sys", "5m", 60), variant("tiny", "5m", 60),
                variant("another-shards", "1h", 60))).write(dir);
        try (Journal j = Journal.open(dir.resolve("trials.jsonl"))) {
            j.append(trial("c/m/sys/0", usage(10, 1000, 0, 0), 0.004, -0.00075, 40));
            j.append(trial("c/m/sys/1", usage(10, 0, 0, 1000), 0.0004, 0.0027, 10));
            j.append(trial("c/m/sys/2", usage(10, 1000, 0, 0), 0.004, -0.00075, 30));
            j.append(trial("c/m/sys/3", usage(10, 0, 0, 1000), 0.0004, 0.0027, 20));
            for (int i = 0; i < 4; i++) {
                j.append(trial("c/m/tiny/" + i, usage(500, 0, 0, 0), 0.002, 0, 5));
            }
            j.append(TrialResult.skipped("c/m/other/0", "c", "m", "x", 0, Instant.EPOCH, "budget"));
        }
        CacheVariantReport r = CacheVariantAnalysis.of(dir).orElseThrow();
        assertThat(r.baseline()).isNull();
        assertThat(r.variants()).extracting(CacheVariantReport.Figures::id).containsExactly("sys", "tiny");
        CacheVariantReport.Figures sys = r.variants().get(0);
        assertThat(sys.costUsd()).isCloseTo(0.0088, within(1e-12));
        assertThat(sys.uncachedCostUsd()).isCloseTo(0.0088 + 0.0039, within(1e-12));
        assertThat(sys.savingsUsd()).isCloseTo(0.0039, within(1e-12));
        assertThat(sys.savingsPct()).isCloseTo(0.0039 / 0.0127, within(1e-12));
        assertThat(sys.hitRatio()).isCloseTo(2000.0 / 4040, within(1e-12));
        assertThat(sys.ttftP50Ms()).isEqualTo(20.0);
        assertThat(sys.ttftP95Ms()).isEqualTo(40.0);
        assertThat(sys.rewrites()).isEqualTo(1);
        assertThat(sys.explanation()).contains("31 % cheaper than the same requests uncached")
                .contains("1 later arrival wrote the cache again (entries evicted)").doesNotContain("expires");
        CacheVariantReport.Figures tiny = r.variants().get(1);
        assertThat(tiny.explanation()).contains("nothing was cached: the marked prefix is below the model's minimum");
        assertThat(r.ranking()).containsExactly("tiny", "sys");
        assertThat(r.summary()).startsWith("Cheapest: tiny (5m TTL on system), costs the same as the same requests uncached");
    }

    @Test
    void an_unpriced_variant_is_not_ranked_and_warm_ups_count_apart() throws Exception {
        new SequenceManifest(1, false, 0, List.of(variant("none", null, 420), variant("hour", "1h", 420))).write(dir);
        try (Journal j = Journal.open(dir.resolve("trials.jsonl"))) {
            j.append(trial("c/m/none/warmup", usage(1000, 0, 0, 0), 0.003, 0, 50));
            j.append(trial("c/m/none/0", usage(1000, 0, 0, 0), 0.003, 0, 50));
            j.append(trial("c/m/hour/0", usage(10, 0, 1000, 0), null, 0, 50));
        }
        CacheVariantReport r = CacheVariantAnalysis.of(dir).orElseThrow();
        assertThat(r.virtualTime()).isFalse();
        assertThat(r.ranking()).containsExactly("none");
        CacheVariantReport.Figures none = r.variants().get(0);
        assertThat(none.requests()).isEqualTo(1);
        assertThat(none.warmupRequests()).isEqualTo(1);
        assertThat(none.warmupCostUsd()).isEqualTo(0.003);
        assertThat(none.costPerRequestUsd()).isEqualTo(0.003);
        assertThat(r.variants().get(1).rank()).isNull();
        assertThat(r.variants().get(1).explanation()).contains("unpriced");
    }

    @Test
    void a_run_without_variants_has_no_analysis() throws Exception {
        assertThat(CacheVariantAnalysis.of(dir)).isEmpty();
    }
}
