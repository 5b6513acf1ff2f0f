package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.api.ApiFailure;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.api.ServerHints;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.RetrySpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retrier applies the one retry rule of {@link ErrorClass#retry()}, and the server's hints within it. */
class RetryRuleTest {
    private final Retrier retrier = new Retrier(RetrySpec.DEFAULT, Clock.system(), () -> 0.5);

    private static Exchange failed(ErrorClass c, int status, ServerHints hints) {
        return new Exchange(status, null, null, List.of(), null, null, Usage.NONE, Timings.NONE,
                new ApiFailure(c, status, null, "x"), hints);
    }

    @Test
    void a_failure_after_http_200_is_retried_exactly_when_its_class_says_so() {
        for (ErrorClass c : ErrorClass.values()) {
            assertThat(retrier.retryable(failed(c, 200, ServerHints.NONE))).as(c.wireName())
                    .isEqualTo(c.retry() == ErrorClass.Retry.RETRIED);
        }
    }

    @Test
    void the_server_may_ask_for_a_retry_of_any_class_but_the_never_ones() {
        ServerHints retry = new ServerHints(true, ServerHints.NO_WAIT, Map.of());
        ServerHints dont = new ServerHints(false, ServerHints.NO_WAIT, Map.of());
        for (ErrorClass c : ErrorClass.values()) {
            assertThat(retrier.retryable(failed(c, 200, retry))).as(c.wireName())
                    .isEqualTo(c.retry() != ErrorClass.Retry.NEVER);
            assertThat(retrier.retryable(failed(c, 200, dont))).as(c.wireName()).isFalse();
        }
    }

    @Test
    void the_statuses_read_the_same_rule() {
        for (int s : new int[] {408, 409, 429, 500, 503, 529}) {
            assertThat(retrier.retryable(failed(ErrorClass.ofStatus(s), s, ServerHints.NONE))).as("%d", s).isTrue();
        }
        for (int s : new int[] {400, 401, 402, 403, 404, 413, 422}) {
            ServerHints retry = new ServerHints(true, ServerHints.NO_WAIT, Map.of());
            assertThat(retrier.retryable(failed(ErrorClass.ofStatus(s), s, retry))).as("%d", s).isFalse();
        }
    }
}
