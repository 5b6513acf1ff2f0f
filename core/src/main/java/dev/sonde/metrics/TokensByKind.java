package dev.sonde.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Token counts split the way they are priced: uncached input, cache writes by TTL, cache reads,
 * output (from the returned {@code usage}; METRICS.md).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TokensByKind(long input, @JsonProperty("cache_write_5m") long cacheWrite5m,
        @JsonProperty("cache_write_1h") long cacheWrite1h, long cacheRead, long output) {

    public static final TokensByKind ZERO = new TokensByKind(0, 0, 0, 0, 0);

    public static TokensByKind of(Usage u) {
        return new TokensByKind(u.inputTokens(), u.cacheWrite5mTokens(), u.cacheWrite1hTokens(),
                u.cacheReadInputTokens(), u.outputTokens());
    }

    public TokensByKind plus(TokensByKind o) {
        return new TokensByKind(input + o.input, cacheWrite5m + o.cacheWrite5m, cacheWrite1h + o.cacheWrite1h,
                cacheRead + o.cacheRead, output + o.output);
    }

    /** The whole prompt: input + cache writes + cache reads. */
    public long prompt() {
        return input + cacheWrite5m + cacheWrite1h + cacheRead;
    }

    /** cache_read / (input + cache_write + cache_read), 0 when there was no prompt (METRICS.md). */
    public double cacheHitRatio() {
        long prompt = prompt();
        return prompt == 0 ? 0 : (double) cacheRead / prompt;
    }
}
