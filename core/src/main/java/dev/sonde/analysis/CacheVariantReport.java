package dev.sonde.analysis;

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
 * @param ranking variant ids from cheapest to dearest per request sent, warm-up included
 *     ({@link Figures#costPerRequestInclWarmupUsd}); priced variants without errors only
 * @param summary one plain-language sentence on the winner and why the others lost
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CacheVariantReport(boolean virtualTime, String baseline, List<Figures> variants, List<String> ranking,
        String summary) {

    /**
     * One variant's measured requests (warm-ups apart), summed over its sequences (cases × models).
     * Tokens from the returned {@code usage}; cost from the journaled {@code cost_usd}. Errored
     * requests count in {@code errored}/{@code warmupErrored} only: every other figure is over the
     * answered ones.
     *
     * @param requests measured requests that were sent, errored ones included
     * @param errored measured requests that ended in an error
     * @param hitRatio cache_read / (input + cache_creation + cache_read) tokens (METRICS.md), null
     *     without input tokens
     * @param costUsd the measured requests' cost (steady state); null when a trial was unpriced
     * @param costPerRequestUsd {@code costUsd} ÷ answered measured requests (steady state)
     * @param uncachedCostUsd every answered request's usage (warm-up included) priced as plain input
     *     ({@code cost_usd + cache_savings_usd})
     * @param savingsUsd cheaper than the baseline by this much over this variant's answered requests,
     *     warm-up included (baseline {@code costPerRequestInclWarmupUsd} × requests − total cost);
     *     negative when dearer; null for a variant with errors
     * @param savingsPct {@code 1 − costPerRequestInclWarmupUsd / the baseline's}; null with errors
     * @param ttftP50Ms nearest-rank percentile (the ⌈p·n⌉-th smallest) of the requests' TTFT
     * @param rewrites arrivals that wrote the cache again after an earlier arrival of the same
     *     sequence had written it (an entry expired between arrivals, or was evicted)
     * @param stormWrites writes beyond the first within one arrival: concurrent requests that all
     *     missed and all paid the write price
     * @param maxGapS the longest planned gap between arrivals
     * @param shortestTtlS the shortest TTL placed, null without caching
     * @param rank 1 = cheapest per request sent (warm-up included); null when unpriced or errored
     * @param explanation plain-language reading of these figures
     * @param warmupErrored warm-up requests that ended in an error
     * @param firstError the first error of the variant in journal order ({@code class (status type):
     *     message}), null without errors
     * @param totalCostUsd the answered requests' cost, warm-up included
     * @param costPerRequestInclWarmupUsd {@code totalCostUsd} ÷ answered requests, warm-up included:
     *     the ranking's basis
     * @param firstWriteCostUsd per sequence, the cost of the requests that wrote the cache in the
     *     first arrival that wrote it (the one-time write, whole requests), summed; null when nothing
     *     was written
     * @param firstWriteInWarmup true when that first write was the warm-up
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Figures(String id, String layout, int requests, int errored, int concurrency, double maxGapS,
            Double shortestTtlS, int warmupRequests, Double warmupCostUsd, long inputTokens,
            @com.fasterxml.jackson.annotation.JsonProperty("cache_write_5m_tokens") long cacheWrite5mTokens,
            @com.fasterxml.jackson.annotation.JsonProperty("cache_write_1h_tokens") long cacheWrite1hTokens,
            long cacheReadTokens, long outputTokens, Double hitRatio, Double costUsd, Double costPerRequestUsd,
            Double uncachedCostUsd, Double savingsUsd, Double savingsPct, Double ttftP50Ms, Double ttftP95Ms,
            int rewrites, int stormWrites, Integer rank, String explanation, int warmupErrored, String firstError,
            Double totalCostUsd, Double costPerRequestInclWarmupUsd, Double firstWriteCostUsd,
            boolean firstWriteInWarmup) {

        /** These figures with a rank and an explanation. */
        Figures ranked(Integer newRank, String newExplanation) {
            return new Figures(id, layout, requests, errored, concurrency, maxGapS, shortestTtlS, warmupRequests,
                    warmupCostUsd, inputTokens, cacheWrite5mTokens, cacheWrite1hTokens, cacheReadTokens, outputTokens,
                    hitRatio, costUsd, costPerRequestUsd, uncachedCostUsd, savingsUsd, savingsPct, ttftP50Ms, ttftP95Ms,
                    rewrites, stormWrites, newRank, newExplanation, warmupErrored, firstError, totalCostUsd,
                    costPerRequestInclWarmupUsd, firstWriteCostUsd, firstWriteInWarmup);
        }

        /** Requests that ended in an error, the warm-up included. */
        public int erroredAll() {
            return errored + warmupErrored;
        }

        /** Requests sent, the warm-up included. */
        public int sentAll() {
            return requests + warmupRequests;
        }
    }
}
