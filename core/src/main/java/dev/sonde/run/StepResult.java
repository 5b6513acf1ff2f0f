package dev.sonde.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.stats.LatencyStats;
import java.util.Map;

/**
 * One step of a latency benchmark (METRICS.md "Per run / step"), warm-up excluded. {@code e2eMs} is
 * service time (from the actual send); {@code responseMs} is from the intended start, so a client
 * that fell behind (or a server that stalled it) shows there — they are equal in a closed loop,
 * where the next send waits for the last answer by design. {@code startDelayMs} is how late sends
 * left against their schedule.
 *
 * <p>One denominator for the rates: the requests that finished inside the step's measured window
 * ({@code finishedInWindow}, whenever they were sent). {@code requestRatePerS} counts its successes,
 * {@code goodputPerS} those of them that met every SLO bound, {@code errorRate} its errors, so
 * goodput equals throughput when every request meets the SLO. Latency percentiles are over the
 * successes sent after the warm-up ({@code succeeded}, the sample count n). Errors of requests that
 * finished during the warm-up ({@code warmupErrors}) or after the window closed
 * ({@code afterWindowErrors}) are in no rate and are reported on their own.
 *
 * @param concurrency closed loop: the number of workers; null for open loop
 * @param offeredRatePerS open loop: the arrival rate asked for; null for closed loop
 * @param goodputPerS successful requests that met every SLO bound, per second
 * @param dispatchMs the successes' time from the call to the request on the wire (connect, TLS, the
 *     client's queue: METRICS' {@code dispatch_ms}), which TTFT, E2E and the SLO do not include
 *     (they start on the wire); a connection storm or a server slow to read shows here
 * @param failed why the step failed (its error rate passed {@code max_error_rate}, or no request
 *     finished in its window and some failed outside it), or null when it did not
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepResult(
        int step,
        String mode,
        Integer concurrency,
        Double offeredRatePerS,
        long sent,
        long measured,
        long succeeded,
        double windowS,
        double requestRatePerS,
        double outputTokenRatePerS,
        double goodputPerS,
        long finishedInWindow,
        double errorRate,
        Map<String, Long> errorsByClass,
        long warmupErrors,
        long afterWindowErrors,
        double maxErrorRate,
        String failed,
        LatencyStats ttftMs,
        LatencyStats itlMs,
        LatencyStats tpotMs,
        LatencyStats e2eMs,
        LatencyStats responseMs,
        LatencyStats startDelayMs,
        LatencyStats dispatchMs) {}
