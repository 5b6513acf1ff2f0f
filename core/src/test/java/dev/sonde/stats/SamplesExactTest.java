package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.junit.jupiter.api.Test;

/**
 * Small distributions are kept as arrays, large ones as histograms: every figure must be the
 * histogram's own, whatever the size, so the switch can never move a reported number.
 */
class SamplesExactTest {
    private static final double[] PERCENTS = {0, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100};

    @Test
    void every_statistic_equals_the_histograms_below_and_above_the_exact_limit() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n : new int[] {1, 2, 3, 7, 64, Samples.EXACT_LIMIT - 1, Samples.EXACT_LIMIT, Samples.EXACT_LIMIT + 1, 2000}) {
            for (int round = 0; round < 20; round++) {
                double scale = Math.pow(10, random.nextInt(-2, 6));
                Samples samples = round % 2 == 0 ? new Samples(Samples.MILLIS) : Samples.dense(Samples.MILLIS);
                Histogram reference = new PackedHistogram(Samples.SIGNIFICANT_DIGITS);
                for (int i = 0; i < n; i++) {
                    double v = random.nextDouble() < 0.1 ? Math.round(random.nextDouble() * 3) * scale
                            : random.nextExponential() * scale;
                    samples.record(v);
                    reference.recordValue(Math.round(v / Samples.MILLIS));
                }
                for (double p : PERCENTS) {
                    assertThat(samples.percentile(p)).as("n=%d p=%s", n, p)
                            .isEqualTo(reference.getValueAtPercentile(p) * Samples.MILLIS);
                }
                assertThat(samples.max()).isEqualTo(reference.getMaxValue() * Samples.MILLIS);
                Samples.Distinct d = samples.distinct();
                int i = 0;
                for (var v : reference.recordedValues()) {
                    assertThat(d.values()[i]).isEqualTo(reference.highestEquivalentValue(v.getValueIteratedTo()) * Samples.MILLIS);
                    assertThat(d.counts()[i++]).isEqualTo(v.getCountAtValueIteratedTo());
                }
                assertThat(i).isEqualTo(d.values().length);
                Samples decoded = Samples.decode(Samples.MILLIS, samples.encode(), samples.count(), samples.sum(),
                        samples.sumSquares());
                assertThat(decoded.percentile(95)).isEqualTo(samples.percentile(95));
                assertThat(decoded.distinct().total()).isEqualTo(n);
            }
        }
    }

    @Test
    void merging_small_and_large_distributions_keeps_every_value() {
        Samples small = Samples.of(Samples.MILLIS, 1, 2, 3);
        Samples large = new Samples(Samples.MILLIS);
        Histogram reference = new PackedHistogram(Samples.SIGNIFICANT_DIGITS);
        for (int i = 0; i < 1000; i++) {
            large.record(i * 0.5);
            reference.recordValue(Math.round(i * 0.5 / Samples.MILLIS));
        }
        for (double v : new double[] {1, 2, 3}) {
            reference.recordValue(Math.round(v / Samples.MILLIS));
        }
        Samples merged = new Samples(Samples.MILLIS);
        merged.addAll(small);
        merged.addAll(large);
        assertThat(merged.count()).isEqualTo(1003);
        for (double p : PERCENTS) {
            assertThat(merged.percentile(p)).isEqualTo(reference.getValueAtPercentile(p) * Samples.MILLIS);
        }
        Samples two = Samples.of(Samples.MILLIS, 5, 1);
        two.addAll(Samples.of(Samples.MILLIS, 3));
        Histogram three = new PackedHistogram(Samples.SIGNIFICANT_DIGITS);
        for (long v : new long[] {5000, 1000, 3000}) {
            three.recordValue(v);
        }
        assertThat(two.percentile(50)).isEqualTo(three.getValueAtPercentile(50) * Samples.MILLIS);
        assertThat(two.max()).isEqualTo(three.getMaxValue() * Samples.MILLIS);
    }
}
