package dev.sonde.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The cache-variant analysis of a run ({@link CacheVariantAnalysis}), as written to
 * {@code results.json} under {@code cache_variants}, drawn in the HTML report and summarised in
 * {@code summary.md} and on the console.
 *
 * @param virtualTime true when the gaps were skipped on a virtual clock (offline)
 * @param baseline the variant savings are measured against ({@code none} — the first variant
 *     without placements), or null: then each variant is compared with its own usage priced
 *     without caching
 * @param variants in suite order
 * @param ranking variant ids from cheapest to dearest per request (priced variants only)
 * @param summary one plain-language sentence on the winner and why the others lost
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CacheVariantReport(boolean virtualTime, String baseline, List<Figures> variants, List<String> ranking,
        String summary) {

    /**
     * One variant's measured requests (warm-ups apart), summed over its sequences (cases × models).
     * Tokens from the returned {@code usage}; cost from the journaled {@code cost_usd}.
     *
     * @param requests measured requests that were sent (errored ones included: they were paid)
     * @param hitRatio cache_read / (input + cache_creation + cache_read) tokens (METRICS.md), null
     *     without input tokens
     * @param costUsd null when a trial was unpriced
     * @param uncachedCostUsd the same usage priced as plain input ({@code cost_usd + cache_savings_usd})
     * @param savingsUsd cheaper than the baseline by this much over this variant's requests
     *     (baseline cost per request × requests − cost); negative when dearer
     * @param savingsPct {@code 1 − cost per request / baseline cost per request}
     * @param ttftP50Ms nearest-rank percentile (the ⌈p·n⌉-th smallest) of the requests' TTFT
     * @param rewrites arrivals that wrote the cache again after an earlier arrival of the same
     *     sequence had written it (an entry expired between arrivals, or was evicted)
     * @param stormWrites writes beyond the first within one arrival: concurrent requests that all
     *     missed and all paid the write price
     * @param maxGapS the longest planned gap between arrivals
     * @param shortestTtlS the shortest TTL placed, null without caching
     * @param rank 1 = cheapest per request; null when unpriced
     * @param explanation plain-language reading of these figures
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Figures(String id, String layout, int requests, int errored, int concurrency, double maxGapS,
            Double shortestTtlS, int warmupRequests, Double warmupCostUsd, long inputTokens,
            @com.fasterxml.jackson.annotation.JsonProperty("cache_write_5m_tokens") long cacheWrite5mTokens,
            @com.fasterxml.jackson.annotation.JsonProperty("cache_write_1h_tokens") long cacheWrite1hTokens,
            long cacheReadTokens, long outputTokens, Double hitRatio, Double costUsd, Double costPerRequestUsd,
            Double uncachedCostUsd, Double savingsUsd, Double savingsPct, Double ttftP50Ms, Double ttftP95Ms,
            int rewrites, int stormWrites, Integer rank, String explanation) {}
}
