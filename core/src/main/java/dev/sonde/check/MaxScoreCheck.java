package dev.sonde.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code max-score}: no grader. Each candidate's value is computed from its trial's other
 * assertions that apply (compare assertions left out): a result's value is its score when it has
 * one, else 1 for a pass and 0 for a fail, weighted by {@code weights[type]} (default 1);
 * {@code average} is Σ(v·w)/Σw, {@code sum} is Σ(v·w). The first candidate with the strictly
 * highest value (suite model order) wins and passes with score 1, unless a {@code threshold} is
 * set and that value is below it; everyone else fails with score 0. Under {@code average} a
 * candidate whose weights sum to 0 scores 0, as promptfoo's does. A candidate with no other
 * applicable assertion leaves the whole group undecided. Immutable and thread-safe.
 */
final class MaxScoreCheck implements CompareCheck {
    private final boolean sum;
    private final Map<String, Double> weights;
    private final Double threshold;

    /**
     * @param sum {@code method: sum} (else average)
     * @param weights by assertion type, each ≥ 0
     * @param threshold the value the winner must reach, or null
     */
    MaxScoreCheck(boolean sum, Map<String, Double> weights, Double threshold) {
        this.sum = sum;
        this.weights = Map.copyOf(weights);
        this.threshold = threshold;
    }

    @Override
    public String type() {
        return "max-score";
    }

    @Override
    public String grader() {
        return null;
    }

    /** The candidate's value, or null when none of its other assertions applies. */
    Double value(Candidate c) {
        double total = 0;
        double weightSum = 0;
        int counted = 0;
        for (CheckResult r : c.checks()) {
            if (!r.applicable() || CompareCheck.TYPES.contains(r.type())) {
                continue;
            }
            double v = r.score() != null ? r.score() : r.pass() ? 1 : 0;
            double w = weights.getOrDefault(r.type(), 1.0);
            total += v * w;
            weightSum += w;
            counted++;
        }
        if (counted == 0) {
            return null;
        }
        return sum ? total : weightSum == 0 ? 0 : total / weightSum; // promptfoo: no weight, score 0
    }

    @Override
    public Judgement judge(List<Candidate> candidates) {
        int n = candidates.size();
        double[] values = new double[n];
        int best = 0;
        for (int i = 0; i < n; i++) {
            Double v = value(candidates.get(i));
            if (v == null) {
                return undecided(n, candidates.get(i).model() + " has no other assertion that applies "
                        + "to score");
            }
            values[i] = v;
            if (v > values[best]) {
                best = i;
            }
        }
        boolean reached = threshold == null || Scoring.reaches(values[best], threshold);
        String top = candidates.get(best).model();
        String scored = String.format(Locale.ROOT, "%s %.3f", sum ? "sum" : "average", values[best]);
        List<CheckResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String own = String.format(Locale.ROOT, "%.3f", values[i]);
            if (i == best && reached) {
                results.add(new CheckResult(type(), true, "highest score of " + n + ": " + scored
                        + (threshold == null ? "" : String.format(Locale.ROOT, " ≥ threshold %.3f", threshold)), 1.0));
            } else if (!reached) {
                results.add(new CheckResult(type(), false, "best score " + scored + " (" + top + ") is below threshold "
                        + String.format(Locale.ROOT, "%.3f", threshold) + "; this one scored " + own, 0.0));
            } else {
                results.add(new CheckResult(type(), false, "not the highest: " + top + " scored " + scored
                        + ", this one " + own, 0.0));
            }
        }
        return new Judgement(results, reached ? best : null, null, null, null);
    }
}
