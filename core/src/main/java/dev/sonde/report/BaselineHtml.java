package dev.sonde.report;

import dev.sonde.baseline.Comparison;
import dev.sonde.baseline.GateResult;
import dev.sonde.metrics.Fmt;
import java.util.ArrayList;
import java.util.List;

/**
 * The "Baseline" section of {@code report.html}, pre-formatted for the template (which escapes
 * every string): the verdict, one row per gate, the case flips and flaky cases, and the latency
 * changes per model. {@link #present()} is false when no comparison was made, and the template
 * then shows nothing.
 */
record BaselineHtml(boolean present, boolean compared, boolean pass, String headline, String message, String file,
        String source, List<GateRow> gates, List<String> newFailures, List<String> fixed, List<String> flaky,
        List<LatencyRow> latency, List<String> facts, List<String> notes) {

    record GateRow(String name, String outcome, String observed, String threshold, String evidence, String reason) {}

    record LatencyRow(String model, String metric, String n, String p50, String p50Change, String p95,
            String p95Change, String compared) {}

    private static final BaselineHtml NONE = new BaselineHtml(false, false, true, "", "", "", "", List.of(), List.of(),
            List.of(), List.of(), List.of(), List.of(), List.of());

    static BaselineHtml of(Comparison c) {
        if (c == null) {
            return NONE;
        }
        List<GateRow> gates = new ArrayList<>();
        for (GateResult g : c.verdict().gates()) {
            gates.add(new GateRow(g.name(), g.outcome().wire(), g.observed(), g.threshold(), g.evidence(),
                    Text.xmlSafe(g.reason())));
        }
        if (!c.compared()) {
            return new BaselineHtml(true, false, c.verdict().passed(), c.verdict().passed() ? absent(c) : "FAIL",
                    Text.xmlSafe(c.message()), c.baselineFile() == null ? "" : c.baselineFile(), "", gates, List.of(),
                    List.of(), List.of(), List.of(), List.of(),
                    c.verdict().notes().stream().filter(n -> !n.equals(c.message())).toList()); // said above once
        }
        List<LatencyRow> latency = new ArrayList<>();
        for (Comparison.LatencyChange l : c.latency()) {
            latency.add(new LatencyRow(l.model(), l.metric(), l.baselineCount() + " → " + l.runCount(),
                    Fmt.ms(l.baselineP50()) + " → " + Fmt.ms(l.runP50()),
                    BaselineMarkdown.Numbers.change(l.p50Ratio(), l.p50CiLow(), l.p50CiHigh()),
                    Fmt.ms(l.baselineP95()) + " → " + Fmt.ms(l.runP95()),
                    BaselineMarkdown.Numbers.change(l.p95Ratio(), l.p95CiLow(), l.p95CiHigh()),
                    BaselineMarkdown.Numbers.pairing(l)));
        }
        List<String> facts = new ArrayList<>();
        Comparison.PassRate p = c.passRate();
        facts.add("Pass rate " + Fmt.pct(p.baselineRate()) + " → " + Fmt.pct(p.runRate()) + " ("
                + BaselineMarkdown.Numbers.mcnemar(p) + ")");
        Comparison.CostChange cost = c.cost();
        facts.add("Cost per trial " + usd(cost.baselinePerTrialUsd()) + " → " + usd(cost.runPerTrialUsd()) + " ("
                + BaselineMarkdown.Numbers.change(cost.perTrialRatio(), cost.ciLow(), cost.ciHigh()) + "), total "
                + Fmt.usd(cost.baselineTotalUsd()) + " → " + Fmt.usd(cost.runTotalUsd()));
        facts.add("Output tokens " + Fmt.count(c.tokens().baseline().output()) + " → "
                + Fmt.count(c.tokens().run().output()) + " · cache hit ratio " + Fmt.pct(c.cacheHitRatio().baseline())
                + " → " + Fmt.pct(c.cacheHitRatio().run()));
        if (!c.cases().winnersChanged().isEmpty()) {
            facts.add("Compare winners changed (informational): " + String.join("; ", c.cases().winnersChanged()));
        }
        if (c.cases().outputsChanged() > 0) {
            facts.add(c.cases().outputsChanged() + " trial output(s) differ from the baseline");
        }
        if (c.repeats() != null) {
            facts.add("Repeats k = " + c.repeats().k() + ", mean pass^k " + Fmt.pct(c.repeats().meanPassHatK()));
        }
        String source = c.baseline() == null ? "" : "accepted from run " + c.baseline().runId() + " ("
                + (c.baseline().live() ? "LIVE " + c.baseline().endpoint() : "emulator") + ")";
        return new BaselineHtml(true, true, c.verdict().passed(), c.verdict().passed() ? "PASS" : "FAIL",
                c.verdict().headline(), c.baselineFile(), source, gates, changes(c.cases().newFailures()),
                changes(c.cases().fixed()), c.repeats() == null ? List.of() : c.repeats().flaky(), latency, facts,
                c.verdict().notes());
    }

    /**
     * The badge of a baseline that was not there to compare with: {@code no baseline} (the suite has
     * no {@code baseline:} section) or {@code no baseline file yet}. Never "not compared": in a suite
     * with {@code compare:} the run's own word is COMPARED (the model comparison), and the two read
     * as a contradiction side by side.
     */
    static String absent(Comparison c) {
        return c.status() == Comparison.Status.NO_BASELINE_FILE ? "no baseline file yet" : "no baseline";
    }

    private static List<String> changes(List<Comparison.CaseChange> changes) {
        List<String> out = new ArrayList<>();
        for (Comparison.CaseChange ch : changes) {
            out.add(Text.xmlSafe(ch.name() + ": was " + ch.baseline() + ", now " + ch.run()
                    + (ch.reason().isEmpty() ? "" : " — " + ch.reason())));
        }
        return out;
    }

    private static String usd(Double v) {
        return v == null ? Fmt.NONE : Fmt.usd(v.doubleValue());
    }
}
