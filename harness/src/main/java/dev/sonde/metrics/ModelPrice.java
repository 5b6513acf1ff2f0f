package dev.sonde.metrics;

/** Base prices of one model in USD per million tokens; multipliers live in {@link PricingTable}. */
public record ModelPrice(double inputPerMTok, double outputPerMTok) {
    public ModelPrice {
        if (!(inputPerMTok >= 0) || !(outputPerMTok >= 0)) {
            throw new IllegalArgumentException("prices must be non-negative numbers");
        }
    }
}
