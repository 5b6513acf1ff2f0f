package dev.sonde.report;

import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.Fmt;
import dev.sonde.migration.ModelComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "Model migration" section of {@code report.html} ({@code migration.html} fragment) and of
 * {@code summary.md} ({@link MigrationMarkdown}), pre-formatted from {@code model_comparison}: per
 * candidate the recommendation paragraph, the decision, and a compact table — metric, baseline,
 * candidate, difference with its 95 % CI. Strings are plain text (the template escapes them; the
 * Markdown writer passes them through {@link Text#mdCell}), but for the paragraph's HTML, escaped
 * here with its {@code `code`} spans as {@code <code>}. {@link #present()} is false without a
 * comparison.
 */
record MigrationView(boolean present, String baseline, String volume, List<Candidate> candidates, List<String> methods) {

    /**
     * {@code paragraphHtml}: the paragraph escaped, its {@code `case`} spans as {@code <code>} ({@link Text#codeSpans});
     * {@code title}: the name with the cloud platform it ran on beside it ({@link RunInfo#withPlatform}).
     */
    record Candidate(String name, String title, String decision, String paragraph, String paragraphHtml, List<Row> rows) {}

    record Row(String metric, String baseline, String candidate, String difference) {}

    private static final MigrationView NONE = new MigrationView(false, "", "", List.of(), List.of());

    /** @param platforms model label → the cloud platform it ran on ({@code RunInfo.platforms()}) */
    static MigrationView of(ModelComparison m, Map<String, String> platforms) {
        if (m == null) {
            return NONE;
        }
        List<Candidate> out = new ArrayList<>();
        for (ModelComparison.Candidate c : m.candidates()) {
            String paragraph = c.recommendation().text();
            out.add(new Candidate(c.name(), RunInfo.withPlatform(c.name(), platforms.get(c.model())),
                    c.recommendation().decision().label(), paragraph, Text.codeSpans(paragraph), rows(c, m.volume())));
        }
        String basePlatform = platforms.get(m.baseline());
        return new MigrationView(true, m.baselineModel() + " (" + m.baseline()
                + (basePlatform == null ? "" : ", " + basePlatform) + ")", volume(m.volume()), out, m.methods());
    }

    private static String volume(ModelComparison.Volume v) {
        return switch (v.basis()) {
            case "requests_per_month" -> String.format(Locale.ROOT, "%,.0f requests a month (requests_per_month,"
                    + " spread evenly over the cases)", v.requestsPerMonth());
            case "per_case" -> String.format(Locale.ROOT, "%,.0f requests a month (per_case weights over %d cases)",
                    v.requestsPerMonth(), v.perCase().size());
            default -> "no volume given: costs per request, no monthly projection";
        };
    }

    private static List<Row> rows(ModelComparison.Candidate c, ModelComparison.Volume volume) {
        List<Row> rows = new ArrayList<>();
        ModelComparison.Agreement g = c.agreement();
        ModelComparison.PassRate p = c.passRate();
        rows.add(new Row("Cases passed (of " + g.cases() + " run on both)", g.baselinePasses() + " · "
                + Fmt.pct(p.baselineRate()), g.candidatePasses() + " · " + Fmt.pct(p.candidateRate()),
                pp(p.differencePp()) + " pp " + ci(p.ciLowPp(), p.ciHighPp(), v -> pp(v)) + " · McNemar exact p "
                        + String.format(Locale.ROOT, "%.3f", p.mcnemarP())));
        rows.add(new Row("Case agreement", "", "", "both pass " + g.bothPass() + " · newly failing " + g.newlyFailing()
                + list(g.newlyFailingCases()) + " · newly passing " + g.newlyPassing() + list(g.newlyPassingCases())
                + " · both fail " + g.bothFail() + (g.unpairedCases().isEmpty() ? ""
                        : " · not on both " + g.unpairedCases().size())
                + (g.notEvaluatedCases().isEmpty() ? "" : " · no verdict " + g.notEvaluatedCases().size())));
        if (c.sameOutput() != null) { // absent from a results.json written before the field
            rows.add(new Row("Same output", "", "", sameOutput(c.sameOutput())));
        }
        if (p.minDetectableDropCases() > 0) { // absent from a results.json written before the field
            String smallest = p.minDetectableDropPp() == null
                    ? "none: it takes " + p.minDetectableDropCases() + " cases newly failing"
                    : String.format(Locale.ROOT, "%.1f pp (%d cases newly failing)", p.minDetectableDropPp(),
                            p.minDetectableDropCases());
            rows.add(new Row("Smallest drop " + g.cases() + " cases can show (exact McNemar)", "", "", smallest
                    + (p.ciWidthPp() == null ? "" : String.format(Locale.ROOT, " · the CI is %.1f pp wide",
                            p.ciWidthPp()))));
        }
        if (c.baselineErrored() > 0 || c.candidateErrored() > 0) {
            rows.add(new Row("Errored trials (fail their case; not in cost or latency)",
                    Long.toString(c.baselineErrored()), Long.toString(c.candidateErrored()), ""));
        }
        for (String d : c.paramDifferences()) {
            rows.add(new Row("Request parameters differ", "", "", d));
        }
        ModelComparison.CostChange k = c.cost();
        if (k.unpriced()) {
            rows.add(new Row("Cost", "unpriced", "unpriced", "a compared model has no price"));
        } else if (k.ratio() != null) {
            rows.add(new Row("Cost per request", usd(k.baselinePerRequestUsd(), k.baselinePerRequestCiLow(),
                    k.baselinePerRequestCiHigh()), usd(k.candidatePerRequestUsd(), k.candidatePerRequestCiLow(),
                    k.candidatePerRequestCiHigh()), String.format(Locale.ROOT, "×%.2f", k.ratio()) + " "
                            + ci(k.ratioCiLow(), k.ratioCiHigh(), v -> String.format(Locale.ROOT, "%.2f", v))));
            if (k.baselineMonthlyUsd() != null) {
                rows.add(new Row("Cost a month (" + volume.basis() + ")", usd(k.baselineMonthlyUsd(),
                        k.baselineMonthlyCiLow(), k.baselineMonthlyCiHigh()), usd(k.candidateMonthlyUsd(),
                        k.candidateMonthlyCiLow(), k.candidateMonthlyCiHigh()),
                                signedUsd(k.candidateMonthlyUsd() - k.baselineMonthlyUsd())));
                if (k.exceptMonthlyUsd() != null) {
                    rows.add(new Row("Cost a month, newly failing cases kept on the baseline", Fmt.usd(
                            k.baselineMonthlyUsd()), Fmt.usd(k.exceptMonthlyUsd()),
                            signedUsd(k.exceptMonthlyUsd() - k.baselineMonthlyUsd())));
                }
            }
            rows.add(new Row("Cost of this run", Fmt.usd(k.baselineTotalUsd()), Fmt.usd(k.candidateTotalUsd()), ""));
        }
        for (ModelComparison.LatencyChange l : c.latency()) {
            String name = l.metric().equals("ttft_ms") ? "TTFT" : "E2E";
            if (l.baselineCount() == 0 && l.candidateCount() == 0) {
                continue;
            }
            rows.add(latency(name + " p50", l.p50()));
            rows.add(latency(name + " p95", l.p95()));
        }
        ModelComparison.TokenChange t = c.tokens();
        if (t.cases() > 0) {
            rows.add(new Row("Output tokens per case", num(t.baselineOutputPerCase()), num(t.candidateOutputPerCase()),
                    signed(t.outputDifference()) + " " + ci(t.outputDifferenceCiLow(), t.outputDifferenceCiHigh(),
                            MigrationView::signed) + (t.outputChange() == null ? "" : " · "
                                    + change(t.outputChange()))));
            rows.add(new Row("Thinking tokens per case", num(t.baselineThinkingPerCase()),
                    num(t.candidateThinkingPerCase()), signed(t.thinkingDifference()) + " "
                            + ci(t.thinkingDifferenceCiLow(), t.thinkingDifferenceCiHigh(), MigrationView::signed)));
        }
        return rows;
    }

    /**
     * {@code 14 of 15 paired trials (93 %)}: the share rounded, but never to 100 % unless every pair
     * is identical, nor to 0 % unless none is.
     */
    static String sameOutput(ModelComparison.SameOutput s) {
        if (s.paired() == 0) {
            return "no trial answered on both";
        }
        long pct = s.identical() == s.paired() ? 100 : s.identical() == 0 ? 0
                : Math.max(1, Math.min(99, Math.round(100.0 * s.identical() / s.paired())));
        return s.identical() + " of " + s.paired() + " paired trials (" + pct + " %)";
    }

    private static Row latency(String name, ModelComparison.Quantile q) {
        return new Row(name, Fmt.ms(q.baseline()) + " " + ci(q.baselineCiLow(), q.baselineCiHigh(), v -> Fmt.ms(v)),
                Fmt.ms(q.candidate()) + " " + ci(q.candidateCiLow(), q.candidateCiHigh(), v -> Fmt.ms(v)),
                q.change() == null ? Fmt.NONE : change(q.change()) + " " + ci(q.changeCiLow(), q.changeCiHigh(),
                        MigrationView::change));
    }

    private static String list(List<String> cases) {
        return cases.isEmpty() ? "" : " (" + String.join(", ", cases) + ")";
    }

    private static String ci(Double lo, Double hi, java.util.function.DoubleFunction<String> f) {
        return lo == null || hi == null ? "" : "[" + f.apply(lo) + ", " + f.apply(hi) + "]";
    }

    private static String usd(Double v, Double lo, Double hi) {
        return v == null ? Fmt.NONE : Fmt.usd(v) + " " + ci(lo, hi, Fmt::usd);
    }

    private static String pp(double v) {
        return minus(String.format(Locale.ROOT, "%+.1f", v));
    }

    private static String change(double v) {
        return minus(String.format(Locale.ROOT, "%+.0f%%", v * 100));
    }

    /** The paragraph's true minus sign (U+2212) for a leading hyphen, so the table and the text agree. */
    static String minus(String signed) {
        return signed.startsWith("-") ? "\u2212" + signed.substring(1) : signed;
    }

    private static String signedUsd(double v) {
        return v < 0 ? "\u2212" + Fmt.usd(-v) : v > 0 ? "+" + Fmt.usd(v) : Fmt.usd(v);
    }

    private static String num(Double v) {
        return v == null ? Fmt.NONE : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String signed(Double v) {
        return v == null ? Fmt.NONE : minus(String.format(Locale.ROOT, "%+.1f", v));
    }
}
