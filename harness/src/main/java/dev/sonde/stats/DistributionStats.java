package dev.sonde.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Summary of one {@link Samples} distribution in the metric's own unit (the field name of the
 * owner says which: {@code ttft_ms}, {@code output_tps}, …): HdrHistogram percentiles (3
 * significant digits), the exact mean and the half-width of its 95 % confidence interval
 * (Student's t; null below two values). Everything but {@code count} is null when empty.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DistributionStats(
        long count, Double mean, Double ci95, Double p50, Double p90, Double p95, Double p99, Double max) {

    public static final DistributionStats EMPTY = new DistributionStats(0, null, null, null, null, null, null, null);
}
