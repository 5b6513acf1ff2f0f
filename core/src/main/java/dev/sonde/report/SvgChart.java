package dev.sonde.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One inline-SVG chart of {@code report.html} and of {@code sonde view}'s pages, laid out in Java as a flat list of primitives
 * (lines, rects, paths, circles, text) that one template fragment draws, so every label and
 * tooltip goes through Thymeleaf's escaping and no chart needs a script. Coordinates are SVG
 * user units pre-formatted with {@code .} decimals; colours come from CSS classes ({@code s0}…
 * {@code s7} per series, {@code k0}…{@code k4} per cost kind), so the dark theme recolours them. The template fragment is {@code dev/sonde/report/charts.html}
 * ({@code charts}), drawing a list of charts named {@code charts}. Immutable.
 *
 * @param id stable name used by tests and the page ({@code data-chart})
 * @param series how many data series were drawn (0 when {@link #empty()} says why not)
 * @param empty empty when drawn; otherwise the sentence shown instead of the chart
 */
public record SvgChart(String id, String title, String note, String viewBox, List<Shape> shapes, List<Label> labels,
        List<Legend> legend, int series, String empty) {

    /**
     * One primitive. {@code tag} is {@code line}, {@code rect}, {@code path} or {@code circle};
     * unused geometry is empty. {@code series} names the data it draws (empty for axes).
     */
    public record Shape(String tag, String cls, String x, String y, String w, String h, String x2, String y2, String d,
            String series, String tooltip) {}

    /** A text label at a point, with its {@code text-anchor} and CSS class. */
    public record Label(String x, String y, String anchor, String cls, String text) {}

    /** One legend entry: the series' CSS class and its name. */
    public record Legend(String cls, String label) {}

    static final double WIDTH = 640;

    static SvgChart empty(String id, String title, String why) {
        return new SvgChart(id, title, "", "0 0 640 10", List.of(), List.of(), List.of(), 0, why);
    }

    /** Accumulates primitives for one chart. */
    static final class Canvas {
        private final List<Shape> shapes = new ArrayList<>();
        private final List<Label> labels = new ArrayList<>();
        private final List<Legend> legend = new ArrayList<>();
        private int series;

        void grid(double x1, double y1, double x2, double y2) {
            shapes.add(new Shape("line", "grid", num(x1), num(y1), "", "", num(x2), num(y2), "", "", ""));
        }

        void line(String cls, double x1, double y1, double x2, double y2) {
            shapes.add(new Shape("line", cls, num(x1), num(y1), "", "", num(x2), num(y2), "", "", ""));
        }

        void rect(String cls, double x, double y, double w, double h, String series, String tooltip) {
            shapes.add(new Shape("rect", cls, num(x), num(y), num(Math.max(0, w)), num(Math.max(0, h)), "", "", "",
                    series, tooltip));
        }

        void path(String cls, String d, String series, String tooltip) {
            shapes.add(new Shape("path", cls, "", "", "", "", "", "", d, series, tooltip));
        }

        void circle(String cls, double cx, double cy, double r, String series, String tooltip) {
            shapes.add(new Shape("circle", cls, num(cx), num(cy), num(r), "", "", "", "", series, tooltip));
        }

        void text(double x, double y, String anchor, String cls, String text) {
            labels.add(new Label(num(x), num(y), anchor, cls, text));
        }

        void legend(String cls, String label) {
            legend.add(new Legend(cls, label));
        }

        /** Counts one data series as drawn. */
        void drew() {
            series++;
        }

        SvgChart build(String id, String title, String note, double height) {
            return new SvgChart(id, title, note, "0 0 " + num(WIDTH) + " " + num(height), List.copyOf(shapes),
                    List.copyOf(labels), List.copyOf(legend), series, "");
        }
    }

    /** A linear axis from 0 to a round maximum with at most {@code maxTicks} round steps. */
    record Axis(double max, double step, int ticks) {
        static Axis of(double dataMax, int maxTicks) {
            double step = niceCeiling(dataMax / maxTicks);
            if (step == 0) {
                return new Axis(1, 1, 1);
            }
            double max = Math.ceil(dataMax / step - 1e-9) * step;
            return new Axis(max, step, Math.max(1, (int) Math.round(max / step)));
        }

        double value(int tick) {
            return step * tick;
        }

        /** The smallest 1, 2, 2.5 or 5 × 10^k that is ≥ {@code v} (0 for 0). */
        static double niceCeiling(double v) {
            if (v <= 0) {
                return 0;
            }
            double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
            for (double step : new double[] {1, 2, 2.5, 5, 10}) {
                if (step * magnitude >= v * (1 - 1e-12)) {
                    return step * magnitude;
                }
            }
            return 10 * magnitude;
        }
    }

    /** The series class of the {@code i}-th model: eight colour-blind-safe colours, then repeating. */
    static String seriesClass(int i) {
        return "s" + (i % 8);
    }

    static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
