package dev.sonde.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Distribution of one latency metric, in milliseconds: HdrHistogram percentiles (3 significant
 * digits), the exact mean and the half-width of its 95 % confidence interval (Student's t with
 * n − 1 degrees of freedom, as {@link DistributionStats}; null below two values). All values null
 * when {@code count == 0}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LatencyStats(
        long count, Double mean, Double ci95, Double p50, Double p90, Double p95, Double p99, Double max) {

    public static final LatencyStats EMPTY = new LatencyStats(0, null, null, null, null, null, null, null);
}
