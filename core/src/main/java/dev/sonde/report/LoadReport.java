package dev.sonde.report;

import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.Fmt;
import dev.sonde.run.LoadDetail;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.StepDistribution;
import dev.sonde.run.StepResult;
import dev.sonde.stats.LatencyStats;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.thymeleaf.context.Context;

/**
 * The HTML report of a latency benchmark ({@code report.html} next to its {@code results.json}),
 * drawn from the run's analysis ({@link LoadDetail}, the steps): a provenance header with the LIVE
 * or emulator badge; the knee found and its rule in words; throughput, goodput and latency against
 * load; the run per second (requests started and finished, throughput, goodput, errors, requests
 * in flight, TTFT p50/p99) with each step's start marked and its warm-up shaded; a table of the
 * steps, each linking to its own section: latency by percentile and p50/p90/p95/p99/max with n (a
 * p99 from fewer than {@value LoadRunner#P99_MIN_SAMPLES} samples marked). Every latency chart
 * carries its SLO bound. Self-contained like the run report (inline CSS and SVG, no script,
 * nothing fetched); all text escaped by Thymeleaf.
 */
public final class LoadReport {
    private LoadReport() {}

    /** One row of the steps table, formatted. */
    public record Row(int step, String load, String n, String rate, String tokens, String goodput, String errors,
            String ttft50, String ttft99, String itl50, String e2e99, String response99, String startDelay99,
            boolean saturated, boolean knee, String verdict) {}

    /** One metric of a step's percentile table. */
    public record Percentiles(String metric, String p50, String p90, String p95, String p99, String max, String n) {}

    /** One percentile of a step's curves: TTFT, E2E and TPOT at it. */
    public record CurveRow(String percent, String ttft, String e2e, String tpot) {}

    /** One step's section: its heading, verdict, percentile table, charts and the curves' values. */
    public record StepView(int step, String title, String verdict, boolean failed, String role,
            List<Percentiles> table, List<SvgChart> charts, List<CurveRow> curve) {}

    /** One baseline gate of one step, as the console prints it. */
    public record GateRow(String outcome, String name, String observed, String threshold, String evidence,
            String reason) {}

    /**
     * The run against its suite's baseline: a one-line status, whether every gate held, the gates and
     * the notes (steps only in the run or only in the baseline, an origin shift).
     */
    public record BaselineView(String status, boolean passed, List<GateRow> gates, List<String> notes) {}

    /** As {@link #write(String, LoadRunner.LoadResult, LoadDetail, RunInfo, Path, JsonNode)}, with no baseline. */
    public static Path write(String suite, LoadRunner.LoadResult result, LoadDetail detail, RunInfo info, Path outDir)
            throws IOException {
        return write(suite, result, detail, info, outDir, null);
    }

    /**
     * The benchmark's report, headed by its provenance ({@code info}: null when unknown).
     *
     * @param detail the same pass's percentile curves, timeline and SLO bounds ({@code RunAnalysis.loadDetail})
     * @param baseline the run's comparison with its suite's baseline as {@code results.json} holds it
     *     ({@code baseline}), or null when there is none: shown as its own section, and a failed gate
     *     fails the report's verdict as it fails the run
     */
    public static Path write(String suite, LoadRunner.LoadResult result, LoadDetail detail, RunInfo info, Path outDir,
            JsonNode baseline) throws IOException {
        List<StepResult> steps = result.steps();
        Integer knee = result.kneeStep();
        Integer saturation = result.saturationStep();
        List<Row> rows = new ArrayList<>();
        List<StepView> views = new ArrayList<>();
        for (StepResult s : steps) {
            boolean saturated = saturation != null && saturation == s.step();
            boolean isKnee = knee != null && knee == s.step();
            String verdict = s.failed() == null ? "ok" : "FAILED: " + s.failed();
            rows.add(new Row(s.step(), LoadRunner.load(s), Fmt.count(s.succeeded()),
                    fmt("%.2f", s.requestRatePerS()), fmt("%.0f", s.outputTokenRatePerS()), fmt("%.2f", s.goodputPerS()),
                    fmt("%.1f%% of %d", s.errorRate() * 100, s.finishedInWindow())
                            + (s.warmupErrors() + s.afterWindowErrors() == 0 ? ""
                                    : fmt(" (+%d warm-up, %d after)", s.warmupErrors(), s.afterWindowErrors())),
                    Fmt.ms(s.ttftMs().p50()), LoadRunner.p99(s, s.ttftMs().p99()), Fmt.ms(s.itlMs().p50()),
                    LoadRunner.p99(s, s.e2eMs().p99()), LoadRunner.p99(s, s.responseMs().p99()),
                    LoadRunner.p99(s, s.startDelayMs().p99()), saturated, isKnee, verdict));
            StepDistribution d = detail.distributions().stream().filter(x -> x.step() == s.step()).findFirst()
                    .orElse(new StepDistribution(s.step(), 0, StepDistribution.PERCENTS, List.of(), List.of(), List.of()));
            views.add(new StepView(s.step(), "Step " + s.step() + " · " + LoadRunner.load(s), verdict, s.failed() != null,
                    saturated ? "saturation" : isKnee ? "knee" : "",
                    List.of(row("TTFT", s.ttftMs()), row("E2E (service time)", s.e2eMs()),
                            row("response (from intended start)", s.responseMs()), row("TPOT", s.tpotMs()),
                            row("ITL (each gap)", s.itlMs()), row("start delay", s.startDelayMs()),
                            row("dispatch (call → wire)", s.dispatchMs())),
                    LoadCharts.distribution(d, detail), curve(d)));
        }
        boolean open = !steps.isEmpty() && steps.get(0).offeredRatePerS() != null;
        BenchmarkOrigin origin = BenchmarkOrigin.of(info, outDir);
        Context ctx = new Context(Locale.ROOT);
        ctx.setVariable("suite", suite);
        ctx.setVariable("mode", open ? "open loop" : "closed loop");
        ctx.setVariable("saturation", kneeText(result));
        ctx.setVariable("kneeRule", LoadRunner.KNEE_RULE);
        ctx.setVariable("origin", origin);
        ctx.setVariable("live", "LIVE".equals(origin.source()));
        ctx.setVariable("started", Fmt.instant(origin.startedAt()));
        ctx.setVariable("slo", slo(detail));
        BaselineView base = baseline(baseline);
        ctx.setVariable("baseline", base);
        ctx.setVariable("stepsPassed", result.passed());
        ctx.setVariable("passed", result.passed() && (base == null || base.passed()));
        ctx.setVariable("loadCharts", LoadCharts.overLoad(steps, detail));
        ctx.setVariable("timeCharts", LoadCharts.overTime(detail));
        ctx.setVariable("skipped", detail.timeline().skipped());
        ctx.setVariable("rows", rows);
        ctx.setVariable("stepViews", views);
        Path file = outDir.resolve("report.html");
        return AtomicFile.write(file, out -> HtmlReport.Engine.ENGINE.process("load", ctx, out));
    }

