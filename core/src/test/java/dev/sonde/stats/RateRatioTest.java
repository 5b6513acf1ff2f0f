package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The exact (Clopper-Pearson, conditional on the total) interval of a Poisson rate ratio, on fixed counts. */
class RateRatioTest {

    @Test
    void ten_against_ten_in_equal_windows_gives_the_textbook_interval() {
        // Clopper-Pearson 95 % for 10 of 20: 0.27196 … 0.72804; as odds: 0.37355 … 2.6770
        RateRatio.Interval iv = RateRatio.of(10, 5, 10, 5, 0.95);
        assertThat(iv.ratio()).isEqualTo(1.0);
        assertThat(iv.low()).isCloseTo(0.37355, within(1e-4));
        assertThat(iv.high()).isCloseTo(2.6770, within(1e-3));
    }

    @Test
    void the_windows_scale_the_ratio_and_its_interval() {
        RateRatio.Interval same = RateRatio.of(10, 5, 10, 5, 0.95);
        RateRatio.Interval twiceTheBaseWindow = RateRatio.of(10, 5, 10, 10, 0.95);
        assertThat(twiceTheBaseWindow.ratio()).isEqualTo(2.0);
        assertThat(twiceTheBaseWindow.low()).isCloseTo(same.low() * 2, within(1e-9));
        assertThat(twiceTheBaseWindow.high()).isCloseTo(same.high() * 2, within(1e-9));
    }

    @Test
    void half_the_goodput_over_many_requests_lies_wholly_below_minus_10_percent() {
        RateRatio.Interval iv = RateRatio.of(500, 10, 1000, 10, 0.95);
        assertThat(iv.ratio()).isEqualTo(0.5);
        assertThat(iv.high()).isLessThan(0.9);
        assertThat(iv.low()).isGreaterThan(0.4);
    }

    @Test
    void twelve_percent_fewer_of_a_hundred_is_not_enough_to_tell() {
        RateRatio.Interval iv = RateRatio.of(88, 10, 100, 10, 0.95);
        assertThat(iv.ratio()).isCloseTo(0.88, within(1e-12));
        assertThat(iv.high()).isGreaterThan(1.0);
    }

    @Test
    void nothing_in_the_run_reaches_down_to_0_and_nothing_in_the_baseline_has_no_upper_bound() {
        RateRatio.Interval none = RateRatio.of(0, 5, 30, 5, 0.95);
        assertThat(none.ratio()).isZero();
        assertThat(none.low()).isZero();
        assertThat(none.high()).isPositive().isLessThan(0.2);
        RateRatio.Interval noBase = RateRatio.of(30, 5, 0, 5, 0.95);
        assertThat(noBase.ratio()).isNaN();
        assertThat(noBase.high()).isNull();
    }

    @Test
    void refuses_negative_counts_empty_windows_and_levels_outside_0_to_1() {
        assertThatThrownBy(() -> RateRatio.of(-1, 5, 3, 5, 0.95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateRatio.of(1, 0, 3, 5, 0.95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateRatio.of(1, 5, 3, Double.NaN, 0.95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateRatio.of(1, 5, 3, 5, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
