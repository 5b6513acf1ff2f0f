package dev.sonde.metrics;

/**
 * The price of one response, in USD, split by token kind. {@code uncachedUsd} is what the same
 * tokens would have cost with no prompt caching (every prompt token at the input price), so
 * {@link #cacheSavingsUsd()} may be negative when cache writes did not pay back.
 */
public record Cost(
        double inputUsd,
        double cacheWriteUsd,
        double cacheReadUsd,
        double outputUsd,
        double uncachedUsd) {

    public static final Cost ZERO = new Cost(0, 0, 0, 0, 0);

    public double totalUsd() {
        return inputUsd + cacheWriteUsd + cacheReadUsd + outputUsd;
    }

    public double cacheSavingsUsd() {
        return uncachedUsd - totalUsd();
    }

    public Cost plus(Cost o) {
        return new Cost(inputUsd + o.inputUsd, cacheWriteUsd + o.cacheWriteUsd, cacheReadUsd + o.cacheReadUsd,
                outputUsd + o.outputUsd, uncachedUsd + o.uncachedUsd);
    }
}
