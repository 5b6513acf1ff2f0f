package dev.sonde.metrics;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.PackedHistogram;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A fixed-memory distribution of one non-negative metric — latency in ms, tokens per second, USD
 * per trial — for percentiles, the mean with its 95 % confidence interval, and the rank and
 * resampling statistics of a baseline comparison.
 *
 * <p>Values are recorded into an HdrHistogram with {@value #SIGNIFICANT_DIGITS} significant
 * digits after being quantised to {@code resolution} (e.g. 0.001 ms = 1 µs); count, sum and sum
 * of squares are kept exactly, so the mean is not quantised. Memory does not grow with the number
 * of values: the histogram is packed (its footprint follows the buckets in use, a few hundred
 * bytes for a handful of values), so per-case aggregates stay cheap. {@link #distinct()} exposes the histogram as sorted (value, count) pairs — every
 * statistic downstream sees exactly that, whether the values came from a run or from a baseline
 * file (raw values or an encoded histogram). Negative and non-finite values are ignored (an event
 * that never happened). Not thread-safe.
 */
public final class Samples {
    public static final int SIGNIFICANT_DIGITS = 3;
    /** Resolution of millisecond metrics: 1 µs, like the journal. */
    public static final double MILLIS = 0.001;
    /** Resolution of tokens-per-second metrics. */
    public static final double RATE = 0.001;
    /** Resolution of per-trial USD costs: a nano-dollar. */
    public static final double USD = 1e-9;

    private final double resolution;
    private final Histogram histogram;
    private long count;
    private double sum;
    private double sumSquares;

    public Samples(double resolution) {
        this(resolution, new PackedHistogram(SIGNIFICANT_DIGITS));
    }

    private Samples(double resolution, Histogram histogram) {
        if (!(resolution > 0)) {
            throw new IllegalArgumentException("resolution must be > 0");
        }
        this.resolution = resolution;
        this.histogram = histogram;
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
            Samples s = new Samples(resolution, h);
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
        histogram.recordValue(Math.round(value / resolution));
        count++;
        sum += value;
        sumSquares += value * value;
    }

    public void addAll(Samples other) {
        histogram.add(other.histogram);
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
        return count == 0 ? Double.NaN : histogram.getValueAtPercentile(percent) * resolution;
    }

    public double max() {
        return count == 0 ? Double.NaN : histogram.getMaxValue() * resolution;
    }

    /** The histogram as sorted distinct values with their counts, in the metric's unit. */
    public Distinct distinct() {
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
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
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
