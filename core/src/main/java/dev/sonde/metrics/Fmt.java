package dev.sonde.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one way every human-readable report (Markdown, HTML) formats numbers, so the same value
 * reads the same everywhere. Locale-independent ({@link Locale#ROOT}: {@code .} decimals,
 * {@code ,} grouping). Absent values render as an em dash, never as 0.
 */
public final class Fmt {
    public static final String NONE = "—";
    private static final DateTimeFormatter UTC_MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Fmt() {}

    /**
     * {@code v} with {@code decimals} digits after the point, exactly as {@code String.format(Locale.ROOT,
     * "%.<decimals>f", v)} writes it (half-up on the shortest decimal of {@code v}, {@code -0.000} for
     * negative zero, {@code NaN}, {@code Infinity}), without a formatter and its pattern parse: for
     * the numbers written once per trial (CSV cells, JUnit times).
     */
    public static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        }
        String s = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        boolean negative = v < 0 || v == 0 && 1 / v < 0;
        return negative && s.charAt(0) != '-' ? "-" + s : s;
    }

    /** Milliseconds with three significant digits below 100 ms, whole milliseconds above. */
    public static String ms(Double millis) {
        if (millis == null || millis.isNaN()) {
            return NONE;
        }
        double v = millis;
        if (v == 0) {
            return "0 ms";
        }
        if (v < 1) {
            return String.format(Locale.ROOT, "%.3f ms", v);
        }
        if (v < 10) {
            return String.format(Locale.ROOT, "%.2f ms", v);
        }
        if (v < 100) {
            return String.format(Locale.ROOT, "%.1f ms", v);
        }
        return String.format(Locale.ROOT, "%,.0f ms", v);
    }

    /**
     * A mean with its 95 % CI half-width: {@code 212 ms ± 4.10 ms}; the mean alone from fewer than
     * two samples, where no interval exists.
     */
    public static String meanCi(long count, Double mean, Double ci95) {
        if (mean == null) {
            return NONE;
        }
        return ci95 == null || count < 2 ? ms(mean) : ms(mean) + " ± " + ms(ci95);
    }

    /**
     * US dollars: two decimals from $1, otherwise three significant digits so tiny per-trial costs
     * stay visible ({@code $0.000123}); below a millionth of a dollar, {@code <$0.000001}.
     */
    public static String usd(double usd) {
        double abs = Math.abs(usd);
        String sign = usd < 0 ? "-" : "";
        if (abs == 0) {
            return "$0.00";
        }
        if (abs >= 1) {
            return sign + String.format(Locale.ROOT, "$%,.2f", abs);
        }
        if (abs < 0.000001) {
            return sign + "<$0.000001";
        }
        BigDecimal rounded = new BigDecimal(abs).round(new MathContext(3, RoundingMode.HALF_UP));
        int scale = 2 - (int) Math.floor(Math.log10(rounded.doubleValue()));
        return sign + "$" + rounded.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * US dollars to the millionth (two decimals with grouping from $1), for figures compared digit by
     * digit — a gate's threshold, a repricing: {@code $0.004210}, {@code $1,234.50}; {@link #NONE} for null.
     */
    public static String usdExact(Double usd) {
        if (usd == null || usd.isNaN()) {
            return NONE;
        }
        double abs = Math.abs(usd);
        return (usd < 0 ? "-" : "") + String.format(Locale.ROOT, abs >= 1 ? "$%,.2f" : "$%.6f", abs);
    }

    /** A ratio as a signed change with one decimal: 1.052 → {@code +5.2%}, 0.9 → {@code -10.0%}. */
    public static String pctChange(double ratio) {
        return String.format(Locale.ROOT, "%+.1f%%", (ratio - 1) * 100);
    }

    /** A trial's cost, or {@code unpriced} when the model has no price (never a silent $0). */
    public static String usd(Double usdOrNull) {
        return usdOrNull == null ? "unpriced" : usd(usdOrNull.doubleValue());
    }

    /** A ratio in [0, 1] as a percentage with one decimal: {@code 83.3%}. */
    public static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A wall time: {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}. */
    public static String duration(double millis) {
        if (millis < 1000) {
            return ms(millis);
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000);
        }
        long s = Math.round(millis / 1000);
        return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }

    public static String instant(Instant t) {
        return t == null ? NONE : UTC_MINUTES.format(t);
    }
}
