package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class SignificanceTest {
    @Test
    void fisher_is_one_sided_towards_a_drop() {
        // 10/10 → 5/10: a drop; p = C(15,10)·… hypergeometric tail = 0.0163
        assertThat(Significance.passRateDropP(10, 10, 5, 10)).isCloseTo(0.01625, offset(1e-4));
        // the other way round is an improvement: not significant as a drop
        assertThat(Significance.passRateDropP(5, 10, 10, 10)).isEqualTo(1.0, offset(1e-9));
        assertThat(Significance.passRateDropP(28, 28, 28, 28)).isEqualTo(1.0, offset(1e-9));
    }

    @Test
    void mann_whitney_is_one_sided_towards_slower() {
        double[] base = {10, 11, 12, 13, 14, 15};
        double[] slow = {16, 17, 18, 19, 20, 21};
        assertThat(Significance.shiftUpP(slow, base)).isCloseTo(1.0 / 924, offset(1e-9)); // exact: 1 / C(12, 6)
        assertThat(Significance.shiftUpP(base, slow)).isGreaterThan(0.99);
        assertThat(Significance.smallestP(6, 6)).isCloseTo(1.0 / 924, offset(1e-12));
        assertThat(Significance.smallestP(2, 2)).isCloseTo(1.0 / 6, offset(1e-12));
    }

    @Test
    void bootstrap_interval_of_a_ratio_is_deterministic_and_covers_the_true_ratio() {
        double[] b = new double[200];
        double[] r = new double[200];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int i = 0; i < b.length; i++) {
            b[i] = 100 * Math.exp(0.25 * rng.nextGaussian());
            r[i] = 130 * Math.exp(0.25 * rng.nextGaussian());
        }
        Samples.Distinct bd = Samples.of(Samples.MILLIS, b).distinct();
        Samples.Distinct rd = Samples.of(Samples.MILLIS, r).distinct();
        double[] ci = Significance.ratioCi(rd, bd, Significance.quantile(0.5));
        assertThat(ci[0]).isLessThan(1.3).isGreaterThan(1.0);
        assertThat(ci[1]).isGreaterThan(1.3);
        assertThat(Significance.ratioCi(rd, bd, Significance.quantile(0.5))).containsExactly(ci);
        assertThat(Significance.ratioCi(rd, Samples.of(Samples.MILLIS, 5).distinct(), Significance.MEAN)).isNull();
    }
}
