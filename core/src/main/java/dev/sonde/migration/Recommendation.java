package dev.sonde.migration;

import dev.sonde.suite.CompareSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides what to do about one candidate and writes it as one plain-language paragraph whose every
 * figure is a field of {@link ModelComparison} (rounded for reading: percentage points to 0.1,
 * percentages to 1 %, ratios above 100 % as {@code 1.8×}, dollars ≥ $100 to $1, ≥ $1 to the cent,
 * below $1 to two significant digits; counts as they are).
 *
 * <p>A <em>gain</em> must be more than noise: <b>cheaper</b> when the 95 % CI of the per-request
 * cost ratio lies wholly below 1 ({@code ratio_ci_high < 1}; an unpriced model is never cheaper),
 * <b>faster</b> when the 95 % CI of the p95 change (TTFT, or end-to-end time when nothing streamed)
 * lies wholly below 0 ({@code change_ci_high < 0}). <b>Better</b>: it passes at least one case the
 * baseline fails and newly fails none. With {@code k} newly failing cases, the tolerance bound
 * holding meaning the pass-rate difference's 95 % CI lower bound ≥ {@code −max_pass_rate_drop_pp},
 * the whole table:
 * <table>
 *   <tr><th>gain</th><th>k</th><th>bound</th><th>decision</th><th>basis</th></tr>
 *   <tr><td>none, not better</td><td>any</td><td>any</td><td>don't migrate</td><td>cost_and_latency</td></tr>
 *   <tr><td>none, better</td><td>0</td><td>any</td><td>upgrade (+n cases for its cost change)</td>
 *       <td>case_agreement</td></tr>
 *   <tr><td>yes</td><td>0</td><td>any</td><td>migrate (it breaks no case)</td><td>case_agreement</td></tr>
 *   <tr><td>yes</td><td>1 … max_excepted_cases</td><td>any</td><td>migrate, except the k cases
 *       (they stay on the baseline)</td><td>case_agreement</td></tr>
 *   <tr><td>yes</td><td>&gt; max_excepted_cases</td><td>holds</td><td>migrate, except the k cases
 *       (the net drop is tolerated)</td><td>tolerance_bound</td></tr>
 *   <tr><td>yes</td><td>&gt; max_excepted_cases</td><td>fails</td><td>don't migrate</td><td>tolerance_bound</td></tr>
 * </table>
 * More newly failing cases never give a better decision. The decision's sentence ends with the
 * decisive reason ({@code reasons[0]}). When the paired cases are too few to show a drop as small as
 * the tolerance ({@code pass_rate.min_detectable_drop_pp} above {@code max_pass_rate_drop_pp}, or
 * null), a second sentence says so, with the CI's width, and what the decision rests on: on so few
 * cases the bound is no evidence at that scale, whatever side of the tolerance it falls. The
 * recommendation is advice: it never changes the exit code.
 */
final class Recommendation {
    private static final String MINUS = "\u2212";

    private Recommendation() {}

    /** What the decision and paragraph are made of, for one candidate. */
    record Facts(String name, String baseName, ModelComparison.Agreement agreement, ModelComparison.PassRate passRate,
            ModelComparison.CostChange cost, List<ModelComparison.LatencyChange> latency,
            ModelComparison.TokenChange tokens, long baselineErrored, long candidateErrored,
            List<String> paramDifferences) {}

