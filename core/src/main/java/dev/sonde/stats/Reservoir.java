package dev.sonde.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A bounded uniform sample of a stream of values: every value while there are at most
 * {@value #CAPACITY}, then a uniform random {@value #CAPACITY} of them (Vitter's algorithm R, seeded,
 * so the same stream gives the same sample), with the count of all values seen. Each kept value
 * stands for {@link #weight()} values of the stream. Used per case where a statistic needs the raw
 * values of a case (a cluster bootstrap): memory stays {@value #CAPACITY} doubles per case however
 * many repeats ran, and the statistic is exact while a case has at most {@value #CAPACITY} values.
 * Beyond that, a quantile of the kept values estimates the case's quantile with the sampling error
 * of {@value #CAPACITY} draws (docs/STATISTICS.md). Not thread-safe.
 */
public final class Reservoir {
    /** Values kept at most. */
    public static final int CAPACITY = 64;

    private final SplittableRandom random;
    private double[] kept = new double[4];
    private int size;
    private long seen;

    /** An empty reservoir whose replacements are drawn from {@code seed}. */
    public Reservoir(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Offers one value of the stream. */
    public void add(double value) {
        seen++;
        if (size < CAPACITY) {
            if (size == kept.length) {
                kept = Arrays.copyOf(kept, Math.min(CAPACITY, kept.length * 2));
            }
            kept[size++] = value;
            return;
        }
        long j = random.nextLong(seen);
        if (j < CAPACITY) {
            kept[(int) j] = value;
        }
    }

    /** The kept values, in the order kept (a copy). */
    public double[] values() {
        return Arrays.copyOf(kept, size);
    }

    /** How many values the stream offered. */
    public long seen() {
        return seen;
    }

    /** How many stream values each kept value stands for: 1 while every value is kept. */
    public double weight() {
        return size == 0 ? 0 : (double) seen / size;
    }
}
