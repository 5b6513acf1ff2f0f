package dev.sonde.suite;

/**
 * Client-side rate limits (suite {@code rate_limits:} for the endpoint, or per model): requests,
 * input tokens and output tokens per minute; null = no limit. {@code adaptive} also slows down
 * from the server's {@code anthropic-ratelimit-*} headers before it answers 429.
 */
public record RateLimitSpec(Integer requestsPerMinute, Integer inputTokensPerMinute, Integer outputTokensPerMinute,
        boolean adaptive) {
    public static final RateLimitSpec NONE = new RateLimitSpec(null, null, null, true);

    public boolean limited() {
        return requestsPerMinute != null || inputTokensPerMinute != null || outputTokensPerMinute != null;
    }
}
