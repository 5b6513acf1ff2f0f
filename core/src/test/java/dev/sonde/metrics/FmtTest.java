package dev.sonde.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FmtTest {

    @Test
    void fixed_writes_exactly_what_string_format_writes() {
        java.util.Random random = new java.util.Random(17);
        double[] edges = {0, -0.0, 0.0005, 0.0015, 0.0025, 1.0005, 2.675, 1e-10, 5e-324, 0.1 + 0.2, 1e20,
            123456789.1234565, 0.0004999999999, -1.5e-4, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MAX_VALUE};
        for (int decimals : new int[] {0, 3, 9}) {
            for (double v : edges) {
                assertThat(Fmt.fixed(v, decimals)).as("%s to %d", v, decimals)
                        .isEqualTo(String.format(java.util.Locale.ROOT, "%." + decimals + "f", v));
            }
            for (int i = 0; i < 200_000; i++) {
                double v = switch (i % 4) {
                    case 0 -> random.nextDouble() * 1000;
                    case 1 -> Math.round(random.nextDouble() * 1e6) / 1e6; // microsecond timings
                    case 2 -> random.nextDouble() * 1e-4; // per-trial costs
                    default -> Math.round(random.nextDouble() * 1e7) / 1e4 + 0.0005; // halfway cases
                };
                assertThat(Fmt.fixed(v, decimals)).isEqualTo(String.format(java.util.Locale.ROOT, "%." + decimals + "f", v));
            }
        }
    }

    @Test
    void milliseconds_keep_three_significant_digits_then_whole_ms() {
        assertThat(Fmt.ms(0.4123)).isEqualTo("0.412 ms");
        assertThat(Fmt.ms(4.126)).isEqualTo("4.13 ms");
        assertThat(Fmt.ms(41.26)).isEqualTo("41.3 ms");
        assertThat(Fmt.ms(1234.6)).isEqualTo("1,235 ms");
        assertThat(Fmt.ms(0.0)).isEqualTo("0 ms");
        assertThat(Fmt.ms(null)).isEqualTo("—");
    }

    @Test
    void dollars_show_tiny_costs_with_three_significant_digits() {
        assertThat(Fmt.usd(0.000123456)).isEqualTo("$0.000123");
        assertThat(Fmt.usd(0.0123456)).isEqualTo("$0.0123");
        assertThat(Fmt.usd(0.5)).isEqualTo("$0.500");
        assertThat(Fmt.usd(1234.567)).isEqualTo("$1,234.57");
        assertThat(Fmt.usd(0.0)).isEqualTo("$0.00");
        assertThat(Fmt.usd(0.0000000004)).isEqualTo("<$0.000001");
        assertThat(Fmt.usd(-0.0042)).isEqualTo("-$0.00420");
        assertThat(Fmt.usd((Double) null)).isEqualTo("unpriced");
    }

    @Test
    void mean_ci_needs_two_samples_for_an_interval() {
        assertThat(Fmt.meanCi(5, 212.0, 4.1)).isEqualTo("212 ms ± 4.10 ms");
        assertThat(Fmt.meanCi(1, 35.0, 0.0)).isEqualTo("35.0 ms");
        assertThat(Fmt.meanCi(0, null, null)).isEqualTo("—");
    }

    @Test
    void durations_and_instants_are_unambiguous() {
        assertThat(Fmt.duration(850)).isEqualTo("850 ms");
        assertThat(Fmt.duration(12_345)).isEqualTo("12.3 s");
        assertThat(Fmt.duration(245_000)).isEqualTo("4 min 05 s");
        assertThat(Fmt.instant(Instant.parse("2026-11-03T10:15:30.250Z"))).isEqualTo("2026-11-03 10:15:30 UTC");
        assertThat(Fmt.pct(0.8333)).isEqualTo("83.3%");
    }
}