    /**
     * The knee sentence: the knee is the last step that still delivered what it was offered,
     * saturation the first that did not ({@link LoadRunner#saturation}); console and report say it alike.
     */
    public static String kneeText(LoadRunner.LoadResult result) {
        Integer sat = result.saturationStep();
        if (sat == null) {
            return "no saturation: every step delivered what it was offered";
        }
        StepResult at = result.steps().get(sat);
        Integer knee = result.kneeStep();
        String satText = "saturation at step " + sat + " (" + LoadRunner.load(at) + ")";
        return knee == null ? satText + ": the first step already fell short, no knee"
                : "knee at step " + knee + " (" + LoadRunner.load(result.steps().get(knee)) + "), " + satText;
    }

    /** The suite's SLO bounds, or that it set none (then goodput equals throughput). */
    private static String slo(LoadDetail d) {
        List<String> parts = new ArrayList<>();
        if (d.sloTtftMs() != null) {
            parts.add("TTFT ≤ " + Fmt.ms(d.sloTtftMs()));
        }
        if (d.sloItlMs() != null) {
            parts.add("ITL (TPOT) ≤ " + Fmt.ms(d.sloItlMs()));
        }
        if (d.sloE2eMs() != null) {
            parts.add("E2E ≤ " + Fmt.ms(d.sloE2eMs()));
        }
        return parts.isEmpty() ? "none set: goodput counts every success" : String.join(", ", parts);
    }

    private static Percentiles row(String metric, LatencyStats l) {
        return new Percentiles(metric, Fmt.ms(l.p50()), Fmt.ms(l.p90()), Fmt.ms(l.p95()), LoadRunner.p99(l.count(), l.p99()),
                Fmt.ms(l.max()), Fmt.count(l.count()));
    }

    private static List<CurveRow> curve(StepDistribution d) {
        List<CurveRow> out = new ArrayList<>();
        for (int i = 0; i < d.percents().size(); i++) {
            out.add(new CurveRow(fmt("%s", d.percents().get(i)).replaceAll("\\.0$", ""), at(d.ttftMs(), i),
                    at(d.e2eMs(), i), at(d.tpotMs(), i)));
        }
        return out;
    }

    private static String at(List<Double> curve, int i) {
        return i < curve.size() ? Fmt.ms(curve.get(i)) : Fmt.NONE;
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    /** The report's view of a {@code baseline} node, or null when there is none to show. */
    static BaselineView baseline(JsonNode b) {
        if (b == null || !b.isObject()) {
            return null;
        }
        String status = b.path("status").asText("");
        String file = b.path("file").asText(null);
        int runs = b.path("baseline_runs").asInt(0);
        JsonNode verdict = b.path("verdict");
        String line = switch (status) {
            case "compared" -> "compared with " + file + " (" + runs + (runs == 1 ? " run)" : " runs)");
            case "not_configured" -> "the suite names no baseline: nothing compared";
            case "no_baseline_file" -> "no baseline file yet at " + file + ": accept this run to make one"
                    + " (sonde baseline accept)";
            case "not_compared" -> "not compared with " + file + ": " + verdict.path("notes").path(0).asText("");
            default -> status;
        };
        if ("not_configured".equals(status)) {
            return null;
        }
        List<GateRow> gates = new ArrayList<>();
        for (JsonNode g : verdict.path("gates")) {
            String gate = g.path("gate").asText("");
            String subject = g.path("subject").asText("");
            gates.add(new GateRow(g.path("outcome").asText("").toUpperCase(Locale.ROOT),
                    "run".equals(subject) || subject.isEmpty() ? gate : gate + " [" + subject + "]",
                    g.path("observed").asText(""), g.path("threshold").asText(""), g.path("evidence").asText(""),
                    g.path("reason").asText("")));
        }
        List<String> notes = new ArrayList<>();
        verdict.path("notes").forEach(n -> notes.add(n.asText()));
        return new BaselineView(line, verdict.path("passed").asBoolean(true), gates, notes);
    }
}
