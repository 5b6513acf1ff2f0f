package dev.sonde.check;

import dev.sonde.api.Exchange;
import dev.sonde.metrics.Usage;
import java.util.Locale;

/**
 * {@code cache-hit-ratio}: this exchange's {@code cache_read / (input + cache_creation +
 * cache_read)} (METRICS.md) is at least {@code min} (0..1). An exchange that reported no input
 * tokens at all fails: there is no ratio to judge. Immutable.
 */
final class CacheHitRatioCheck implements Check {
    private final double min;

    CacheHitRatioCheck(double min) {
        this.min = min;
    }

    @Override
    public String type() {
        return "cache-hit-ratio";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        Usage u = exchange.usage();
        long total = u.totalInputTokens();
        if (total == 0) {
            return CheckResult.fail(type(), "no input tokens were reported, so there is no cache hit ratio");
        }
        double ratio = (double) u.cacheReadInputTokens() / total;
        String observed = String.format(Locale.ROOT, "cache hit ratio %.3f (%d of %d input tokens read from cache)",
                ratio, u.cacheReadInputTokens(), total);
        return ratio >= min
                ? CheckResult.pass(type(), observed + " ≥ " + Params.fmt(min))
                : CheckResult.fail(type(), observed + " < " + Params.fmt(min));
    }
}