    static ModelComparison.Recommendation decide(CompareSpec spec, Facts f) {
        ModelComparison.Agreement g = f.agreement();
        ModelComparison.PassRate p = f.passRate();
        ModelComparison.CostChange cost = f.cost();
        String baseName = f.baseName();
        ModelComparison.LatencyChange lat = speed(f.latency());
        boolean cheaper = cost.ratioCiHigh() != null && cost.ratioCiHigh() < 1;
        boolean faster = lat != null && lat.p95().changeCiHigh() != null && lat.p95().changeCiHigh() < 0;
        long k = g.newlyFailing();
        boolean better = g.newlyPassing() > 0 && k == 0;
        boolean withinTolerance = p.ciLowPp() != null && p.ciLowPp() >= -spec.maxPassRateDropPp();
        boolean resolves = resolvesTolerance(p, spec.maxPassRateDropPp());
        String bound = p.ciLowPp() == null ? "no CI" : "the 95 % CI's lower bound, " + signedPp(p.ciLowPp())
                + " pp, is " + (withinTolerance ? "within" : "below") + " the tolerated " + signedPp(
                        -spec.maxPassRateDropPp()) + " pp";
        List<String> reasons = new ArrayList<>();
        ModelComparison.Decision decision;
        ModelComparison.Basis basis;
        List<String> except = List.of();
        if (!cheaper && !faster) {
            basis = better ? ModelComparison.Basis.CASE_AGREEMENT : ModelComparison.Basis.COST_AND_LATENCY;
            if (better) {
                decision = ModelComparison.Decision.UPGRADE;
                reasons.add("it passes " + cases(g.newlyPassing()) + " " + baseName + " fails and none of the cases "
                        + baseName + " passes fails on it, but it is neither cheaper nor faster beyond noise: "
                        + noGain(cost, lat));
            } else {
                decision = ModelComparison.Decision.DONT_MIGRATE;
                reasons.add("it is neither cheaper nor faster than " + baseName + " beyond noise: " + noGain(cost, lat)
                        + (g.newlyPassing() > 0 ? "; it passes " + cases(g.newlyPassing()) + " " + baseName
                                + " fails but newly fails " + cases(k) + ", so it is no upgrade" : ""));
            }
        } else if (k == 0) {
            decision = ModelComparison.Decision.MIGRATE;
            basis = ModelComparison.Basis.CASE_AGREEMENT;
            // below the tolerance only on too few cases (then the resolution sentence says so)
            reasons.add("none of the cases " + baseName + " passes fails on it"
                    + (p.ciLowPp() == null || !withinTolerance && !resolves ? "" : "; " + bound));
        } else if (k <= spec.maxExceptedCases()) {
            decision = ModelComparison.Decision.MIGRATE_EXCEPT;
            basis = ModelComparison.Basis.CASE_AGREEMENT;
            except = g.newlyFailingCases();
            reasons.add(cases(k) + " newly fail" + (k == 1 ? "s" : "") + ", at most " + spec.maxExceptedCases()
                    + " may stay on " + baseName);
        } else if (withinTolerance) {
            decision = ModelComparison.Decision.MIGRATE_EXCEPT;
            basis = ModelComparison.Basis.TOLERANCE_BOUND;
            except = g.newlyFailingCases();
            reasons.add(cases(k) + " newly fail, more than the " + spec.maxExceptedCases() + " that may stay on "
                    + baseName + ", but " + bound + "; they stay on " + baseName);
        } else {
            decision = ModelComparison.Decision.DONT_MIGRATE;
            basis = ModelComparison.Basis.TOLERANCE_BOUND;
            reasons.add(cases(k) + " newly fail, more than the " + spec.maxExceptedCases() + " that may stay on "
                    + baseName + ", and " + bound);
        }
        if (cheaper) {
            reasons.add("it costs " + ratio(cost.ratio()) + " per request (95 % CI " + ratioCi(cost) + ")");
        } else if (cost.unpriced()) {
            reasons.add("its cost is unknown (a compared model is unpriced)");
        }
        if (faster) {
            reasons.add((lat.metric().equals("ttft_ms") ? "TTFT" : "end-to-end") + " p95 is lower (change 95 % CI "
                    + changeCi(lat.p95()) + ")");
        }
        String text = text(f, lat, decision, except, reasons.get(0));
        if (!resolves && g.cases() > 0) {
            text += " " + resolution(spec, g, p, basis);
        }
        return new ModelComparison.Recommendation(decision, except, reasons, text, basis, resolves);
    }

    /**
     * Whether the paired cases can show a drop as small as the tolerance: the smallest drop the
     * exact McNemar test can find significant on them is at most {@code maxDropPp}. When it is, a
     * run whose cases all agree also has its CI's lower bound within the tolerance
     * ({@code RecommendationTest} checks this for every case count up to 1,000).
     */
    static boolean resolvesTolerance(ModelComparison.PassRate p, double maxDropPp) {
        return p.minDetectableDropPp() != null && p.minDetectableDropPp() <= maxDropPp;
    }

