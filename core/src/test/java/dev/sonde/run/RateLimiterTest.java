package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.api.ServerHints;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.RateLimitSpec;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Client-side limits on a manual clock: every wait is exact. */
class RateLimiterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock();

    @Test
    void requests_per_minute_are_paced_a_minute_over_the_limit_apart() throws Exception {
        RateLimiter limiter = new RateLimiter(new RateLimitSpec(2, null, null, false), clock);
        long[] waits = new long[5];
        for (int i = 0; i < 5; i++) {
            waits[i] = limiter.acquire(10, 10) / 1_000_000;
        }
        assertThat(waits).containsExactly(0, 30_000, 30_000, 30_000, 30_000);
    }

    @Test
    @Tag("hostile")
    void no_burst_and_no_60_second_window_holds_more_requests_than_the_limit() throws Exception {
        RateLimiter limiter = new RateLimiter(new RateLimitSpec(120, null, null, false), clock);
        long start = clock.nanoTime();
        long[] sent = new long[400];
        for (int i = 0; i < sent.length; i++) {
            limiter.acquire(10, 10);
            sent[i] = clock.nanoTime() - start;
        }
        assertThat(sent[29]).as("the 30th request, at 2 a second").isGreaterThanOrEqualTo(14_500_000_000L);
        for (int i = 0; i + 120 < sent.length; i++) {
            assertThat(sent[i + 120] - sent[i]).as("121 sends from send %d", i).isGreaterThanOrEqualTo(60_000_000_000L);
        }
    }

    @Test
    void input_tokens_are_reserved_from_the_estimate_and_settled_from_usage() throws Exception {
        RateLimiter limiter = new RateLimiter(new RateLimitSpec(null, 6_000, null, false), clock);
        assertThat(limiter.acquire(5_000, 0)).isZero();
        // the response used only 1,000 (input + cache writes; cache reads are free): 4,000 come back
        limiter.settle(5_000, 0, Usage.fromJson(JSON.readTree(
                "{\"input_tokens\":400,\"cache_creation_input_tokens\":600,\"cache_read_input_tokens\":9000}")));
        assertThat(limiter.acquire(5_000, 0)).isZero();
        // 6,000 − 1,000 − 5,000 = 0 left; 3,000 more need 30 s of refill at 100 tokens/s
        assertThat(limiter.acquire(3_000, 0) / 1_000_000).isEqualTo(30_000);
    }

    @Test
    void an_estimate_larger_than_the_bucket_still_goes_and_under_reservation_becomes_debt() throws Exception {
        RateLimiter limiter = new RateLimiter(new RateLimitSpec(null, null, 600, false), clock);
        assertThat(limiter.acquire(0, 10_000)).isZero(); // capped at the bucket's 600
        limiter.settle(0, 10_000, Usage.fromJson(JSON.readTree("{\"output_tokens\":1200}"))); // 600 of debt
        // 600 debt + 1 more token = 601 tokens at 10/s
        assertThat(limiter.acquire(0, 1) / 1_000_000).isBetween(60_000L, 60_200L);
    }

    @Test
    void adaptive_mode_waits_for_the_reset_when_the_server_says_a_limit_is_spent() throws Exception {
        RateLimiter limiter = new RateLimiter(RateLimitSpec.NONE, clock);
        String reset = clock.now().plusSeconds(12).toString();
        limiter.observe(200, new ServerHints(null, ServerHints.NO_WAIT, Map.of(
                "anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", reset)));
        assertThat(limiter.acquire(1, 1) / 1_000_000).isEqualTo(12_000);
        limiter.observe(429, new ServerHints(null, 5_000_000_000L, Map.of()));
        assertThat(limiter.acquire(1, 1) / 1_000_000).isEqualTo(5_000);
        RateLimiter off = new RateLimiter(new RateLimitSpec(null, null, null, false), clock);
        off.observe(429, new ServerHints(null, 5_000_000_000L, Map.of()));
        assertThat(off.acquire(1, 1)).isZero();
    }

    @Test
    @Tag("hostile")
    void no_adaptive_pause_outlasts_max_retry_after_nor_a_minute() throws Exception {
        RateLimiter limiter = new RateLimiter(RateLimitSpec.NONE, clock, java.time.Duration.ofSeconds(3));
        String far = clock.now().plusSeconds(40).toString();
        limiter.observe(200, new ServerHints(null, ServerHints.NO_WAIT, Map.of(
                "anthropic-ratelimit-tokens-remaining", "0", "anthropic-ratelimit-tokens-reset", far)));
        assertThat(limiter.acquire(1, 1) / 1_000_000).isEqualTo(3_000);
        limiter.observe(429, new ServerHints(null, 20_000_000_000L, Map.of()));
        assertThat(limiter.acquire(1, 1) / 1_000_000).isEqualTo(3_000);

        RateLimiter defaults = new RateLimiter(RateLimitSpec.NONE, clock, java.time.Duration.ofMinutes(5));
        String hour = clock.now().plusSeconds(3_600).toString();
        defaults.observe(200, new ServerHints(null, ServerHints.NO_WAIT, Map.of(
                "anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", hour)));
        assertThat(defaults.acquire(1, 1) / 1_000_000).as("a reset an hour away: a minute at most").isEqualTo(60_000);
    }

    @Test
    void concurrency_halves_on_429_once_per_burst_and_creeps_back_on_success() throws Exception {
        AdaptiveLimit limit = new AdaptiveLimit(8);
        assertThat(limit.throttled()).isEqualTo(4);
        assertThat(limit.throttled()).as("a second 429 of the same burst").isZero();
        for (int i = 0; i < 4; i++) {
            limit.acquire();
            limit.release();
        }
        assertThat(limit.throttled()).isEqualTo(2);
        for (int i = 0; i < 10; i++) {
            limit.succeeded();
        }
        assertThat(limit.current()).as("+1/limit per success: about one step per window").isEqualTo(4);
        for (int i = 0; i < 30; i++) {
            limit.succeeded();
        }
        assertThat(limit.current()).isEqualTo(8);
        assertThat(limit.lowest()).isEqualTo(2);
        assertThat(limit.throttles()).isEqualTo(3);
    }
}
