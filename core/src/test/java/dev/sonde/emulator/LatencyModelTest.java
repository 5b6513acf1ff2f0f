package dev.sonde.emulator;

import static dev.sonde.emulator.ResponderTest.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
    private static final Responder RESPONDER = new Responder(1, new Rules(List.of()));

    @Test
    void without_jitter_ttft_is_base_plus_prefill_and_gaps_follow_tokens_per_second() {
        LatencyModel model = new LatencyModel(List.of(new LatencyProfile("claude-*", 200, 50, 100, 0)));
        Answer answer = RESPONDER.answer(ask("Hello", 4000, ""));
        LatencyModel.Schedule s = model.schedule(answer, 7, 0);
        assertThat(s.ttftNanos()).isEqualTo(200_000_000L + 50_000L * answer.inputTokens());
        assertThat(s.gapNanos()[0]).isZero();
        List<String> chunks = answer.blocks().getFirst().chunks();
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(s.gapNanos()[i]).isEqualTo(Tokens.count(chunks.get(i)) * 10_000_000L);
        }
        long outputAfterFirst = answer.outputTokens() - Tokens.count(chunks.getFirst());
        assertThat(s.totalNanos()).isEqualTo(s.ttftNanos() + outputAfterFirst * 10_000_000L);
    }

    @Test
    void jitter_is_deterministic_per_request_and_occurrence() {
        LatencyModel model = new LatencyModel(List.of(new LatencyProfile("*", 500, 0, 50, 0.3)));
        Answer answer = RESPONDER.answer(ask("Hello", 4000, ""));
        LatencyModel.Schedule a = model.schedule(answer, 99, 0);
        assertThat(model.schedule(answer, 99, 0).ttftNanos()).isEqualTo(a.ttftNanos());
        assertThat(model.schedule(answer, 99, 0).gapNanos()).isEqualTo(a.gapNanos());
        assertThat(model.schedule(answer, 99, 1).ttftNanos()).isNotEqualTo(a.ttftNanos());
        assertThat(model.schedule(answer, 100, 0).ttftNanos()).isNotEqualTo(a.ttftNanos());
    }

    @Test
    void repeated_identical_requests_get_a_reproducible_spread_with_mean_near_base() {
        LatencyModel first = new LatencyModel(List.of(new LatencyProfile("*", 500, 0, 0, 0.25)));
        LatencyModel second = new LatencyModel(List.of(new LatencyProfile("*", 500, 0, 0, 0.25)));
        Answer answer = RESPONDER.answer(ask("Hello", 10, ""));
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long ttft = first.schedule(answer, 5).ttftNanos();
            assertThat(second.schedule(answer, 5).ttftNanos()).isEqualTo(ttft);
            samples.add(ttft);
        }
        double meanMillis = samples.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e6;
        assertThat(meanMillis).isCloseTo(500, within(40.0));
        assertThat(samples.stream().distinct().count()).isGreaterThan(390);
    }

    @Test
    void first_matching_profile_wins_and_unmatched_models_are_instant() {
        LatencyModel model = new LatencyModel(List.of(
                new LatencyProfile("claude-haiku-*", 100, 0, 0, 0), new LatencyProfile("claude-*", 900, 0, 0, 0)));
        assertThat(model.profileFor("claude-haiku-4-5").ttftBaseMillis()).isEqualTo(100);
        assertThat(model.profileFor("claude-opus-4-7").ttftBaseMillis()).isEqualTo(900);
        assertThat(model.profileFor("gpt-x").ttftBaseMillis()).isZero();
    }

    @Test
    void built_in_defaults_cover_claude_families() {
        LatencyModel defaults = new LatencyModel(Models.builtIn().defaultLatency());
        assertThat(defaults.profileFor("claude-opus-4-7").outputTokensPerSecond())
                .isLessThan(defaults.profileFor("claude-sonnet-4-6").outputTokensPerSecond());
        assertThat(defaults.profileFor("claude-sonnet-4-6").outputTokensPerSecond())
                .isLessThan(defaults.profileFor("claude-haiku-4-5-20251001").outputTokensPerSecond());
        assertThat(defaults.profileFor("some-other-model").model()).isEqualTo("*");
    }
}
