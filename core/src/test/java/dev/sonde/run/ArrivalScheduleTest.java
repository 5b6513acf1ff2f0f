package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {
    private static long[] first(ArrivalSchedule s, int n) {
        return LongStream.range(0, n).map(i -> s.next()).toArray();
    }

    @Test
    void constant_arrivals_are_due_at_i_over_the_rate_from_zero() {
        assertThat(first(new ArrivalSchedule(200, false, 1), 5)).containsExactly(0, 5_000_000, 10_000_000, 15_000_000,
                20_000_000);
        // a gap that is no whole number of nanoseconds does not drift: the 3,000th of 3/s is due at 1,000 s
        ArrivalSchedule third = new ArrivalSchedule(3, false, 1);
        long[] starts = first(third, 3_001);
        assertThat(starts[1]).isEqualTo(333_333_333L);
        assertThat(starts[3_000]).isBetween(999_999_999_000L, 1_000_000_000_000L);
    }

    @Test
    void poisson_arrivals_come_from_the_seed_and_average_the_rate() {
        long[] a = first(new ArrivalSchedule(200, true, 7), 20_000);
        assertThat(first(new ArrivalSchedule(200, true, 7), 20_000)).containsExactly(a);
        assertThat(first(new ArrivalSchedule(200, true, 8), 20_000)).isNotEqualTo(a);
        assertThat(a[0]).isZero();
        for (int i = 1; i < a.length; i++) {
            assertThat(a[i]).isGreaterThanOrEqualTo(a[i - 1]);
        }
        // 20,000 exponential gaps of mean 5 ms: their mean is within 3 % of it (~7 standard errors)
        assertThat(a[a.length - 1] / (a.length - 1.0)).isBetween(4.85e6, 5.15e6);
    }

    @Test
    void a_rate_that_is_not_a_positive_number_is_refused() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new ArrivalSchedule(bad, false, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("positive");
        }
    }
}
