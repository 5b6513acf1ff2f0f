package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.suite.LoadSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A step's rates from fixed journal records: one denominator (the requests that finished in the
 * measured window) for throughput, goodput and the error rate; the warm-up's errors apart.
 * The step lasts 10 s with a 2 s warm-up, so its window is 8 s.
 */
class StepFoldTest {
    private static LoadSpec spec(double ttftSloMs, double maxErrorRate) {
        return new LoadSpec("closed", List.of(4), List.of(), false, Duration.ofSeconds(10), Duration.ofSeconds(2), 1000,
                1000, new LoadSpec.Slo(ttftSloMs, null, null), 1, maxErrorRate);
    }

    private static int n;

    /** A request of step 0 sent at {@code sentS} and done at {@code doneS} seconds, with {@code ttftMs} or an error. */
    private static TrialResult request(double sentS, double doneS, double ttftMs, String error) {
        boolean measured = sentS >= 2;
        boolean inWindow = doneS >= 2 && doneS <= 10;
        TrialResult.Builder b = TrialResult.builder("t" + n++, "a", "h", "claude-haiku-4-5", 0).pass(error == null)
                .attempts(1).load(new LoadRecord(0, sentS * 1000, sentS * 1000, doneS * 1000, measured, inWindow));
        if (error != null) {
            b.error(new TrialError(error, 500, "api_error", "boom"));
        } else {
            b.timings(new TimingsMillis(ttftMs, ttftMs, ttftMs, (doneS - sentS) * 1000, new double[0], 1, null, null));
        }
        return b.build();
    }

    private static StepResult fold(LoadSpec spec, List<TrialResult> requests) {
        LoadRunner.StepFold fold = LoadRunner.steps(spec);
        requests.forEach(fold);
        return fold.steps().get(0);
    }

    @Test
    void goodput_equals_throughput_when_every_request_meets_the_slo() {
        // 8 sent in the warm-up that finish in the window, 24 sent and finished in it: all met the 800 ms bound
        List<TrialResult> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(request(1.5, 2.5, 300, null));
        }
        for (int i = 0; i < 24; i++) {
            requests.add(request(3 + i * 0.2, 3.5 + i * 0.2, 300, null));
        }
        StepResult s = fold(spec(800, 0.05), requests);

        assertThat(s.finishedInWindow()).isEqualTo(32);
        assertThat(s.requestRatePerS()).isEqualTo(4.0); // 32 in 8 s
        assertThat(s.goodputPerS()).isEqualTo(s.requestRatePerS());
        assertThat(s.succeeded()).as("latency samples: sent after the warm-up").isEqualTo(24);
        assertThat(s.failed()).isNull();
    }

    @Test
    void goodput_counts_the_slo_misses_of_the_same_requests_throughput_counts() {
        List<TrialResult> requests = List.of(request(1.5, 2.5, 900, null), request(3, 4, 300, null),
                request(4, 5, 300, null), request(5, 6, 900, null));
        StepResult s = fold(spec(800, 0.05), requests);
        assertThat(s.requestRatePerS()).isEqualTo(0.5);
        assertThat(s.goodputPerS()).isEqualTo(0.25);
    }

    @Test
    void errors_share_the_window_denominator_and_the_warm_up_errors_are_counted_apart() {
        List<TrialResult> requests = List.of(
                request(0.1, 0.5, 0, "server_error"), request(0.6, 1.0, 0, "server_error"), // finished in the warm-up
                request(1.5, 2.5, 0, "server_error"), // sent in the warm-up, finished in the window: counts
                request(3, 4, 300, null), request(4, 5, 300, null), request(5, 6, 300, null),
                request(9.5, 10.5, 0, "server_error")); // finished after the window closed
        StepResult s = fold(spec(800, 0.05), requests);

        assertThat(s.finishedInWindow()).isEqualTo(4);
        assertThat(s.errorRate()).isEqualTo(0.25);
        assertThat(s.errorsByClass()).containsExactly(java.util.Map.entry("server_error", 1L));
        assertThat(s.warmupErrors()).isEqualTo(2);
        assertThat(s.afterWindowErrors()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo("errors 25.0% > max_error_rate 5.0%");
        assertThat(fold(spec(800, 0.5), requests).failed()).as("under a 50 %% bound").isNull();
    }

    @Test
    void a_step_where_every_request_failed_in_the_warm_up_only_still_fails() {
        // all errors finished before the window opened: no rate, but the step cannot pass as error-free
        StepResult s = fold(spec(800, 0.05), List.of(request(0.1, 0.5, 0, "auth"), request(0.6, 1.0, 0, "auth")));
        assertThat(s.errorRate()).isZero();
        assertThat(s.warmupErrors()).isEqualTo(2);
        assertThat(s.failed()).isEqualTo("no request finished in the measured window, 2 failed outside it");
    }

    @Test
    void a_window_too_short_for_any_answer_measures_nothing_but_is_no_failure() {
        // both answers came after the window closed: no rate, no error, nothing hidden
        StepResult s = fold(spec(800, 0.05), List.of(request(0.1, 10.5, 300, null), request(2.5, 11, 300, null)));
        assertThat(s.finishedInWindow()).isZero();
        assertThat(s.requestRatePerS()).isZero();
        assertThat(s.failed()).isNull();
    }

    @Test
    void the_knee_is_the_step_before_saturation() {
        assertThat(LoadRunner.knee(3)).isEqualTo(2);
        assertThat(LoadRunner.knee(0)).isNull();
        assertThat(LoadRunner.knee(null)).isNull();
    }
}
