package dev.sonde.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One benchmark step's latency distributions as percentile curves, read from the step's
 * HdrHistograms (3 significant digits) at {@link #PERCENTS}: the value in milliseconds at each
 * percentile for TTFT, E2E (service time) and TPOT, over the same samples as the step's
 * percentiles (the successes sent after the warm-up, {@code n}). A curve is empty when the step
 * has no sample of it.
 *
 * @param n the latency samples behind the curves (the step's {@code succeeded})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepDistribution(int step, long n, List<Double> percents, List<Double> ttftMs, List<Double> e2eMs,
        List<Double> tpotMs) {

    /**
     * The percentiles read, 0 to 99.9, denser towards the tail (as HdrHistogram's percentile
     * distribution halves the distance to 100 % at each level), so a chart on a 1/(1 − p) axis is
     * evenly covered.
     */
    public static final List<Double> PERCENTS = List.of(0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 55.0, 60.0, 65.0, 70.0,
            75.0, 77.5, 80.0, 82.5, 85.0, 87.5, 90.0, 91.25, 92.5, 93.75, 95.0, 96.0, 97.0, 97.5, 98.0, 98.5, 99.0,
            99.25, 99.5, 99.75, 99.9);
}
