package dev.sonde.analysis;

import dev.sonde.journal.Journal;
import dev.sonde.journal.SequenceManifest;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
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
        return TrialResult.builder(id, "c", "m", "claude-sonnet-4-6", 0).pass(true).requestId("req")
                .stopReason("end_turn").outputText("ok").timings(t).usage(usage).costUsd(cost).unpriced(cost == null)
                .cacheSavingsUsd(cost == null ? null : savings).attempts(1).startedAt(Instant.EPOCH).build();
    }

    /** A request the API refused with a 400: no usage, nothing paid, a short TTFT-less round trip. */
    private static TrialResult refused(String id) {
        TimingsMillis t = new TimingsMillis(null, 3.0, 3.0, 3.0, new double[0], 0, null, null);
        return TrialResult.builder(id, "c", "m", "claude-sonnet-4-6", 0)
                .error(new TrialError("invalid_request", 400, "invalid_request_error", "system: cache_control not allowed here"))
                .requestId("req").timings(t).attempts(1).startedAt(Instant.EPOCH).build();
    }

    private static SequenceManifest.Variant variant(String id, String layout, List<SequenceManifest.Placement> at,
            int requests, double gapS, int concurrency, boolean warmup) {
        return new SequenceManifest.Variant(id, null, layout, at, requests, List.of(gapS), concurrency, warmup);
    }

    private static SequenceManifest.Placement at(String where, String ttl) {
        return new SequenceManifest.Placement(where, ttl);
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

    @Test
    void errored_requests_cost_nothing_and_keep_their_variant_out_of_the_ranking() throws Exception {
        new SequenceManifest(1, true, 3601, List.of(variant("none", null, 420), variant("sys", "5m", 420),
                variant("half", "1h", 420))).write(dir);
        try (Journal j = Journal.open(dir.resolve("trials.jsonl"))) {
            for (int i = 0; i < 3; i++) {
                j.append(trial("c/m/none/" + i, usage(1000, 0, 0, 0), 0.003, 0, 50));
                j.append(refused("c/m/sys/" + i));
            }
            j.append(trial("c/m/half/0", usage(10, 0, 1000, 0), 0.00603, -0.003, 50));
            j.append(refused("c/m/half/1"));
            j.append(trial("c/m/half/2", usage(10, 0, 0, 1000), 0.00033, 0.0027, 20));
        }
        CacheVariantReport r = CacheVariantAnalysis.of(dir).orElseThrow();
        assertThat(r.ranking()).as("a variant with errors is not ranked, however cheap").containsExactly("none");
        CacheVariantReport.Figures sys = r.variants().get(1);
        assertThat(sys.requests()).isEqualTo(3);
        assertThat(sys.errored()).isEqualTo(3);
        assertThat(sys.rank()).isNull();
        assertThat(sys.costPerRequestUsd()).as("no answered request: no cost per request").isNull();
        assertThat(sys.savingsUsd()).isNull();
        assertThat(sys.ttftP50Ms()).isNull();
        assertThat(sys.explanation()).isEqualTo("5m TTL on system: not ranked: 3 of 3 requests errored: invalid_request "
                + "(400 invalid_request_error): system: cache_control not allowed here; its figures cover the 0 answered "
                + "requests only.").doesNotContain("nothing was cached", "cheaper");
        CacheVariantReport.Figures half = r.variants().get(2);
        assertThat(half.errored()).isEqualTo(1);
        assertThat(half.rank()).isNull();
        assertThat(half.costUsd()).isCloseTo(0.00636, within(1e-12));
        assertThat(half.costPerRequestUsd()).as("over the 2 answered requests").isCloseTo(0.00318, within(1e-12));
        assertThat(half.inputTokens()).isEqualTo(20);
        assertThat(half.ttftP95Ms()).isEqualTo(50.0);
        assertThat(half.explanation()).startsWith("1h TTL on system: not ranked: 1 of 3 requests errored: invalid_request");
        assertThat(r.summary()).isEqualTo("Cheapest: none (no caching), costs the same as 'none'; not ranked, requests "
                + "errored: sys (3 of 3 errored), half (1 of 3 errored).");
    }

    @Test
    void warm_ups_count_in_the_ranking_so_a_write_in_a_warm_up_is_not_free() throws Exception {
        // "hour" writes in its warm-up and reads after; "burst" (same layout, no warm-up) pays its own write.
        new SequenceManifest(1, true, 3601, List.of(variant("none", "no caching", List.of(), 2, 420, 1, true),
                variant("hour", "1h TTL on system", List.of(at("system", "1h")), 2, 420, 1, true),
                variant("burst", "1h TTL on system", List.of(at("system", "1h")), 3, 420, 3, false))).write(dir);
        try (Journal j = Journal.open(dir.resolve("trials.jsonl"))) {
            for (String i : List.of("warmup", "0", "1")) {
                j.append(trial("c/m/none/" + i, usage(1000, 0, 0, 0), 0.003, 0, 50));
            }
            j.append(trial("c/m/hour/warmup", usage(10, 0, 1000, 0), 0.00603, -0.003, 50));
            j.append(trial("c/m/hour/0", usage(10, 0, 0, 1000), 0.00033, 0.0027, 20));
            j.append(trial("c/m/hour/1", usage(10, 0, 0, 1000), 0.00033, 0.0027, 20));
            j.append(trial("c/m/burst/0", usage(10, 0, 1000, 0), 0.00603, -0.003, 50));
            j.append(trial("c/m/burst/1", usage(10, 0, 0, 1000), 0.00033, 0.0027, 20));
            j.append(trial("c/m/burst/2", usage(10, 0, 0, 1000), 0.00033, 0.0027, 20));
        }
        CacheVariantReport r = CacheVariantAnalysis.of(dir).orElseThrow();
        CacheVariantReport.Figures hour = r.variants().get(1);
        CacheVariantReport.Figures burst = r.variants().get(2);
        assertThat(hour.costPerRequestUsd()).as("steady state").isCloseTo(0.00033, within(1e-12));
        assertThat(hour.totalCostUsd()).isCloseTo(0.00669, within(1e-12));
        assertThat(hour.costPerRequestInclWarmupUsd()).isCloseTo(0.00223, within(1e-12));
        assertThat(burst.costPerRequestInclWarmupUsd()).isCloseTo(0.00223, within(1e-12));
        // the same money for the same layout: neither is ahead because its write hides in a warm-up
        assertThat(hour.savingsPct()).isCloseTo(1 - 0.00223 / 0.003, within(1e-12));
        assertThat(burst.savingsPct()).isCloseTo(hour.savingsPct(), within(1e-12));
        assertThat(hour.savingsUsd()).isCloseTo(0.003 * 3 - 0.00669, within(1e-12));
        assertThat(r.ranking()).containsExactly("hour", "burst", "none");
        assertThat(hour.firstWriteCostUsd()).isEqualTo(0.00603);
        assertThat(hour.explanation()).contains("26 % cheaper than 'none'")
                .contains("the one-time cache write (the warm-up) cost $0.00603, counted in the ranking");
        assertThat(burst.explanation()).contains("the one-time cache write (its first arrival) cost $0.00603");
        assertThat(r.summary()).startsWith("Cheapest: hour (1h TTL on system), 26 % cheaper than 'none'");
    }

    @Test
    void ttft_is_compared_only_when_the_cache_was_read_and_losers_say_why_and_what_to_change() throws Exception {
        new SequenceManifest(1, true, 3601, List.of(variant("none", "no caching", List.of(), 2, 420, 1, false),
                variant("hour", "1h TTL on system", List.of(at("system", "1h")), 2, 420, 1, false),
                variant("both", "1h TTL on system + 5m TTL on document", List.of(at("system", "1h"), at("document", "5m")),
                        2, 420, 1, false),
                variant("tools", "5m TTL on tools", List.of(at("tools", "5m")), 2, 420, 1, false))).write(dir);
        try (Journal j = Journal.open(dir.resolve("trials.jsonl"))) {
            for (int i = 0; i < 2; i++) {
                j.append(trial("c/m/none/" + i, usage(2000, 0, 0, 0), 0.008, 0, 189));
                j.append(trial("c/m/tools/" + i, usage(1000, 1000, 0, 0), 0.00675, -0.00075, 181));
            }
            j.append(trial("c/m/hour/0", usage(1000, 0, 1000, 0), 0.009, -0.003, 180));
            j.append(trial("c/m/hour/1", usage(1000, 0, 0, 1000), 0.0033, 0.0027, 100));
            j.append(trial("c/m/both/0", usage(10, 990, 1000, 0), 0.0090425, -0.003, 180));
            j.append(trial("c/m/both/1", usage(10, 990, 0, 1000), 0.0040425, 0.0027, 100));
        }
        CacheVariantReport r = CacheVariantAnalysis.of(dir).orElseThrow();
        assertThat(r.ranking()).containsExactly("hour", "both", "tools", "none");
        CacheVariantReport.Figures hour = r.variants().get(1);
        CacheVariantReport.Figures both = r.variants().get(2);
        CacheVariantReport.Figures tools = r.variants().get(3);
        assertThat(tools.explanation()).as("nothing read: a TTFT difference is noise").doesNotContain("TTFT")
                .contains("the 5m TTL expires between your 7-minute arrivals (1 later arrival wrote the cache again)")
                .contains("$0.00060 per request dearer than hour (#1): its 5m breakpoint at tools is written again at "
                        + "every arrival — drop it or make it 1h");
        assertThat(hour.explanation()).contains("TTFT p50 100 ms vs 189 ms uncached").doesNotContain("dearer than hour");
        assertThat(both.explanation()).contains("$0.00039 per request dearer than hour (#1): its 5m breakpoint at "
                + "document is written again at every arrival — drop it or make it 1h");
        assertThat(r.variants().get(0).explanation()).contains("per request dearer than hour (#1): nothing is cached");
    }
}
