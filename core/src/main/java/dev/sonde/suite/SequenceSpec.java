package dev.sonde.suite;

import java.time.Duration;
import java.util.List;

/**
 * How one variant's requests are sent (suite {@code sequence:}, overridable per variant):
 * {@code requests} measured requests, grouped into arrivals of {@code concurrency} requests sent at
 * the same moment; an optional warm-up request as an arrival of its own before them (journaled and
 * paid, never counted in the variant's figures). Consecutive arrivals (the warm-up included) are
 * {@code interArrival.get(j % size)} apart, from intended start to intended start; an arrival also
 * waits until the one before it has finished.
 *
 * @param interArrival the gaps between arrivals, used in order and repeated from the first when
 *     exhausted; never empty
 */
public record SequenceSpec(int requests, List<Duration> interArrival, int concurrency, boolean warmup) {
    public static final SequenceSpec DEFAULT = new SequenceSpec(5, List.of(Duration.ZERO), 1, false);

    public SequenceSpec {
        interArrival = List.copyOf(interArrival);
        if (requests < 1 || concurrency < 1 || interArrival.isEmpty()) {
            throw new IllegalArgumentException("a sequence needs requests >= 1, concurrency >= 1 and a gap");
        }
    }

    /** Arrivals in the sequence, the warm-up included. */
    public int arrivals() {
        return (warmup ? 1 : 0) + (requests + concurrency - 1) / concurrency;
    }

    /**
     * The arrival (0-based, the warm-up being 0 when present) that sends measured request
     * {@code index}; the warm-up's index is -1 ({@link SequencePlan}), its arrival 0.
     */
    public int arrivalOf(int index) {
        return index < 0 ? 0 : (warmup ? 1 : 0) + index / concurrency;
    }

    /** The gap after arrival {@code arrival} (before the next one). */
    public Duration gapAfter(int arrival) {
        return interArrival.get(arrival % interArrival.size());
    }

    /** When arrival {@code arrival} is due, from the sequence's start. */
    public Duration offsetOf(int arrival) {
        Duration at = Duration.ZERO;
        for (int j = 0; j < arrival; j++) {
            at = at.plus(gapAfter(j));
        }
        return at;
    }
}
