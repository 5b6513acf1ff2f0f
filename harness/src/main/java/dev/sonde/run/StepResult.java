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
 * left against their schedule. Rates are per second of the measured window.
 *
 * @param concurrency closed loop: the number of workers; null for open loop
 * @param offeredRatePerS open loop: the arrival rate asked for; null for closed loop
 * @param goodputPerS successful requests that met every SLO bound, per second
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
        double errorRate,
        Map<String, Long> errorsByClass,
        LatencyStats ttftMs,
        LatencyStats itlMs,
        LatencyStats tpotMs,
        LatencyStats e2eMs,
        LatencyStats responseMs,
        LatencyStats startDelayMs) {}
