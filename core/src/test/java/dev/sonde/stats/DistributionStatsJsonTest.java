package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written writer of DistributionStats gives the very bytes Jackson's record serializer gives. */
class DistributionStatsJsonTest {
    /** Jackson's own serializer for the record: the class's {@code @JsonSerialize} ignored. */
    private static final ObjectMapper BEAN = new ObjectMapper().setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public Object findSerializer(Annotated a) {
            return a.getRawType() == DistributionStats.class ? null : super.findSerializer(a);
        }
    });
    private static final ObjectMapper WRITTEN = new ObjectMapper();

    @Test
    void every_value_null_nan_and_infinity_is_written_as_the_record_serializer_writes_it() throws Exception {
        Random random = new Random(11);
        Double[] odd = {null, 0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-9, 1.10015E-4,
            46.559, 1e21, Double.MIN_VALUE, Double.MAX_VALUE};
        List<Object> values = new ArrayList<>(List.of(DistributionStats.EMPTY));
        for (int i = 0; i < 2_000; i++) {
            Double[] v = new Double[7];
            for (int k = 0; k < v.length; k++) {
                v[k] = random.nextInt(4) == 0 ? odd[random.nextInt(odd.length)] : Double.valueOf(random.nextDouble() * Math.pow(10, random.nextInt(12) - 4));
            }
            values.add(new DistributionStats(random.nextInt(3) == 0 ? 0 : random.nextLong(1L << 40), v[0], v[1], v[2], v[3], v[4],
                    v[5], v[6]));
        }
        Object nested = Map.of("cases", Map.of("c-1", Map.of("h", values.subList(0, 3))));

        for (ObjectWriter[] pair : new ObjectWriter[][] {{BEAN.writer(), WRITTEN.writer()},
            {BEAN.writerWithDefaultPrettyPrinter(), WRITTEN.writerWithDefaultPrettyPrinter()}}) {
            assertThat(pair[1].writeValueAsString(values)).isEqualTo(pair[0].writeValueAsString(values));
            assertThat(pair[1].writeValueAsString(nested)).isEqualTo(pair[0].writeValueAsString(nested));
        }
        assertThat(WRITTEN.writeValueAsString(DistributionStats.EMPTY)).isEqualTo(
                "{\"count\":0,\"mean\":null,\"ci95\":null,\"p50\":null,\"p90\":null,\"p95\":null,\"p99\":null,\"max\":null}");
    }
}
