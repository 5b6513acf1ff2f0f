package dev.sonde.emulator;

/**
 * Per-minute limits for models matching {@code model} (an exact id or a glob with {@code *} and
 * {@code ?}): requests (RPM), input tokens (ITPM: uncached input plus cache writes; cache reads
 * are free) and output tokens (OTPM). Each is a token bucket per API key and model that holds at
 * most one minute's worth and refills continuously; 0 means unlimited. The first matching entry
 * wins; a model that matches none is not limited (the default: rate limits are off).
 */
public record RateLimit(String model, long requestsPerMinute, long inputTokensPerMinute, long outputTokensPerMinute) {

    public RateLimit {
        if (model == null || model.isEmpty()) {
            throw new IllegalArgumentException("rate limit needs a model id or glob");
        }
        if (requestsPerMinute < 0 || inputTokensPerMinute < 0 || outputTokensPerMinute < 0) {
            throw new IllegalArgumentException("rate limit for '" + model + "': values must be >= 0");
        }
    }
}
