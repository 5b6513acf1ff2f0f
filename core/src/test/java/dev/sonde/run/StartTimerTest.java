package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import org.junit.jupiter.api.Test;

class StartTimerTest {
    @Test
    void on_a_manual_clock_the_wait_ends_exactly_at_the_instant() throws Exception {
        ManualClock clock = new ManualClock();
        clock.advanceMillis(3);
        StartTimer.awaitUntil(clock, 1_234_567_891L, () -> false);
        assertThat(clock.nanoTime()).isEqualTo(1_234_567_891L);
        // within the spin window too: the clock does not move while read, so what is left is slept
        StartTimer.awaitUntil(clock, 1_234_567_891L + StartTimer.SPIN_NANOS / 2, () -> false);
        assertThat(clock.nanoTime()).isEqualTo(1_234_567_891L + StartTimer.SPIN_NANOS / 2);
    }

    @Test
    void an_instant_already_past_returns_at_once() throws Exception {
        ManualClock clock = new ManualClock();
        clock.advanceMillis(10);
        StartTimer.awaitUntil(clock, 4_000_000L, () -> false);
        assertThat(clock.nanoTime()).isEqualTo(10_000_000L);
    }

    @Test
    void a_stop_ends_the_wait_before_the_instant() throws Exception {
        ManualClock clock = new ManualClock();
        StartTimer.awaitUntil(clock, 60_000_000_000L, () -> clock.nanoTime() >= 250_000_000L);
        // the sleep looks at the stop every RunStop.POLL_NANOS: it ends at the first look after it
        assertThat(clock.nanoTime()).isBetween(250_000_000L, 250_000_000L + RunStop.POLL_NANOS);
    }

    @Test
    void the_spin_never_looks_at_the_stop_which_sits_behind_the_senders_lock() throws Exception {
        ManualClock clock = new ManualClock();
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        StartTimer.awaitUntil(clock, StartTimer.SPIN_NANOS / 2, () -> looks.incrementAndGet() < 0);
        assertThat(clock.nanoTime()).isEqualTo(StartTimer.SPIN_NANOS / 2);
        assertThat(looks).hasValue(0);
    }

    @Test
    void on_the_system_clock_it_never_returns_before_the_instant() throws Exception {
        Clock clock = Clock.system();
        for (int i = 0; i < 40; i++) {
            long at = clock.nanoTime() + (i % 2 == 0 ? 1_000_000L : StartTimer.SPIN_NANOS / 3);
            StartTimer.awaitUntil(clock, at, () -> false);
            assertThat(clock.nanoTime()).isGreaterThanOrEqualTo(at);
        }
    }
}
