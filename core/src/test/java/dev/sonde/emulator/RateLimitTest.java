package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.body;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.metrics.ManualClock;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RPM / ITPM / OTPM buckets on the manual clock, and the anthropic-ratelimit-* headers. */
class RateLimitTest {

    static Emulator start(ManualClock clock, RateLimit limit) throws Exception {
        return Emulator.start(EmulatorConfig.builder().clock(clock).rateLimits(List.of(limit))
                .latency(List.of(LatencyProfile.instant("*"))).build());
    }

    @Test
    void every_response_carries_rate_limit_headers_even_when_limits_are_off() throws Exception {
        try (Emulator emu = Emulator.start(EmulatorConfig.builder().clock(new ManualClock())
                .latency(List.of(LatencyProfile.instant("*"))).build())) {
            HttpResponse<String> r = post(emu.baseUri(), "/v1/messages", body("m", 10, "hi", ""), AUTH);
            for (String kind : List.of("requests", "input-tokens", "output-tokens", "tokens")) {
                assertThat(r.headers().firstValue("anthropic-ratelimit-" + kind + "-limit")).hasValue("1000000000");
                assertThat(r.headers().firstValue("anthropic-ratelimit-" + kind + "-reset"))
                        .hasValue("2026-01-01T00:00:00Z");
            }
        }
    }

    @Test
    void requests_per_minute_reject_with_a_truthful_retry_after() throws Exception {
        ManualClock clock = new ManualClock();
        try (Emulator emu = start(clock, new RateLimit("claude-*", 2, 0, 0))) {
            HttpResponse<String> first = post(emu.baseUri(), "/v1/messages", body("claude-x", 10, "a", ""), AUTH);
            assertThat(first.headers().firstValue("anthropic-ratelimit-requests-limit")).hasValue("2");
            assertThat(first.headers().firstValue("anthropic-ratelimit-requests-remaining")).hasValue("1");
            assertThat(post(emu.baseUri(), "/v1/messages", body("claude-x", 10, "b", ""), AUTH).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = post(emu.baseUri(), "/v1/messages", body("claude-x", 10, "c", ""), AUTH);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(json(limited).path("error").path("type").asText()).isEqualTo("rate_limit_error");
            assertThat(limited.headers().firstValue("retry-after")).hasValue("30");
            assertThat(limited.headers().firstValue("anthropic-ratelimit-requests-remaining")).hasValue("0");
            assertThat(limited.headers().firstValue("anthropic-ratelimit-requests-reset")).hasValue("2026-01-01T00:01:00Z");
            assertThat(post(emu.baseUri(), "/v1/messages", body("other", 10, "d", ""), AUTH).statusCode()).isEqualTo(200);
            clock.advanceMillis(29_000);
            assertThat(post(emu.baseUri(), "/v1/messages", body("claude-x", 10, "e", ""), AUTH).statusCode()).isEqualTo(429);
            clock.advanceMillis(1_000);
            assertThat(post(emu.baseUri(), "/v1/messages", body("claude-x", 10, "f", ""), AUTH).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void input_tokens_per_minute_count_uncached_input_and_output_tokens_go_into_debt() throws Exception {
        ManualClock clock = new ManualClock();
        try (Emulator emu = start(clock, new RateLimit("*", 0, 600, 60))) {
            String big = body("m", 100, String.join(" ", java.util.Collections.nCopies(400, "word")), "");
            HttpResponse<String> ok = post(emu.baseUri(), "/v1/messages", big, AUTH);
            assertThat(ok.statusCode()).isEqualTo(200);
            int input = json(ok).path("usage").path("input_tokens").asInt();
            int output = json(ok).path("usage").path("output_tokens").asInt();
            assertThat(ok.headers().firstValue("anthropic-ratelimit-input-tokens-remaining")).hasValue(String.valueOf(600 - input));
            assertThat(ok.headers().firstValue("anthropic-ratelimit-output-tokens-remaining")).hasValue("0");
            assertThat(ok.headers().firstValue("anthropic-ratelimit-tokens-limit")).hasValue("60");
            HttpResponse<String> limited = post(emu.baseUri(), "/v1/messages", big, AUTH);
            assertThat(limited.statusCode()).isEqualTo(429);
            long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
            long debtSeconds = (long) Math.ceil((output - 60 + 1) / 1.0);
            long inputSeconds = (long) Math.ceil((input - (600 - input)) / 10.0);
            assertThat(retryAfter).isEqualTo(Math.max(debtSeconds, inputSeconds));
            clock.advanceMillis(retryAfter * 1000);
            assertThat(post(emu.baseUri(), "/v1/messages", big, AUTH).statusCode()).isEqualTo(200);
        }
    }
}
