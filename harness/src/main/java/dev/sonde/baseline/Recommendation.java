package dev.sonde.baseline;

import dev.sonde.suite.CompareSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides what to do about one candidate and writes it as one plain-language paragraph whose every
 * figure is a field of {@link ModelComparison} (rounded for reading: percentage points to 0.1,
 * percentages to 1 %, dollars ≥ $100 to $1, ≥ $1 to the cent, below $1 to two significant digits).
 *
 * <p>Rules, in order:
 * <ol>
 *   <li><b>don't migrate</b> when the candidate is neither cheaper (cost ratio &lt; 1 per request)
 *       nor faster (p95 of TTFT, or of end-to-end time when nothing streamed, lower) — there is
 *       nothing to gain;
 *   <li><b>migrate</b> when the 95 % CI's lower bound of the pass-rate difference is at least
 *       {@code −max_pass_rate_drop_pp} and no case newly fails; <b>migrate, except</b> the newly
 *       failing cases (they stay on the baseline) when the bound holds but some case newly fails;
 *   <li>when the bound does not hold: <b>migrate, except</b> the newly failing cases if there are at
 *       most {@code max_excepted_cases} of them (on the rest the candidate passes every case the
 *       baseline passes), else <b>don't migrate</b>.
 * </ol>
 * An unpriced model counts as not cheaper. The recommendation is advice: it never changes the exit code.
 */
final class Recommendation {
    private static final String MINUS = "\u2212";

    private Recommendation() {}

    static ModelComparison.Recommendation decide(CompareSpec spec, String name, String baseName,
            ModelComparison.Agreement g, ModelComparison.PassRate p, ModelComparison.CostChange cost,
            List<ModelComparison.LatencyChange> latency) {
        ModelComparison.LatencyChange lat = speed(latency);
        Double p95Change = lat == null ? null : lat.p95().change();
        boolean cheaper = cost.ratio() != null && cost.ratio() < 1;
        boolean faster = p95Change != null && p95Change < 0;
        boolean withinTolerance = p.ciLowPp() != null && p.ciLowPp() >= -spec.maxPassRateDropPp();
        List<String> reasons = new ArrayList<>();
        ModelComparison.Decision decision;
        List<String> except = List.of();
        if (!cheaper && !faster) {
            decision = ModelComparison.Decision.DONT_MIGRATE;
            reasons.add("it is neither cheaper nor faster than " + baseName);
        } else if (withinTolerance) {
            except = g.newlyFailingCases();
            decision = except.isEmpty() ? ModelComparison.Decision.MIGRATE : ModelComparison.Decision.MIGRATE_EXCEPT;
            reasons.add("the pass rate may drop by at most " + pp(-p.ciLowPp()) + " pp (95 % CI lower bound), within"
                    + " the tolerated " + pp(spec.maxPassRateDropPp()) + " pp");
        } else if (!g.newlyFailingCases().isEmpty() && g.newlyFailingCases().size() <= spec.maxExceptedCases()) {
            except = g.newlyFailingCases();
            decision = ModelComparison.Decision.MIGRATE_EXCEPT;
            reasons.add("the pass rate may drop by up to " + pp(p.ciLowPp() == null ? 0 : -p.ciLowPp())
                    + " pp, more than the tolerated " + pp(spec.maxPassRateDropPp()) + " pp, but only "
                    + g.newlyFailingCases().size() + " case(s) newly fail; they stay on " + baseName);
        } else {
            decision = ModelComparison.Decision.DONT_MIGRATE;
            reasons.add("the pass rate may drop by up to " + pp(p.ciLowPp() == null ? 0 : -p.ciLowPp())
                    + " pp, more than the tolerated " + pp(spec.maxPassRateDropPp()) + " pp, and "
                    + g.newlyFailingCases().size() + " case(s) newly fail, more than the "
                    + spec.maxExceptedCases() + " that may stay on " + baseName);
        }
        if (cheaper) {
            reasons.add("it costs " + pct(cost.ratio()) + " % as much per request");
        } else if (cost.unpriced()) {
            reasons.add("its cost is unknown (a compared model is unpriced)");
        }
        if (faster) {
            reasons.add(lat.metric().equals("ttft_ms") ? "TTFT p95 is lower" : "end-to-end p95 is lower");
        }
        String text = text(name, baseName, g, p, cost, lat, decision, except, reasons.get(0));
        return new ModelComparison.Recommendation(decision, except, reasons, text);
    }

