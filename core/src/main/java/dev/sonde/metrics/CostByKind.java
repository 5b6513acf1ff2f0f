package dev.sonde.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Optional;

/**
 * Cost in USD split by kind: input, cache writes by TTL (5 m, 1 h), cache reads, output tokens, and
 * the per-use fees of server tools (web search), which are no token kind but part of what was paid.
 * The parts add up to {@link #totalUsd()}, the response's {@code cost_usd}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CostByKind(double inputUsd, @JsonProperty("cache_write_5m_usd") double cacheWrite5mUsd,
        @JsonProperty("cache_write_1h_usd") double cacheWrite1hUsd, double cacheReadUsd, double outputUsd,
        double serverToolUsd) {

    public static final CostByKind ZERO = new CostByKind(0, 0, 0, 0, 0, 0);

    /** The kinds in the order of {@link #parts()}, as reports name them. */
    public static final java.util.List<String> KINDS =
            java.util.List.of("input", "cache write 5m", "cache write 1h", "cache read", "output", "web search fees");

    /**
     * Prices {@code usage} by kind, or empty when the model is unpriced. The 5 m / 1 h split is
     * priced by pricing the 1 h writes alone (the table is linear in every token kind).
     */
    public static Optional<CostByKind> of(PricingTable pricing, String model, Usage usage) {
        Optional<Cost> all = pricing.cost(model, usage, false);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Usage only1h = new Usage(0, 0, usage.cacheWrite1hTokens(), 0, 0, usage.cacheWrite1hTokens(), true,
                usage.serviceTier(), usage.raw());
        double write1h = pricing.cost(model, only1h, false).map(Cost::cacheWriteUsd).orElse(0.0);
        Cost c = all.get();
        return Optional.of(new CostByKind(c.inputUsd(), c.cacheWriteUsd() - write1h, write1h, c.cacheReadUsd(),
                c.outputUsd(), c.serverToolUsd()));
    }

    public CostByKind plus(CostByKind o) {
        return new CostByKind(inputUsd + o.inputUsd, cacheWrite5mUsd + o.cacheWrite5mUsd,
                cacheWrite1hUsd + o.cacheWrite1hUsd, cacheReadUsd + o.cacheReadUsd, outputUsd + o.outputUsd,
                serverToolUsd + o.serverToolUsd);
    }

    /** Every part times {@code f}. */
    public CostByKind times(double f) {
        return new CostByKind(inputUsd * f, cacheWrite5mUsd * f, cacheWrite1hUsd * f, cacheReadUsd * f, outputUsd * f,
                serverToolUsd * f);
    }

    /** The parts in the order of {@link #KINDS}. */
    public double[] parts() {
        return new double[] {inputUsd, cacheWrite5mUsd, cacheWrite1hUsd, cacheReadUsd, outputUsd, serverToolUsd};
    }

    /** The parts from {@link #parts()}'s array. */
    public static CostByKind ofParts(double[] p) {
        return new CostByKind(p[0], p[1], p[2], p[3], p[4], p[5]);
    }

    public double totalUsd() {
        return inputUsd + cacheWrite5mUsd + cacheWrite1hUsd + cacheReadUsd + outputUsd + serverToolUsd;
    }
}
