package dev.sonde.report;

import dev.sonde.metrics.Fmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A line chart of {@code report.html} (and of {@code sonde view}'s trends) laid out as {@link SvgChart} primitives: series over a
 * numeric x axis (a non-finite y leaves a gap), horizontal levels (an SLO bound: a dashed line
 * with its name and value, class {@code slo}), vertical marks (a step's start: class
 * {@code step-mark}) and shaded bands (a warm-up: class {@code band}). The y axis runs from 0 to a
 * round value above every series and level, so an SLO line is always on the chart. Values read
 * as milliseconds unless {@link #yShown} says otherwise. Not thread-safe; one plot per chart.
 */
public final class LinePlot {
    /** One series; {@code x} and {@code y} of equal length, a non-finite y is a gap. */
    record Series(String label, double[] x, double[] y) {}

    private record Level(String label, double y) {}

    private record Mark(String label, double x) {}

    private record Band(double from, double to, String label) {}

    private static final double LEFT = 60;
    private static final double RIGHT = SvgChart.WIDTH - 16;
    private static final double TOP = 16;
    private static final double BOTTOM = 200;

    private final String id;
    private final String title;
    private final String note;
    private final String xLabel;
    private final String unit;
    private final List<Series> series = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private double[] xTicks;
    private DoubleFunction<String> xTickLabel = v -> SvgChart.num(v).replace(".0", "");
    private DoubleFunction<String> xShown = SvgChart::num;
    private boolean dots;
    private DoubleFunction<String> yShown;
    private double yAtLeast;

    /**
     * @param id the chart's {@code data-chart} name
     * @param xLabel the x axis' caption; {@code unit} is written above the y axis
     */
    public LinePlot(String id, String title, String note, String xLabel, String unit) {
        this.id = id;
        this.title = title;
        this.note = note;
        this.xLabel = xLabel;
        this.unit = unit;
    }

    /** A series: {@code x} and {@code y} of equal length, a non-finite y leaves a gap. */
    public LinePlot series(String label, double[] x, double[] y) {
        series.add(new Series(label, x, y));
        return this;
    }

    /** A horizontal reference line (an SLO bound); null draws nothing. */
    public LinePlot level(String label, Double y) {
        if (y != null && Double.isFinite(y)) {
            levels.add(new Level(label, y));
        }
        return this;
    }

    /** A vertical dotted line at {@code x} with its label. */
    public LinePlot mark(String label, double x) {
        marks.add(new Mark(label, x));
        return this;
    }

    /** A shaded band between two x values. */
    public LinePlot band(double from, double to, String label) {
        if (to > from) {
            bands.add(new Band(from, to, label));
        }
        return this;
    }

    /** Ticks at these x values with these labels (the default: round values from 0). */
    public LinePlot xTicks(double[] at, DoubleFunction<String> label) {
        this.xTicks = at;
        this.xTickLabel = label;
        return this;
    }

    /** How an x value reads in a tooltip (the default: the number). */
    public LinePlot xShown(DoubleFunction<String> shown) {
        this.xShown = shown;
        return this;
    }

    /** A dot with its own tooltip at every point (for a few points: the steps). */
    public LinePlot dots() {
        this.dots = true;
        return this;
    }

    /**
     * How a y value reads on the axis, in a dot's tooltip and on a level (the default: one decimal,
     * and a level in milliseconds).
     */
    public LinePlot yShown(DoubleFunction<String> shown) {
        this.yShown = shown;
        return this;
    }

    /** The y axis reaches at least {@code y} (a percentage's 100), however low the values. */
    public LinePlot yAtLeast(double y) {
        this.yAtLeast = y;
        return this;
    }

    /** The chart, or an empty one saying {@code whenEmpty} when no series has a finite value. */
    public SvgChart build(String whenEmpty) {
        boolean any = series.stream().anyMatch(s -> finiteCount(s.y()) > 0);
        if (!any) {
            return SvgChart.empty(id, title, whenEmpty);
        }
        double xMax = 1e-9;
        double yMax = Math.max(1e-9, yAtLeast);
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                xMax = Math.max(xMax, s.x()[i]);
                if (Double.isFinite(s.y()[i])) {
                    yMax = Math.max(yMax, s.y()[i]);
                }
            }
        }
        for (Level l : levels) {
            yMax = Math.max(yMax, l.y() * 1.08);
        }
        for (Mark m : marks) {
            xMax = Math.max(xMax, m.x());
        }
        SvgChart.Axis yAxis = SvgChart.Axis.of(yMax, 5);
        double[] ticks = xTicks;
        double xEnd = xMax;
        if (ticks == null) {
            SvgChart.Axis xAxis = SvgChart.Axis.of(xMax, 8);
            ticks = new double[xAxis.ticks() + 1];
            for (int t = 0; t <= xAxis.ticks(); t++) {
                ticks[t] = xAxis.value(t);
            }
            xEnd = xAxis.max();
        } else {
            for (double t : ticks) {
                xEnd = Math.max(xEnd, t);
            }
        }
        double xScale = (RIGHT - LEFT) / xEnd;
        double yScale = (BOTTOM - TOP) / yAxis.max();
        SvgChart.Canvas c = new SvgChart.Canvas();
        for (Band b : bands) {
            c.rect("band", LEFT + b.from() * xScale, TOP, (Math.min(b.to(), xEnd) - b.from()) * xScale, BOTTOM - TOP,
                    "", b.label());
        }
        for (int t = 0; t <= yAxis.ticks(); t++) {
            double y = BOTTOM - yAxis.value(t) * yScale;
            c.grid(LEFT, y, RIGHT, y);
            c.text(LEFT - 6, y + 4, "end", "axis", yShown != null ? yShown.apply(yAxis.value(t))
                    : SvgChart.num(yAxis.value(t)).replace(".0", ""));
        }
        for (double t : ticks) {
            c.text(LEFT + t * xScale, BOTTOM + 16, "middle", "axis", xTickLabel.apply(t));
        }
        c.text((LEFT + RIGHT) / 2, BOTTOM + 32, "middle", "axis", xLabel);
        c.text(LEFT - 48, TOP - 4, "start", "axis", unit);
        for (Mark m : marks) {
            double x = LEFT + m.x() * xScale;
            c.line("step-mark", x, TOP, x, BOTTOM);
            c.text(x + 3, TOP + 9, "start", "small", m.label());
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String cls = SvgChart.seriesClass(i);
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int j = 0; j < s.x().length; j++) {
                if (!Double.isFinite(s.y()[j])) {
                    pen = false;
                    continue;
                }
                double px = LEFT + s.x()[j] * xScale;
                double py = BOTTOM - s.y()[j] * yScale;
                d.append(d.isEmpty() ? "" : " ").append(pen ? "L" : "M").append(SvgChart.num(px)).append(' ')
                        .append(SvgChart.num(py));
                pen = true;
                if (dots) {
                    c.circle("dot " + cls, px, py, 3.5, s.label(), yShown != null
                            ? s.label() + " at " + xShown.apply(s.x()[j]) + ": " + yShown.apply(s.y()[j])
                            : String.format(Locale.ROOT, "%s at %s: %.1f %s", s.label(), xShown.apply(s.x()[j]), s.y()[j], unit));
                }
            }
            if (finiteCount(s.y()) == 1 && !dots) {
                int j = firstFinite(s.y());
                c.circle("dot " + cls, LEFT + s.x()[j] * xScale, BOTTOM - s.y()[j] * yScale, 2.5, s.label(), s.label());
            }
            c.path("line " + cls, d.toString(), s.label(), s.label());
            c.legend(cls, s.label());
            c.drew();
        }
        for (Level l : levels) {
            double y = BOTTOM - l.y() * yScale;
            c.line("slo", LEFT, y, RIGHT, y);
            c.text(RIGHT - 2, y - 4, "end", "slo", l.label() + " " + (yShown != null ? yShown.apply(l.y()) : Fmt.ms(l.y())));
        }
        return c.build(id, title, note, BOTTOM + 40);
    }

    private static int finiteCount(double[] y) {
        int n = 0;
        for (double v : y) {
            n += Double.isFinite(v) ? 1 : 0;
        }
        return n;
    }

    private static int firstFinite(double[] y) {
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                return i;
            }
        }
        return -1;
    }
}