    /** TTFT when both models streamed, else end-to-end time; null when neither has samples on both sides. */
    static ModelComparison.LatencyChange speed(List<ModelComparison.LatencyChange> latency) {
        for (String metric : List.of("ttft_ms", "e2e_ms")) {
            for (ModelComparison.LatencyChange l : latency) {
                if (l.metric().equals(metric) && l.p95().change() != null) {
                    return l;
                }
            }
        }
        return null;
    }

    private static String text(String name, String baseName, ModelComparison.Agreement g, ModelComparison.PassRate p,
            ModelComparison.CostChange cost, ModelComparison.LatencyChange lat, ModelComparison.Decision decision,
            List<String> except, String firstReason) {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(" passes ").append(g.bothPass()).append(" of the ").append(g.baselinePasses())
                .append(" cases ").append(baseName).append(" passes");
        if (g.newlyPassing() > 0) {
            sb.append(" and ").append(g.newlyPassing()).append(" it fails");
        }
        sb.append(" (").append(signedPp(p.differencePp())).append(" pp");
        if (p.ciLowPp() != null) {
            sb.append(", 95 % CI [").append(signedPp(p.ciLowPp())).append(", ").append(signedPp(p.ciHighPp()))
                    .append(']');
        }
        sb.append(')');
        if (cost.unpriced()) {
            sb.append(", cost unknown (unpriced)");
        } else if (cost.ratio() != null) {
            sb.append(", costs ").append(pct(cost.ratio())).append(" % as much (");
            if (cost.baselineMonthlyUsd() != null) {
                sb.append(usd(cost.baselineMonthlyUsd())).append(" → ").append(usd(cost.candidateMonthlyUsd()))
                        .append(" a month at your volume)");
            } else {
                sb.append(usd(cost.baselinePerRequestUsd())).append(" → ").append(usd(cost.candidatePerRequestUsd()))
                        .append(" per request)");
            }
        }
        if (lat != null) {
            sb.append(", ").append(lat.metric().equals("ttft_ms") ? "TTFT" : "E2E").append(" p95 ")
                    .append(signedPct(lat.p95().change())).append(" %");
        }
        sb.append(": ");
        switch (decision) {
            case MIGRATE -> sb.append("migrate");
            case MIGRATE_EXCEPT -> sb.append("migrate, except case").append(except.size() > 1 ? "s " : " ")
                    .append(String.join(", ", except.stream().map(c -> "`" + c + "`").toList()));
            case DONT_MIGRATE -> sb.append("don't migrate (").append(firstReason).append(')');
        }
        return sb.toString();
    }

    /** 0.1 pp, with a true minus sign: {@code −2.1}, {@code 1.8}, {@code 0.0}. */
    static String signedPp(double v) {
        String s = String.format(Locale.ROOT, "%.1f", Math.abs(v));
        return v < 0 && !s.equals("0.0") ? MINUS + s : s;
    }

    static String pp(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A ratio as a whole percentage: 0.34 → {@code 34}. */
    static String pct(double ratio) {
        return Long.toString(Math.round(ratio * 100));
    }

    /** A change as a signed whole percentage: −0.38 → {@code −38}, 0.05 → {@code +5}, 0 → {@code 0}. */
    static String signedPct(double change) {
        long v = Math.round(change * 100);
        return v < 0 ? MINUS + (-v) : v > 0 ? "+" + v : "0";
    }

    /** $412, $1,204, $3.25, $0.0042. */
    static String usd(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "$%,.0f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "$%.2f", v);
        }
        if (v == 0) {
            return "$0";
        }
        return "$" + new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
