package dev.sonde.metrics;

/**
 * The price of one response, in USD, split by token kind. {@code cachedTokensAtInputPriceUsd} is
 * what the cache-written and cache-read tokens would have cost as plain input, so
 * {@link #cacheSavingsUsd()} (uncached price − price, METRICS.md) is exactly 0 when nothing was
 * cached and negative when cache writes did not pay back. {@code serverToolUsd} is the per-use
 * fees of server tools (web search), which are no token kind but part of the total.
 */
public record Cost(
        double inputUsd,
        double cacheWriteUsd,
        double cacheReadUsd,
        double outputUsd,
        double cachedTokensAtInputPriceUsd,
        double serverToolUsd) {

    public static final Cost ZERO = new Cost(0, 0, 0, 0, 0, 0);

    /** A cost of tokens only (no server tool fees). */
    public Cost(double inputUsd, double cacheWriteUsd, double cacheReadUsd, double outputUsd,
            double cachedTokensAtInputPriceUsd) {
        this(inputUsd, cacheWriteUsd, cacheReadUsd, outputUsd, cachedTokensAtInputPriceUsd, 0);
    }

    public double totalUsd() {
        return inputUsd + cacheWriteUsd + cacheReadUsd + outputUsd + serverToolUsd;
    }

    public double cacheSavingsUsd() {
        return cachedTokensAtInputPriceUsd - cacheWriteUsd - cacheReadUsd;
    }

    public Cost plus(Cost o) {
        return new Cost(inputUsd + o.inputUsd, cacheWriteUsd + o.cacheWriteUsd, cacheReadUsd + o.cacheReadUsd,
                outputUsd + o.outputUsd, cachedTokensAtInputPriceUsd + o.cachedTokensAtInputPriceUsd,
                serverToolUsd + o.serverToolUsd);
    }
}
