package dev.sonde.stats;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.PackedHistogram;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A bounded-memory distribution of one non-negative metric — latency in ms, tokens per second, USD
 * per trial — for percentiles, the mean with its 95 % confidence interval, and the rank and
 * resampling statistics of a baseline comparison.
 *
 * <p>Values are quantised to {@code resolution} (e.g. 0.001 ms = 1 µs) and summarised as an
 * HdrHistogram with {@value #SIGNIFICANT_DIGITS} significant digits would summarise them; count,
 * sum and sum of squares are kept exactly, so the mean is not quantised. Up to
 * {@value #EXACT_LIMIT} values are kept as a plain array and every statistic is computed from it
 * with the histogram's own bucket arithmetic, so the figures are exactly the histogram's (same
 * percentiles, maximum, distinct values and encoding) at a few dozen bytes and no histogram scan
 * for the many small per-case distributions of a large run. Past that, the values move into a
 * packed HdrHistogram, whose footprint follows the buckets in use and never the number of values.
 * {@link #distinct()} exposes the distribution as sorted (value, count) pairs — every statistic
 * downstream sees exactly that, whether the values came from a run or from a baseline file (raw
 * values or an encoded histogram). Negative and non-finite values are ignored (an event that never
 * happened). Not thread-safe.
 */
public final class Samples {
    public static final int SIGNIFICANT_DIGITS = 3;
    /** Resolution of millisecond metrics: 1 µs, like the journal. */
    public static final double MILLIS = 0.001;
    /** Resolution of tokens-per-second metrics. */
    public static final double RATE = 0.001;
    /** Resolution of per-trial USD costs: a nano-dollar. */
    public static final double USD = 1e-9;

    /** Values kept as an array before they move into a histogram. */
    static final int EXACT_LIMIT = 256;
    /** The bucket arithmetic of every histogram here (nothing is ever recorded into it). */
    private static final Histogram SHAPE = new Histogram(SIGNIFICANT_DIGITS);

    private final double resolution;
    /** Spill into a plain (fast to record, larger) histogram rather than a packed one. */
    private final boolean dense;
    /** Null while the values fit in {@link #exact}. */
    private Histogram histogram;
    /** The quantised values while there are at most {@value #EXACT_LIMIT}; null once in the histogram. */
    private long[] exact;
    private int exactSize;
    private boolean exactSorted = true;
    private long count;
    private double sum;
    private double sumSquares;

    /** Samples that spill into a packed histogram: for the many small distributions (one per case). */
    public Samples(double resolution) {
        this(resolution, null, false);
        this.exact = new long[4];
    }

    /**
     * Samples that spill into a plain histogram: some tens of kilobytes once large, but a record
     * costs nanoseconds where a packed one seeks — for the few distributions that take many values
     * (a run's, a model's, a load step's).
     */
    public static Samples dense(double resolution) {
        Samples s = new Samples(resolution, null, true);
        s.exact = new long[4];
        return s;
    }

    private Samples(double resolution, Histogram histogram, boolean dense) {
        if (!(resolution > 0)) {
            throw new IllegalArgumentException("resolution must be > 0");
        }
        this.resolution = resolution;
        this.histogram = histogram;
        this.dense = dense;
    }

    /** Samples of the given values (convenience for tests and baseline files). */
    public static Samples of(double resolution, double... values) {
        Samples s = new Samples(resolution);
        for (double v : values) {
            s.record(v);
        }
        return s;
    }

    /**
     * Rebuilds samples from {@link #encode()} output with the exact sums that went with it.
     *
     * @throws IllegalArgumentException when {@code base64} is not an encoded histogram
     */
    public static Samples decode(double resolution, String base64, long count, double sum, double sumSquares) {
        try {
            Histogram h = PackedHistogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
            Samples s = new Samples(resolution, h, false);
            s.count = count;
            s.sum = sum;
            s.sumSquares = sumSquares;
            return s;
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }

    public void record(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            return;
        }
        long q = Math.round(value / resolution);
        if (histogram != null) {
            histogram.recordValue(q);
        } else {
            if (exactSize == exact.length) {
                if (exactSize >= EXACT_LIMIT) {
                    spill();
                    histogram.recordValue(q);
                    count++;
                    sum += value;
                    sumSquares += value * value;
                    return;
                }
                exact = java.util.Arrays.copyOf(exact, Math.min(EXACT_LIMIT, exactSize * 2));
            }
            exactSorted &= exactSize == 0 || exact[exactSize - 1] <= q;
            exact[exactSize++] = q;
        }
        count++;
        sum += value;
        sumSquares += value * value;
    }

    public void addAll(Samples other) {
        if (histogram == null && other.histogram == null && exactSize + other.exactSize <= EXACT_LIMIT) {
            if (exact.length < exactSize + other.exactSize) {
                exact = java.util.Arrays.copyOf(exact, exactSize + other.exactSize);
            }
            System.arraycopy(other.exact, 0, exact, exactSize, other.exactSize);
            exactSize += other.exactSize;
            exactSorted = false;
        } else {
            if (histogram == null) {
                spill();
            }
            histogram.add(other.asHistogram());
        }
        count += other.count;
        sum += other.sum;
        sumSquares += other.sumSquares;
    }

    public double resolution() {
        return resolution;
    }

    public long count() {
        return count;
    }

    public double sum() {
        return sum;
    }

    public double sumSquares() {
        return sumSquares;
    }

    /** The exact mean, NaN when empty. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The sample standard deviation (n − 1), NaN with fewer than two values. */
    public double standardDeviation() {
        if (count < 2) {
            return Double.NaN;
        }
        double variance = (sumSquares - sum * sum / count) / (count - 1);
        return Math.sqrt(Math.max(0, variance));
    }

    /**
     * Half-width of the 95 % confidence interval of the mean, Student's t with n − 1 degrees of
     * freedom (Commons Math); NaN with fewer than two values.
     */
    public double meanCi95() {
        if (count < 2) {
            return Double.NaN;
        }
        return t975(count - 1) * standardDeviation() / Math.sqrt(count);
    }

    private static final java.util.Map<Long, Double> T975 = new java.util.concurrent.ConcurrentHashMap<>();

    /** The 97.5 % quantile of Student's t, memoised: the inverse CDF is iterative and reports ask often. */
    static double t975(long degreesOfFreedom) {
        long df = Math.min(degreesOfFreedom, 100_000); // beyond this t equals the normal quantile to 5 digits
        return T975.computeIfAbsent(df, d -> new TDistribution(null, d).inverseCumulativeProbability(0.975));
    }

    /** The value at percentile {@code percent} (0–100), at histogram resolution; NaN when empty. */
    public double percentile(double percent) {
        if (count == 0) {
            return Double.NaN;
        }
        if (histogram != null) {
            return histogram.getValueAtPercentile(percent) * resolution;
        }
        // HdrHistogram's getValueAtPercentile over the same values: the bucket of the k-th smallest
        double requested = Math.min(Math.max(Math.nextAfter(percent, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        long k = Math.max((long) Math.ceil(requested / 100.0 * exactSize), 1);
        long v = sortedExact()[(int) Math.min(k, exactSize) - 1];
        return (percent == 0.0 ? SHAPE.lowestEquivalentValue(v) : SHAPE.highestEquivalentValue(v)) * resolution;
    }

    public double max() {
        if (count == 0) {
            return Double.NaN;
        }
        if (histogram != null) {
            return histogram.getMaxValue() * resolution;
        }
        long top = sortedExact()[exactSize - 1];
        return (top == 0 ? 0 : SHAPE.highestEquivalentValue(top)) * resolution;
    }

    /** The kept values, sorted (in place, once). */
    private long[] sortedExact() {
        if (!exactSorted) {
            java.util.Arrays.sort(exact, 0, exactSize);
            exactSorted = true;
        }
        return exact;
    }

    /** Moves the kept values into a packed histogram; every later value goes there too. */
    private void spill() {
        histogram = asHistogram();
        exact = null;
        exactSize = 0;
    }

    /** The values as a histogram: the one in use, or a new one made from the kept values. */
    private Histogram asHistogram() {
        if (histogram != null) {
            return histogram;
        }
        Histogram h = dense ? new Histogram(SIGNIFICANT_DIGITS) : new PackedHistogram(SIGNIFICANT_DIGITS);
        for (int i = 0; i < exactSize; i++) {
            h.recordValue(exact[i]);
        }
        return h;
    }

    /** The histogram as sorted distinct values with their counts, in the metric's unit. */
    public Distinct distinct() {
        if (histogram == null) {
            long[] sorted = sortedExact();
            double[] values = new double[exactSize];
            long[] counts = new long[exactSize];
            int n = 0;
            long previous = -1;
            for (int i = 0; i < exactSize; i++) {
                long bucket = SHAPE.highestEquivalentValue(sorted[i]);
                if (bucket == previous) {
                    counts[n - 1]++;
                } else {
                    values[n] = bucket * resolution;
                    counts[n++] = 1;
                    previous = bucket;
                }
            }
            return new Distinct(java.util.Arrays.copyOf(values, n), java.util.Arrays.copyOf(counts, n));
        }
        int n = 0;
        for (HistogramIterationValue ignored : histogram.recordedValues()) {
            n++;
        }
        double[] values = new double[n];
        long[] counts = new long[n];
        int i = 0;
        for (HistogramIterationValue v : histogram.recordedValues()) {
            values[i] = histogram.highestEquivalentValue(v.getValueIteratedTo()) * resolution;
            counts[i++] = v.getCountAtValueIteratedTo();
        }
        return new Distinct(values, counts);
    }

    /** Every value at histogram resolution, ascending (length {@link #count()}). */
    public double[] expand() {
        Distinct d = distinct();
        double[] out = new double[(int) Math.min(Integer.MAX_VALUE - 8, d.total())];
        int k = 0;
        for (int i = 0; i < d.values().length && k < out.length; i++) {
            for (long c = 0; c < d.counts()[i] && k < out.length; c++) {
                out[k++] = d.values()[i];
            }
        }
        return out;
    }

    /** The histogram, compressed and base64-encoded (HdrHistogram's V2 compressed format). */
    public String encode() {
        Histogram h = asHistogram();
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public DistributionStats stats() {
        if (count == 0) {
            return DistributionStats.EMPTY;
        }
        return new DistributionStats(count, round(mean()), count < 2 ? null : round(meanCi95()),
                round(percentile(50)), round(percentile(90)), round(percentile(95)), round(percentile(99)),
                round(max()));
    }

    private double round(double v) {
        double digits = Math.max(0, Math.ceil(-Math.log10(resolution)));
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /**
     * Sorted distinct values and how often each occurred.
     *
     * @param values ascending
     */
    public record Distinct(double[] values, long[] counts) {
        public long total() {
            long t = 0;
            for (long c : counts) {
                t += c;
            }
            return t;
        }
    }
}
