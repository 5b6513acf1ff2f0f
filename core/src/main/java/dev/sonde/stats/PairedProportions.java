package dev.sonde.stats;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * Statistics of two pass rates measured on the same cases (a paired 2×2 table): {@code a} cases
 * both pass, {@code b} only the baseline passes (newly failing on the candidate), {@code c} only
 * the candidate passes (newly passing), {@code d} neither passes.
 *
 * <ul>
 *   <li>{@link #mcnemarExactP}: the exact McNemar test — a two-sided binomial test of
 *       {@code b} successes in {@code b + c} discordant pairs at probability ½ (commons-statistics
 *       {@link BinomialTest}); 1 when there is no discordant pair.
 *   <li>{@link #fewestSignificantDiscordant}: the resolution of that test on any number of cases —
 *       the fewest discordant pairs, all in one direction, it finds significant. Fewer newly
 *       failing cases than that are never significant however many cases agree, so on {@code n}
 *       cases no drop smaller than that count / {@code n} can be shown.
 *   <li>{@link #mcnemarDropP}: the same test one-sided, for a baseline gate — the chance of at least
 *       {@code b} newly failing cases among the {@code b + c} discordant ones if a case were as
 *       likely to flip either way ({@code P(X ≥ b)}, {@code X ~ Binomial(b + c, ½)}); 1 when there
 *       is no discordant pair.
 *   <li>{@link #newcombeCi}: the 95 % confidence interval of the paired difference
 *       {@code (c − b) / n} (candidate − baseline) by Newcombe's hybrid score method for paired
 *       proportions (Newcombe 1998, Statistics in Medicine 17:2635, method 10, as worked in Altman
 *       et al., <i>Statistics with Confidence</i>, 2000): Wilson score intervals of both rates
 *       combined with the correlation φ of the pairs, φ's numerator {@code ad − bc} shrunk by
 *       {@code n/2} towards 0 when positive.
 * </ul>
 *
 * Pure functions; thread-safe.
 */
public final class PairedProportions {
    /** The standard normal quantile for a two-sided 95 % interval. */
    public static final double Z95 = 1.959963984540054;

    private PairedProportions() {}

    public static double mcnemarExactP(long b, long c) {
        if (b + c == 0) {
            return 1;
        }
        double p = BinomialTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED)
                .test((int) (b + c), (int) b, 0.5).getPValue();
        return Math.min(1, p);
    }

    /**
     * The smallest {@code k} with {@code mcnemarExactP(k, 0) < alpha}: {@code k} discordant pairs
     * all one way (p = 2 · 2<sup>−k</sup>) and none the other, the most lopsided evidence a paired
     * table can hold. 6 at {@code alpha} = 0.05 (p = 0.031; 5 give 0.0625). Independent of the
     * number of agreeing pairs, which the test ignores.
     *
     * @param alpha in (2<sup>−60</sup>, 1]
     */
    public static int fewestSignificantDiscordant(double alpha) {
        if (!(alpha > 0x1p-60 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (2^-60, 1]: " + alpha);
        }
        int k = 1;
        while (mcnemarExactP(k, 0) >= alpha) {
            k++;
        }
        return k;
    }

    /** One-sided exact McNemar p that the candidate (the run) passes fewer cases: small when {@code b} outweighs {@code c}. */
    public static double mcnemarDropP(long b, long c) {
        if (b + c == 0) {
            return 1;
        }
        double p = BinomialTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN)
                .test((int) (b + c), (int) b, 0.5).getPValue();
        return Math.min(1, p);
    }

    /** {@code [low, high]} of candidate rate − baseline rate, as fractions; null when n is 0. */
    public static double[] newcombeCi(long a, long b, long c, long d) {
        long n = a + b + c + d;
        if (n == 0) {
            return null;
        }
        double p1 = (double) (a + c) / n; // candidate
        double p2 = (double) (a + b) / n; // baseline
        double[] w1 = wilson(a + c, n);
        double[] w2 = wilson(a + b, n);
        double phi = 0;
        double denominator = (double) (a + c) * (b + d) * (a + b) * (c + d);
        if (denominator > 0) {
            double numerator = (double) a * d - (double) b * c;
            double shrunk = numerator > n / 2.0 ? numerator - n / 2.0 : numerator < 0 ? numerator : 0;
            phi = shrunk / Math.sqrt(denominator);
        }
        double diff = p1 - p2;
        double lowSq = sq(p1 - w1[0]) - 2 * phi * (p1 - w1[0]) * (w2[1] - p2) + sq(w2[1] - p2);
        double highSq = sq(w1[1] - p1) - 2 * phi * (w1[1] - p1) * (p2 - w2[0]) + sq(p2 - w2[0]);
        return new double[] {diff - Math.sqrt(Math.max(0, lowSq)), diff + Math.sqrt(Math.max(0, highSq))};
    }

    /** The 95 % Wilson score interval of {@code x} successes in {@code n}. */
    public static double[] wilson(long x, long n) {
        double p = (double) x / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static double sq(double x) {
        return x * x;
    }
}
