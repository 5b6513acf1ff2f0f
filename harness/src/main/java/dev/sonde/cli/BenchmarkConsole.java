package dev.sonde.cli;

import dev.sonde.baseline.BenchmarkComparison;
import dev.sonde.baseline.Verdict;
import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.Fmt;
import dev.sonde.report.BenchmarkOrigin;
import dev.sonde.report.LoadReport;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.StepResult;
import dev.sonde.suite.LoadSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark's lines on the console: its verdict and provenance, the knee sentence, then one row
 * per step — the latency sample count n, throughput, goodput, the error rate among the requests
 * finished in the window, TTFT p50/p99 (a p99 from fewer than {@value LoadRunner#P99_MIN_SAMPLES}
 * samples marked {@code *}) and the step's verdict against the SLO and {@code max_error_rate} —
 * and the warm-up's errors on a line of their own.
 */
final class BenchmarkConsole {
    private BenchmarkConsole() {}

    /** The lines of a benchmark without a baseline comparison. */
    static List<String> lines(LoadRunner.LoadResult load, RunInfo info, LoadSpec.Slo slo, Path outDir) {
        return lines(load, info, slo, outDir, null);
    }

    /**
     * The lines of a benchmark, then its comparison with the suite's baseline ({@code baseline}, or
     * null for none): the gates' headline and one line per gate of each step, and the notes. The
     * verdict of the first line is FAIL when a step failed or a baseline gate did.
     */
    static List<String> lines(LoadRunner.LoadResult load, RunInfo info, LoadSpec.Slo slo, Path outDir,
            BenchmarkComparison baseline) {
        List<String> out = new ArrayList<>();
        boolean passed = load.passed() && (baseline == null || baseline.verdict().passed());
        out.add((passed ? "PASS" : "FAIL") + "  benchmark: " + load.steps().size() + " steps  ("
                + BenchmarkOrigin.of(info, outDir).line() + ")");
        out.add("  " + LoadReport.kneeText(load));
        out.add("  slo: " + slo(slo) + "; goodput counts the successes that met it");
        out.add(String.format(Locale.ROOT, "  %-4s %-16s %7s %9s %10s %16s %10s %10s  %s", "step", "load", "n", "req/s",
                "goodput/s", "errors", "ttft p50", "ttft p99", "verdict"));
        boolean thin = false;
        long warmup = 0;
        long after = 0;
        for (StepResult s : load.steps()) {
            thin |= s.ttftMs().p99() != null && s.succeeded() < LoadRunner.P99_MIN_SAMPLES;
            warmup += s.warmupErrors();
            after += s.afterWindowErrors();
            out.add(String.format(Locale.ROOT, "  %-4d %-16s %7d %9.2f %10.2f %16s %10s %10s  %s", s.step(),
                    LoadRunner.load(s), s.succeeded(), s.requestRatePerS(), s.goodputPerS(),
                    Fmt.pct(s.errorRate()) + " of " + s.finishedInWindow(), Fmt.ms(s.ttftMs().p50()),
                    LoadRunner.p99(s, s.ttftMs().p99()), verdict(s)));
        }
        if (thin) {
            out.add("  * p99 from fewer than " + LoadRunner.P99_MIN_SAMPLES + " samples: the largest sample or near it,"
                    + " not a measured 99th percentile");
        }
        out.add(String.format(Locale.ROOT, "  errors outside the measured windows: %d finished in a warm-up, %d after a"
                + " window closed (in no rate)", warmup, after));
        if (baseline != null) {
            Verdict v = baseline.verdict();
            if (baseline.status() == BenchmarkComparison.Status.COMPARED) {
                out.add("  " + v.headline() + " against " + baseline.file() + " (" + baseline.baselineRuns() + " run"
                        + (baseline.baselineRuns() == 1 ? "" : "s") + ")");
                v.gates().forEach(g -> out.add("    " + g.line()));
            }
            v.notes().forEach(n -> out.add("  note: " + n));
        }
        return out;
    }

    /**
     * {@code FAILED (why)} for a step that passed its error bound; otherwise the share of its
     * in-window successes that met the SLO ({@code slo 100.0%}), or {@code ok} without an SLO.
     */
    private static String verdict(StepResult s) {
        if (s.failed() != null) {
            return "FAILED (" + s.failed() + ")";
        }
        return s.requestRatePerS() > 0 ? "ok, slo met by " + Fmt.pct(Math.min(1, s.goodputPerS() / s.requestRatePerS()))
                : "ok";
    }

    private static String slo(LoadSpec.Slo slo) {
        List<String> bounds = new ArrayList<>();
        if (slo.ttftMs() != null) {
            bounds.add("ttft ≤ " + Fmt.ms(slo.ttftMs()));
        }
        if (slo.itlMs() != null) {
            bounds.add("itl ≤ " + Fmt.ms(slo.itlMs()) + " on TPOT");
        }
        if (slo.e2eMs() != null) {
            bounds.add("e2e ≤ " + Fmt.ms(slo.e2eMs()));
        }
        return bounds.isEmpty() ? "none (every success counts)" : String.join(", ", bounds);
    }
}
