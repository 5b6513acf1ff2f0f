package dev.sonde.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the promise of README "Model migration": every figure of a recommendation paragraph is a
 * field of {@code results.json}. It reads the paragraph as text, takes out what is not a figure —
 * the two model names, the case ids in backticks, the request-parameter clauses (strings of
 * {@code param_differences}) and the labels {@code 95 % CI}, {@code p50}, {@code p95} — and looks
 * each remaining number up among the numeric fields of the candidate's JSON and of
 * {@code model_comparison}'s own scalars, written by each rounding rule the paragraph uses:
 * counts as they are (or with a plus: an upgrade's "+1 case"); 0.1 (percentage points); whole
 * percents of a ratio and signed whole percents of a change; 0.01 (ratio CIs); {@code 1.8×}; whole tokens; dollars (≥ $100 to $1, ≥ $1 to the
 * cent, below to two significant digits) and signed dollars. The tolerance is also quoted negated
 * ("the tolerated −5.0 pp"), so {@code max_pass_rate_drop_pp} is looked up with both signs. A
 * number is found only with its sign. Written apart from {@code Recommendation}'s formatters.
 */
public final class ParagraphFigures {
    private static final String MINUS = "\u2212";
    /** Dollars with an optional sign, a multiple ({@code 1.8×}), or a plain signed number. */
    private static final Pattern FIGURE = Pattern.compile("[+" + MINUS + "]?\\$[0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?"
            + "|[0-9]+\\.[0-9]×|[+" + MINUS + "]?[0-9]+(?:\\.[0-9]+)?");

    private ParagraphFigures() {}

    /**
     * The figures of {@code text} that no field gives, in order (empty when every one is a field).
     *
     * @param comparison {@code model_comparison} of results.json
     * @param candidate one element of its {@code candidates}
     */
    public static List<String> missing(String text, JsonNode comparison, JsonNode candidate) {
        Set<String> fields = new HashSet<>();
        collect(candidate, fields);
        for (String scalar : List.of("repeats", "max_pass_rate_drop_pp", "max_excepted_cases")) {
            collect(comparison.path(scalar), fields);
        }
        collect(comparison.at("/volume/requests_per_month"), fields);
        double tolerance = comparison.path("max_pass_rate_drop_pp").asDouble();
        fields.add(pp(-tolerance));
        List<String> missing = new ArrayList<>();
        for (String figure : figures(text, candidate)) {
            if (!fields.contains(figure)) {
                missing.add(figure);
            }
        }
        return missing;
    }

    /** The numbers of {@code text} once names, case ids, parameter clauses and labels are out. */
    public static List<String> figures(String text, JsonNode candidate) {
        String rest = text;
        for (JsonNode clause : candidate.path("param_differences")) {
            rest = rest.replace(clause.asText(), " ");
        }
        rest = rest.replace(candidate.path("name").asText(), " ").replace(candidate.path("baseline_name").asText(), " ")
                .replaceAll("`[^`]*`", " ").replace("95 % CI", " ").replaceAll("\\bp(50|95)\\b", " ");
        List<String> out = new ArrayList<>();
        Matcher m = FIGURE.matcher(rest);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static void collect(JsonNode node, Set<String> out) {
        if (node.isIntegralNumber()) {
            out.add(Long.toString(node.asLong()));
            out.add("+" + node.asLong()); // an upgrade's "+1 case"
        } else if (node.isNumber()) {
            double v = node.asDouble();
            out.add(pp(v));
            out.add(String.format(Locale.ROOT, "%.2f", v));
            out.add(String.format(Locale.ROOT, "%.0f", v).replace("-", MINUS));
            out.add(Long.toString(Math.round(v * 100)));
            long pct = Math.round(v * 100);
            out.add(pct > 0 ? "+" + pct : pct < 0 ? MINUS + -pct : "0");
            out.add(String.format(Locale.ROOT, "%.1f×", v));
            if (v >= 0) {
                out.add(usd(v));
            }
            out.add(v > 0 ? "+" + usd(v) : v < 0 ? MINUS + usd(-v) : usd(0));
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, out));
        }
    }

    /** One decimal, a true minus sign, never {@code −0.0}. */
    private static String pp(double v) {
        String s = String.format(Locale.ROOT, "%.1f", Math.abs(v));
        return v < 0 && !s.equals("0.0") ? MINUS + s : s;
    }

    private static String usd(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "$%,.0f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "$%.2f", v);
        }
        return v == 0 ? "$0" : "$" + new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