    /**
     * {@code 14 cases cannot show a drop as small as 5.0 pp: the smallest they can show is 42.9 pp (6
     * cases newly failing, none newly passing, by the exact McNemar test) and the 95 % CI of the
     * difference is 48.2 pp wide; the decision rests on case agreement: 13 of 14 cases agree.}
     */
    private static String resolution(CompareSpec spec, ModelComparison.Agreement g, ModelComparison.PassRate p,
            ModelComparison.Basis basis) {
        StringBuilder sb = new StringBuilder(cases(g.cases())).append(" cannot show ");
        if (p.minDetectableDropPp() == null) {
            sb.append("any drop: the exact McNemar test needs ").append(cases(p.minDetectableDropCases()))
                    .append(" newly failing,");
        } else {
            sb.append("a drop as small as ").append(signedPp(spec.maxPassRateDropPp()))
                    .append(" pp: the smallest they can show is ").append(signedPp(p.minDetectableDropPp()))
                    .append(" pp (").append(cases(p.minDetectableDropCases()))
                    .append(" newly failing, none newly passing, by the exact McNemar test)");
        }
        sb.append(" and the 95 % CI of the difference is ").append(signedPp(p.ciWidthPp()))
                .append(" pp wide; the decision rests on ");
        sb.append(switch (basis) {
            case CASE_AGREEMENT -> "case agreement: " + g.agree() + " of " + cases(g.cases()) + " agree";
            case TOLERANCE_BOUND -> "the CI's lower bound: more cases newly fail than may stay on the baseline";
            case COST_AND_LATENCY -> "cost and latency, not on the pass rate";
        });
        return sb.append('.').toString();
    }

    private static String noGain(ModelComparison.CostChange cost, ModelComparison.LatencyChange lat) {
        String c = cost.unpriced() ? "its cost is unknown (a compared model is unpriced)"
                : cost.ratioCiHigh() == null ? "the cost ratio has no CI"
                : "the cost ratio's 95 % CI " + ratioCi(cost) + " does not lie below 1";
        String l = lat == null ? "no latency was measured on both"
                : lat.p95().changeCiHigh() == null ? "the " + latencyName(lat) + " p95 change has no CI"
                : "the " + latencyName(lat) + " p95 change's 95 % CI " + changeCi(lat.p95()) + " does not lie below 0";
        return c + ", " + l;
    }

    private static String latencyName(ModelComparison.LatencyChange lat) {
        return lat.metric().equals("ttft_ms") ? "TTFT" : "E2E";
    }

    private static String cases(long k) {
        return k + (k == 1 ? " case" : " cases");
    }

    private static String ratioCi(ModelComparison.CostChange cost) {
        return "[" + String.format(Locale.ROOT, "%.2f", cost.ratioCiLow()) + ", "
                + String.format(Locale.ROOT, "%.2f", cost.ratioCiHigh()) + "]";
    }

