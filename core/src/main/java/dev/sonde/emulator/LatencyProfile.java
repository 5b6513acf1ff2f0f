package dev.sonde.emulator;

/**
 * How fast the emulator answers for models matching {@code model} (an exact id or a glob with
 * {@code *} and {@code ?}).
 *
 * <ul>
 *   <li>Time to first token = ({@code ttftBaseMillis} + {@code prefillMicrosPerToken} × input
 *       tokens) × jitter. The first content delta is written that long after the response starts
 *       ({@code message_start} goes out at once, as the real API's does).</li>
 *   <li>Each later delta of {@code n} tokens follows the previous one after
 *       {@code n / outputTokensPerSecond} seconds × jitter; {@code outputTokensPerSecond = 0}
 *       means no gaps at all.</li>
 *   <li>Jitter is a log-normal factor with mean 1 and log-space standard deviation
 *       {@code jitterSigma} (0 = none), drawn from a seed per request (see
 *       {@link EmulatorConfig}).</li>
 * </ul>
 * A non-streaming request waits the whole time (first token plus every gap) before answering.
 * All zeros ({@link #instant(String)}) answers as fast as the machine can.
 */
public record LatencyProfile(
        String model,
        double ttftBaseMillis,
        double prefillMicrosPerToken,
        double outputTokensPerSecond,
        double jitterSigma) {

    public LatencyProfile {
        if (model == null || model.isEmpty()) {
            throw new IllegalArgumentException("latency profile needs a model id or glob");
        }
        if (ttftBaseMillis < 0 || prefillMicrosPerToken < 0 || outputTokensPerSecond < 0 || jitterSigma < 0) {
            throw new IllegalArgumentException("latency profile for '" + model + "': values must be >= 0");
        }
    }

    /** No delay at all for models matching {@code model}; {@code instant("*")} makes tests fast. */
    public static LatencyProfile instant(String model) {
        return new LatencyProfile(model, 0, 0, 0, 0);
    }
}
