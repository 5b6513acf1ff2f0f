package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Nearest rank: the ceil(q·n)-th smallest, always an observed value. */
class PercentilesTest {

    @Test
    void picks_the_ceil_q_n_th_smallest() {
        double[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertThat(Percentiles.nearestRank(sorted, 0.5)).isEqualTo(50);
        assertThat(Percentiles.nearestRank(sorted, 0.95)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(sorted, 0.91)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(sorted, 0.9)).isEqualTo(90);
        assertThat(Percentiles.nearestRank(sorted, 0)).isEqualTo(10);
        assertThat(Percentiles.nearestRank(sorted, 1)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(sorted, 3, 0.5)).isEqualTo(20);
        assertThat(Percentiles.nearestRank(new double[0], 0.5)).isNaN();
        assertThat(Percentiles.rank(0.95, 20)).isEqualTo(19);
    }
}
