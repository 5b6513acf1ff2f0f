package dev.sonde.metrics;

/** Base prices of one model in USD per million tokens; multipliers live in {@link PricingTable}. */
public record ModelPrice(@com.fasterxml.jackson.annotation.JsonProperty("input_usd_per_mtok") double inputPerMTok,
        @com.fasterxml.jackson.annotation.JsonProperty("output_usd_per_mtok") double outputPerMTok) {
    public ModelPrice {
        if (!(inputPerMTok >= 0) || !(outputPerMTok >= 0)) {
            throw new IllegalArgumentException("prices must be non-negative numbers");
        }
    }
}
