package dev.sonde.report;

import dev.sonde.metrics.Fmt;
import dev.sonde.baseline.Comparison;
import dev.sonde.baseline.GateResult;
import dev.sonde.metrics.TokensByKind;
import java.util.List;
import java.util.Locale;

/**
 * The baseline section of {@code summary.md}: the verdict headline, one table row per gate
 * (result, observed, limit, p-value/CI, why), the cases that broke, were fixed or are flaky, and
 * — folded in a {@code <details>} — latency, cost, tokens and cache against the baseline. Every
 * value from the run goes through {@link Text#mdCell}. Lists stop at {@value #MAX_LISTED}.
 */
final class BaselineMarkdown {
    static final int MAX_LISTED = 20;

    private BaselineMarkdown() {}

    static void append(StringBuilder sb, Comparison c) {
        if (c == null) {
            return;
        }
        if (!c.compared()) {
            boolean ok = c.verdict().passed();
            sb.append("\n### ").append(ok ? "➖" : "❌").append(" Baseline: ")
                    .append(ok ? BaselineHtml.absent(c) : "**FAIL**").append("\n\n").append(Text.mdCell(c.message()))
                    .append('\n');
            return;
        }
        boolean pass = c.verdict().passed();
        sb.append("\n### ").append(pass ? "✅" : "❌").append(" Baseline: **").append(pass ? "PASS" : "FAIL")
                .append("**");
        if (!pass) {
            sb.append(" — ").append(Text.mdCell(String.join(", ", c.verdict().failures().stream()
                    .map(GateResult::name).toList())));
        }
        sb.append("\n\nCompared with `").append(code(c.baselineFile())).append('`');
        if (c.baseline() != null) {
            sb.append(" (accepted from run `").append(code(c.baseline().runId())).append("`, ")
                    .append(c.baseline().live() ? "LIVE " + code(c.baseline().endpoint()) : "emulator").append(')');
        }
        sb.append(".\n\n| Gate | Result | Observed | Limit | Evidence | Why |\n| --- | --- | --- | --- | --- | --- |\n");
        for (GateResult g : c.verdict().gates()) {
            sb.append("| ").append(Text.mdCell(g.name()))
                    .append(" | ").append(switch (g.outcome()) {
                        case PASS -> "✅ pass";
                        case FAIL -> "❌ **fail**";
                        case SKIP -> "➖ skip";
                    })
                    .append(" | ").append(Text.mdCell(g.observed()))
                    .append(" | ").append(Text.mdCell(g.threshold()))
                    .append(" | ").append(Text.mdCell(g.evidence()))
                    .append(" | ").append(Text.mdCell(Text.truncate(g.reason(), MarkdownSummary.MAX_REASON_CHARS)))
                    .append(" |\n");
        }
        Comparison.CaseChanges cases = c.cases();
        list(sb, "New failures", cases.newFailures());
        list(sb, "Fixed", cases.fixed());
        if (c.repeats() != null) {
            sb.append("\n**Repeats:** k = ").append(c.repeats().k()).append(", mean pass^k ")
                    .append(Fmt.pct(c.repeats().meanPassHatK()));
            names(sb, "flaky", c.repeats().flaky());
            sb.append('\n');
        }
        if (!cases.winnersChanged().isEmpty()) {
            sb.append("\nCompare winners changed (informational): ")
                    .append(Text.mdCell(String.join("; ", cases.winnersChanged()))).append('\n');
        }
        if (cases.outputsChanged() > 0) {
            sb.append("\n").append(cases.outputsChanged()).append(" trial output(s) differ from the baseline");
            names(sb, "", cases.changedOutputs());
            sb.append('\n');
        }
        details(sb, c);
        for (String note : c.verdict().notes()) {
            sb.append("\n> ").append(Text.mdCell(note)).append('\n');
        }
    }

    private static void list(StringBuilder sb, String title, List<Comparison.CaseChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        sb.append("\n**").append(title).append(" (").append(changes.size()).append("):**\n\n");
        for (Comparison.CaseChange ch : changes.subList(0, Math.min(MAX_LISTED, changes.size()))) {
            sb.append("- ").append(Text.mdCell(ch.name())).append(": was ").append(Text.mdCell(ch.baseline()))
                    .append(", now ").append(Text.mdCell(ch.run()));
            if (!ch.reason().isEmpty()) {
                sb.append(" — ").append(Text.mdCell(Text.truncate(ch.reason(), MarkdownSummary.MAX_REASON_CHARS)));
            }
            sb.append('\n');
        }
        if (changes.size() > MAX_LISTED) {
            sb.append("- …and ").append(changes.size() - MAX_LISTED).append(" more\n");
        }
    }

    private static void names(StringBuilder sb, String label, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        sb.append(label.isEmpty() ? ": " : " · " + label + ": ");
        List<String> shown = names.subList(0, Math.min(MAX_LISTED, names.size()));
        sb.append(Text.mdCell(String.join(", ", shown))).append(names.size() > shown.size() ? ", …" : "");
    }

