package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.CaseSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The factories of the assertions judged across a case's models ({@code select-best},
 * {@code max-score}: {@link CompareCheck}) and the rules on where they may stand: in a case's (or
 * {@code defaults:}) {@code assert:} list, never negated nor inside an {@code assert-set}, on a
 * case that runs on at least two models, at most one {@code select-best} per case, and not in a
 * benchmark ({@code load:}) or a cache-variant ({@code variants:}) suite, whose trials are not
 * answers to compare. Every breach is a {@link SuiteException} at the assertion. Stateless.
 */
public final class CompareChecks {
    private CompareChecks() {}

    static Check selectBest(Params p) throws SuiteException {
        p.only("value", "grader");
        if (!p.has("value") || !p.node("value").isTextual() || p.node("value").asText().isBlank()) {
            throw p.error("value", "'select-best' needs a 'value': the criterion the grader picks the best answer by "
                    + "(text)");
        }
        return new SelectBestCheck(p.node("value").asText(), GraderParam.resolve(p));
    }

    static Check maxScore(Params p) throws SuiteException {
        p.only("method", "weights", "threshold");
        boolean sum = false;
        JsonNode method = p.node("method");
        if (method != null) {
            if (!method.isTextual() || !method.asText().matches("average|sum")) {
                throw p.error("method", "'method' is average or sum");
            }
            sum = method.asText().equals("sum");
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        JsonNode w = p.node("weights");
        if (w != null) {
            if (!(w instanceof ObjectNode o)) {
                throw p.error("weights", "'weights' is a mapping of assertion type to a number ≥ 0");
            }
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                JsonNode v = e.getValue();
                if (!v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
                    throw p.error("weights", "'weights." + e.getKey() + "' must be a number ≥ 0");
                }
                if (!Checks.types().contains(e.getKey()) || CompareCheck.TYPES.contains(e.getKey())) {
                    String hint = Params.closest(e.getKey(), Checks.types());
                    throw p.error("weights", "'weights." + e.getKey() + "': '" + e.getKey() + "' is not an assertion "
                            + "type max-score can weigh" + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                            + ": keys are the types of the case's other assertions, e.g. contains, llm-rubric");
                }
                weights.put(e.getKey(), v.asDouble());
            }
        }
        Double threshold = p.optionalNumber("threshold", 0, Double.MAX_VALUE);
        return new MaxScoreCheck(sum, weights, threshold);
    }

    /** Refuses a compare type as a member of an {@code assert-set}. */
    static void refuseInSet(AssertSpec member) throws SuiteException {
        String base = member.type().startsWith("not-") ? member.type().substring(4) : member.type();
        if (CompareCheck.TYPES.contains(base)) {
            throw new SuiteException(member.location(), member.field() + ".type", "'" + base + "' judges a case's "
                    + "models together after the run, so it cannot be a member of an assert-set: list it in the case's "
                    + "assert:");
        }
    }

    /**
     * Refuses a compare assertion of {@code c} that cannot be judged: in a benchmark or cache-variant
     * suite, on a case running on fewer than two models, or a second {@code select-best}.
     */
    public static void refuse(Suite suite, CaseSpec c) throws SuiteException {
        int selectBest = 0;
        for (AssertSpec a : c.asserts()) {
            if (!CompareCheck.TYPES.contains(a.type())) {
                continue;
            }
            String where = a.field() + ".type";
            if (suite.load() != null || !suite.variants().isEmpty()) {
                throw new SuiteException(a.location(), where, "'" + a.type() + "' compares the models' answers to a "
                        + "case, which a " + (suite.load() != null ? "benchmark (load:)" : "cache-variant (variants:)")
                        + " suite does not judge: use it in an evaluation suite");
            }
            long models = suite.models().stream().filter(c::runsOn).count();
            if (models < 2) {
                throw new SuiteException(a.location(), where, "'" + a.type() + "' compares the case's models, and case '"
                        + c.id() + "' runs on " + models + (models == 1 ? " model" : " models")
                        + ": give it at least two (models: or the case's models:)");
            }
            if (a.type().equals("select-best") && ++selectBest > 1) {
                throw new SuiteException(a.location(), where, "case '" + c.id() + "' has a second 'select-best': one "
                        + "per case (merge the criteria into one value)");
            }
        }
    }
}
