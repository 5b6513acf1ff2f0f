package dev.sonde.check;

import dev.sonde.api.Exchange;
import dev.sonde.metrics.Usage;

/**
 * Inclusive bounds ({@code min} and/or {@code max}) on a token counter of the returned
 * {@code usage}: {@code output-tokens} ({@code output_tokens}, thinking included, as billed) and
 * {@code cache-read-tokens} ({@code cache_read_input_tokens}). Counts come only from usage, never
 * from counting deltas (METRICS.md). Immutable.
 */
final class TokenCountCheck implements Check {
    enum Counter { OUTPUT, CACHE_READ }

    private final Counter counter;
    private final long min;
    private final long max;

    /** @param min inclusive, or -1 for none; {@code max} likewise */
    TokenCountCheck(Counter counter, long min, long max) {
        this.counter = counter;
        this.min = min;
        this.max = max;
    }

    @Override
    public String type() {
        return counter == Counter.OUTPUT ? "output-tokens" : "cache-read-tokens";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        Usage u = exchange.usage();
        return counter == Counter.OUTPUT
                ? Bounds.check(type(), "output_tokens " + u.outputTokens(), u.outputTokens(), min, max)
                : Bounds.check(type(), "cache_read_input_tokens " + u.cacheReadInputTokens(), u.cacheReadInputTokens(),
                        min, max);
    }
}