    private static void details(StringBuilder sb, Comparison c) {
        sb.append("\n<details><summary>Latency, cost and tokens against the baseline</summary>\n\n");
        sb.append("| Model | Metric | n (base → run) | p50 (base → run) | p50 change, 95% CI | p95 (base → run) "
                + "| p95 change, 95% CI | compared |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Comparison.LatencyChange l : c.latency()) {
            sb.append("| ").append(Text.mdCell(l.model())).append(" | ").append(l.metric())
                    .append(" | ").append(l.baselineCount()).append(" → ").append(l.runCount())
                    .append(" | ").append(Fmt.ms(l.baselineP50())).append(" → ").append(Fmt.ms(l.runP50()))
                    .append(" | ").append(Numbers.change(l.p50Ratio(), l.p50CiLow(), l.p50CiHigh()))
                    .append(" | ").append(Fmt.ms(l.baselineP95())).append(" → ").append(Fmt.ms(l.runP95()))
                    .append(" | ").append(Numbers.change(l.p95Ratio(), l.p95CiLow(), l.p95CiHigh()))
                    .append(" | ").append(Numbers.pairing(l)).append(" |\n");
        }
        Comparison.CostChange cost = c.cost();
        sb.append("\n- **Cost per trial:** ").append(usd(cost.baselinePerTrialUsd())).append(" → ")
                .append(usd(cost.runPerTrialUsd())).append(" (").append(Numbers.change(cost.perTrialRatio(),
                        cost.ciLow(), cost.ciHigh())).append("); total ").append(Fmt.usd(cost.baselineTotalUsd()))
                .append(" → ").append(Fmt.usd(cost.runTotalUsd())).append('\n');
        Comparison.PassRate p = c.passRate();
        sb.append("- **Pass rate:** ").append(Fmt.pct(p.baselineRate())).append(" → ").append(Fmt.pct(p.runRate()))
                .append(" (").append(Numbers.mcnemar(p)).append(")\n");
        TokensByKind b = c.tokens().baseline();
        TokensByKind r = c.tokens().run();
        sb.append("- **Tokens:** input ").append(Fmt.count(b.input())).append(" → ").append(Fmt.count(r.input()))
                .append(", cache write ").append(Fmt.count(b.cacheWrite5m() + b.cacheWrite1h())).append(" → ")
                .append(Fmt.count(r.cacheWrite5m() + r.cacheWrite1h()))
                .append(", cache read ").append(Fmt.count(b.cacheRead())).append(" → ").append(Fmt.count(r.cacheRead()))
                .append(", output ").append(Fmt.count(b.output())).append(" → ").append(Fmt.count(r.output()))
                .append('\n');
        sb.append("- **Cache hit ratio:** ").append(Fmt.pct(c.cacheHitRatio().baseline())).append(" → ")
                .append(Fmt.pct(c.cacheHitRatio().run())).append("\n\n</details>\n");
    }

    private static String usd(Double v) {
        return v == null ? Fmt.NONE : Fmt.usd(v.doubleValue());
    }

    private static String code(String s) {
        return s == null ? "" : Text.oneLine(s).replace('`', '\'');
    }

    /** Ratio and p-value formatting shared by the Markdown and HTML baseline sections. */
    static final class Numbers {
        private Numbers() {}

        /** {@code +12.3% (+4.0% … +20.1%)}, or an em dash when there is no ratio. */
        static String change(Double ratio, Double lo, Double hi) {
            if (ratio == null) {
                return Fmt.NONE;
            }
            String s = pct(ratio);
            return lo == null || hi == null ? s : s + " (" + pct(lo) + " … " + pct(hi) + ")";
        }

        static String pct(double ratio) {
            return Fmt.pctChange(ratio);
        }

        /** How a latency row was compared: {@code paired, 13 cases} (and the baseline's runs), or unpaired with its p. */
        static String pairing(Comparison.LatencyChange l) {
            if (l.pairs() != null) {
                return "paired, " + l.pairs() + " case" + (l.pairs() == 1 ? "" : "s")
                        + (l.baselineRuns() != null && l.baselineRuns() > 1 ? " × " + l.baselineRuns() + " baseline runs" : "");
            }
            return "unpaired, Mann-Whitney p " + p(l.pValue());
        }

        /** The pass-rate test: {@code McNemar exact p 0.5000; 1 newly failing, 0 newly passing}. */
        static String mcnemar(Comparison.PassRate p) {
            return "McNemar exact p " + p(p.pValue()) + "; " + p.newlyFailing() + " newly failing, " + p.newlyPassing()
                    + " newly passing of " + p.cases() + " cases";
        }

        static String p(Double p) {
            if (p == null) {
                return Fmt.NONE;
            }
            return p < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
        }
    }
}
