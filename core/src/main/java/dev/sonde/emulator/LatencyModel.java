package dev.sonde.emulator;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an {@link Answer} into a pacing {@link Schedule} from the first matching
 * {@link LatencyProfile} (config profiles first, then the built-in defaults).
 *
 * <p>Determinism: the jitter seed is the request seed mixed with the request's occurrence number
 * (0 for the first time an identical request is seen, 1 for the second, …). A suite that repeats
 * one request 100 times therefore sees 100 different, reproducible latency samples; with
 * concurrent identical requests, which one gets which sample depends on arrival order, but the
 * set of samples does not. The occurrence table is forgotten after {@value #MAX_TRACKED} distinct
 * requests to bound memory. Thread-safe.
 */
final class LatencyModel {
    static final int MAX_TRACKED = 100_000;
    private static final LatencyProfile NONE = LatencyProfile.instant("*");

    private final List<LatencyProfile> profiles;
    private final List<Glob> globs;
    private final ConcurrentHashMap<Long, AtomicLong> occurrences = new ConcurrentHashMap<>();

    LatencyModel(List<LatencyProfile> profiles) {
        this.profiles = List.copyOf(profiles);
        this.globs = profiles.stream().map(p -> Glob.of(p.model())).toList();
    }

    /**
     * When each paced delta is written: {@code ttftNanos} before the first content delta, then
     * {@code gapNanos[i]} before paced delta {@code i} ({@code gapNanos[0]} is always 0), then
     * {@code tailNanos} before the end ({@code message_delta}; 0 in the model, a recorded answer's
     * last delta to its end).
     */
    record Schedule(long ttftNanos, long[] gapNanos, long tailNanos) {
        Schedule(long ttftNanos, long[] gapNanos) {
            this(ttftNanos, gapNanos, 0);
        }

        long totalNanos() {
            long total = ttftNanos + tailNanos;
            for (long gap : gapNanos) {
                total += gap;
            }
            return total;
        }
    }

    LatencyProfile profileFor(String model) {
        for (int i = 0; i < profiles.size(); i++) {
            if (globs.get(i).matches(model)) {
                return profiles.get(i);
            }
        }
        return NONE;
    }

    Schedule schedule(Answer answer, long requestSeed) {
        if (occurrences.size() > MAX_TRACKED) {
            occurrences.clear();
        }
        long occurrence = occurrences.computeIfAbsent(requestSeed, k -> new AtomicLong()).getAndIncrement();
        return schedule(answer, requestSeed, occurrence);
    }

    Schedule schedule(Answer answer, long requestSeed, long occurrence) {
        LatencyProfile p = profileFor(answer.model());
        SplittableRandom rng = new SplittableRandom(Seeds.mix(requestSeed, occurrence + 1));
        double ttftMillis = p.ttftBaseMillis() + p.prefillMicrosPerToken() * answer.prefilledTokens() / 1000.0;
        long ttftNanos = nanos(ttftMillis * 1e6 * jitter(rng, p.jitterSigma()));
        long[] gaps = new long[answer.pacedDeltas()];
        int i = 0;
        for (Answer.Block block : answer.blocks()) {
            for (String chunk : block.chunks()) {
                if (i > 0 && p.outputTokensPerSecond() > 0) {
                    double seconds = Tokens.count(chunk) / p.outputTokensPerSecond();
                    gaps[i] = nanos(seconds * 1e9 * jitter(rng, p.jitterSigma()));
                }
                i++;
            }
        }
        return new Schedule(ttftNanos, gaps);
    }

    /** Log-normal with mean 1: exp(σz − σ²/2). */
    private static double jitter(SplittableRandom rng, double sigma) {
        return sigma == 0 ? 1.0 : Math.exp(sigma * Seeds.gaussian(rng) - sigma * sigma / 2);
    }

    private static long nanos(double value) {
        return Math.max(0, Math.round(value));
    }
}
