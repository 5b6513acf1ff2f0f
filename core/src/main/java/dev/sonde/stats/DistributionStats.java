package dev.sonde.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Summary of one {@link Samples} distribution in the metric's own unit (the field name of the
 * owner says which: {@code ttft_ms}, {@code output_tps}, …): HdrHistogram percentiles (3
 * significant digits), the exact mean and the half-width of its 95 % confidence interval
 * (Student's t; null below two values). Everything but {@code count} is null when empty.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonSerialize(using = DistributionStats.Writer.class)
public record DistributionStats(
        long count, Double mean, Double ci95, Double p50, Double p90, Double p95, Double p99, Double max) {

    public static final DistributionStats EMPTY = new DistributionStats(0, null, null, null, null, null, null, null);

    /**
     * Writes the eight fields exactly as Jackson's record serializer does (the same names, order,
     * nulls and numbers; {@code DistributionStatsJsonTest} holds the two equal), without its
     * reflective accessor calls: {@code results.json} holds six of these per case and model, and at
     * 100,000 cases they were most of the time it took to write.
     */
    static final class Writer extends StdSerializer<DistributionStats> {
        Writer() {
            super(DistributionStats.class);
        }

        @Override
        public void serialize(DistributionStats d, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject(d);
            out.writeFieldName("count");
            out.writeNumber(d.count);
            number(out, "mean", d.mean);
            number(out, "ci95", d.ci95);
            number(out, "p50", d.p50);
            number(out, "p90", d.p90);
            number(out, "p95", d.p95);
            number(out, "p99", d.p99);
            number(out, "max", d.max);
            out.writeEndObject();
        }

        private static void number(JsonGenerator out, String name, Double value) throws IOException {
            out.writeFieldName(name);
            if (value == null) {
                out.writeNull();
            } else {
                out.writeNumber(value.doubleValue());
            }
        }
    }
}
