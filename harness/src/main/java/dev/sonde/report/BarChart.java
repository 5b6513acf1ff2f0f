package dev.sonde.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Geometry of a small horizontal bar chart (p50 and p95 of one latency metric per model), laid
 * out in Java and drawn as inline SVG by the template, so every label goes through Thymeleaf's
 * escaping. Coordinates are SVG user units, pre-formatted with {@code .} decimals. A model with
 * no samples gets a "no data" note instead of bars; gridlines fall on a round step (1, 2, 2.5 or
 * 5 × 10^k ms), at most four of them, the last at or above the largest percentile.
 */
record BarChart(String title, String viewBox, String width, String height, List<Row> rows, List<Tick> ticks,
        String axisY) {

    /**
     * One model: its label (cut to {@value #MAX_LABEL} characters to fit the label column; the full
     * one is {@code fullLabel}), two bars (p50, p95) and their value labels, or {@code noData}.
     */
    record Row(String label, String fullLabel, String labelY, List<Bar> bars, boolean noData) {}

    record Bar(String series, String x, String y, String w, String h, String value, String textX, String textY,
            String tooltip) {}

    record Tick(String x, String label, String lineTop, String lineBottom) {}

    /** One model's input: label and the two percentiles in ms (null when there were no samples). */
    record Input(String label, Double p50, Double p95) {}

    private static final double WIDTH = 640;
    private static final double LABEL_W = 150;
    private static final double VALUE_W = 80;
    private static final double BAR_H = 14;
    private static final double BAR_GAP = 3;
    private static final double ROW_GAP = 14;
    private static final double TOP = 8;
    private static final double AXIS_H = 22;
    /** At most this many gridline steps; fewer when a round step covers the range sooner. */
    private static final int TICKS = 4;
    static final int MAX_LABEL = 22;

    static BarChart of(String title, List<Input> inputs) {
        double max = 0;
        for (Input in : inputs) {
            max = Math.max(max, Math.max(orZero(in.p50()), orZero(in.p95())));
        }
        double step = niceCeiling(max / TICKS);
        double axisMax = step == 0 ? 0 : Math.ceil(max / step) * step;
        int ticks = step == 0 ? 0 : (int) Math.round(axisMax / step);
        double plotW = WIDTH - LABEL_W - VALUE_W;
        double rowH = 2 * BAR_H + BAR_GAP + ROW_GAP;
        List<Row> rows = new ArrayList<>();
        double y = TOP;
        for (Input in : inputs) {
            boolean noData = in.p50() == null && in.p95() == null;
            List<Bar> bars = new ArrayList<>();
            if (!noData) {
                bars.add(bar("p50", in.p50(), y, axisMax, plotW, in.label()));
                bars.add(bar("p95", in.p95(), y + BAR_H + BAR_GAP, axisMax, plotW, in.label()));
            }
            String shortLabel = in.label().length() > MAX_LABEL
                    ? in.label().substring(0, MAX_LABEL - 1) + "…" : in.label();
            rows.add(new Row(shortLabel, in.label(), num(y + BAR_H + BAR_GAP / 2 + 4), bars, noData));
            y += rowH;
        }
        double plotBottom = y - ROW_GAP + 4;
        List<Tick> axis = new ArrayList<>();
        for (int i = 0; i <= ticks; i++) {
            double x = LABEL_W + (ticks == 0 ? 0 : plotW * i / ticks);
            axis.add(new Tick(num(x), Fmt.ms(step * i), num(TOP - 4), num(plotBottom)));
        }
        double height = plotBottom + AXIS_H;
        return new BarChart(title, "0 0 " + num(WIDTH) + " " + num(height), num(WIDTH), num(height), rows, axis,
                num(plotBottom + 15));
    }

    private static Bar bar(String series, Double valueMs, double y, double axisMax, double plotW, String label) {
        double v = orZero(valueMs);
        double w = axisMax == 0 ? 0 : Math.max(v / axisMax * plotW, v > 0 ? 1 : 0);
        return new Bar(series, num(LABEL_W), num(y), num(w), num(BAR_H), Fmt.ms(valueMs), num(LABEL_W + w + 6),
                num(y + BAR_H - 3), label + " " + series + ": " + Fmt.ms(valueMs));
    }

    /** The smallest 1, 2, 2.5 or 5 × 10^k that is ≥ {@code v} (0 for 0). */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 0;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