    private static String changeCi(ModelComparison.Quantile q) {
        return "[" + signedPct(q.changeCiLow()) + " %, " + signedPct(q.changeCiHigh()) + " %]";
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

    private static String text(Facts f, ModelComparison.LatencyChange lat, ModelComparison.Decision decision,
            List<String> except, String decisiveReason) {
        ModelComparison.Agreement g = f.agreement();
        ModelComparison.PassRate p = f.passRate();
        ModelComparison.CostChange cost = f.cost();
        String baseName = f.baseName();
        StringBuilder sb = new StringBuilder();
        sb.append(f.name()).append(" passes ").append(g.bothPass()).append(" of the ").append(g.baselinePasses())
                .append(" cases ").append(baseName).append(" passes");
        if (g.newlyPassing() > 0) {
            sb.append(" and ").append(cases(g.newlyPassing())).append(' ').append(baseName).append(" fails");
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
            sb.append(", ").append(cost.ratio() < 0.995 ? "costs " + ratio(cost.ratio())
                    : cost.ratio() < 1.005 ? "costs about as much" : ratio(cost.ratio())).append(" (");
            boolean blend = decision == ModelComparison.Decision.MIGRATE_EXCEPT && cost.exceptPerRequestUsd() != null;
            if (cost.baselineMonthlyUsd() != null) {
                sb.append(usd(cost.baselineMonthlyUsd())).append(" → ")
                        .append(usd(blend ? cost.exceptMonthlyUsd() : cost.candidateMonthlyUsd()))
                        .append(" a month at your volume");
            } else {
                sb.append(usd(cost.baselinePerRequestUsd())).append(" → ")
                        .append(usd(blend ? cost.exceptPerRequestUsd() : cost.candidatePerRequestUsd()))
                        .append(" per request");
            }
            if (blend) {
                sb.append(", with the excepted case").append(except.size() > 1 ? "s" : "").append(" kept on ")
                        .append(baseName);
            }
            sb.append(')');
        }
        if (lat != null) {
            sb.append(", ").append(latencyName(lat)).append(" p95 ").append(signedPct(lat.p95().change()))
                    .append(" %");
        }
        if (f.candidateErrored() > 0 || f.baselineErrored() > 0) {
            sb.append("; errored (counted as failing, left out of cost and latency): ");
            List<String> errored = new ArrayList<>();
            if (f.candidateErrored() > 0) {
                errored.add(f.candidateErrored() + " errored on " + f.name());
            }
            if (f.baselineErrored() > 0) {
                errored.add(f.baselineErrored() + " errored on " + baseName);
            }
            sb.append(String.join(", ", errored));
        }
        if (!f.paramDifferences().isEmpty()) {
            sb.append("; note: ").append(String.join("; ", f.paramDifferences()));
            ModelComparison.TokenChange t = f.tokens();
            if (t != null && t.cases() > 0) {
                sb.append(" — output tokens per case ").append(tokens(t.baselineOutputPerCase())).append(" → ")
                        .append(tokens(t.candidateOutputPerCase())).append(", of them thinking ")
                        .append(tokens(t.baselineThinkingPerCase())).append(" → ")
                        .append(tokens(t.candidateThinkingPerCase()));
            }
        }
        sb.append(": ").append(decision.label());
        if (decision == ModelComparison.Decision.MIGRATE_EXCEPT) {
            sb.append(" case").append(except.size() > 1 ? "s " : " ")
                    .append(String.join(", ", except.stream().map(c -> "`" + c + "`").toList()));
        } else if (decision == ModelComparison.Decision.UPGRADE) {
            sb.append(" — +").append(cases(g.newlyPassing())).append(", ").append(costChange(cost));
        }
        sb.append(" (").append(decisiveReason).append(").");
        return sb.toString();
    }

    /** What an upgrade costs: {@code +$374 a month}, {@code +$0.0015 per request}, or why it is not known. */
    private static String costChange(ModelComparison.CostChange cost) {
        if (cost.unpriced()) {
            return "cost unknown (unpriced)";
        }
        if (cost.monthlyChangeUsd() != null) {
            return signedUsd(cost.monthlyChangeUsd()) + " a month";
        }
        return cost.perRequestChangeUsd() == null ? "cost not measured"
                : signedUsd(cost.perRequestChangeUsd()) + " per request";
    }

    /** {@code +$374}, {@code −$12}, {@code $0}: {@link #usd} with the sign of the change. */
    static String signedUsd(double v) {
        return v > 0 ? "+" + usd(v) : v < 0 ? MINUS + usd(-v) : usd(0);
    }

    private static String tokens(Double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** A cost ratio: below 1 as {@code 7 % as much}, from 1 on as {@code 1.8× the cost}. */
    static String ratio(double r) {
        return r < 0.995 ? pct(r) + " % as much" : String.format(Locale.ROOT, "%.1f× the cost", r);
    }

    /** 0.1 pp, with a true minus sign: {@code −2.1}, {@code 1.8}, {@code 0.0}. */
    static String signedPp(double v) {
        String s = String.format(Locale.ROOT, "%.1f", Math.abs(v));
        return v < 0 && !s.equals("0.0") ? MINUS + s : s;
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
