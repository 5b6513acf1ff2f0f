package dev.sonde.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Weighted scoring of a group of check results, used for a case's assertions and for an
 * {@code assert-set}. Each result counts with its weight (≥ 0, default 1) as passing (1) or
 * failing (0); the score is the passing share of the total weight. Without a threshold every
 * check of positive weight must pass; with a threshold (0..1) the group passes when the score is
 * at least the threshold. A weight of 0 makes a check informational: reported, never failing the
 * group. A group with no weight at all scores 1 and passes. A check of positive weight that could not
 * be decided ({@link CheckResult#undecided()}: its grader or its code failed) fails the group
 * whatever the threshold, and the reason names it: a broken grader never counts as a verdict.
 * A check that does not apply ({@link CheckResult#applicable()} false: a latency bound on an answer
 * that was never timed) is left out altogether — neither its weight nor a pass or a fail — and
 * named in the reason; the group is decided by the checks that apply. A group with results of
 * which none applies is itself not applicable ({@link Score#notApplicable()}): it does not pass,
 * and it did not fail.
 * Stateless.
 */
public final class Scoring {
    /** Tolerance so that e.g. 2 of 3 passes a threshold written as 0.6666666666666666. */
    private static final double EPSILON = 1e-9;

    /** Whether {@code score} reaches {@code threshold}, forgiving floating-point noise (a share computed as 0.6999… reaches 0.7). */
    static boolean reaches(double score, double threshold) {
        return score >= threshold - EPSILON;
    }
    private static final int MAX_NAMED = 5;

    /**
     * @param pass whether the group passed
     * @param score the passing share of the applicable checks' total weight, in [0, 1]
     * @param reason one line: how many passed, score against threshold, which failed, which did not apply
     * @param undecided whether a check of positive weight could not be decided (then {@code pass} is false)
     * @param notApplicable whether the group had results and none of them applied (then {@code pass}
     *     is false, and the group is no verdict at all)
     */
    public record Score(boolean pass, double score, String reason, boolean undecided, boolean notApplicable) {}

    private Scoring() {}

    /**
     * @param weights one per result, each finite and ≥ 0; null means all 1
     * @param threshold in [0, 1], or null for "every check of positive weight passes"
     * @throws IllegalArgumentException when the sizes differ or a weight or the threshold is out of range
     */
    public static Score score(List<CheckResult> results, List<Double> weights, Double threshold) {
        if (weights != null && weights.size() != results.size()) {
            throw new IllegalArgumentException(results.size() + " results but " + weights.size() + " weights");
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        double total = 0;
        double passed = 0;
        int passCount = 0;
        boolean allWeightedPass = true;
        List<String> failed = new ArrayList<>();
        List<String> informational = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        List<String> notApplicable = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            CheckResult r = results.get(i);
            double w = weights == null || weights.get(i) == null ? 1 : weights.get(i);
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weight must be a finite number ≥ 0, got " + w);
            }
            if (!r.applicable()) {
                notApplicable.add(r.type());
                continue;
            }
            total += w;
            if (r.pass()) {
                passed += w;
                passCount++;
            } else if (w > 0) {
                allWeightedPass = false;
                failed.add(r.type());
                if (r.undecided()) {
                    undecided.add(r.type());
                }
            } else {
                informational.add(r.type());
            }
        }
        int applicable = results.size() - notApplicable.size();
        boolean none = !results.isEmpty() && applicable == 0;
        double score = total == 0 ? 1 : passed / total;
        if (none) {
            return new Score(false, score, "no check applies (not applicable: " + names(notApplicable) + ")", false, true);
        }
        boolean pass = undecided.isEmpty() && (threshold == null ? allWeightedPass : reaches(score, threshold));
        StringBuilder reason = new StringBuilder();
        reason.append(passCount).append(" of ").append(applicable).append(applicable == 1 ? " check" : " checks")
                .append(" passed");
        if (threshold != null) {
            reason.append(String.format(Locale.ROOT, " (score %.2f %s threshold %.2f)", score,
                    reaches(score, threshold) ? "≥" : "<", threshold));
        } else if (passed != total || !informational.isEmpty()) {
            reason.append(String.format(Locale.ROOT, " (score %.2f)", score));
        }
        if (!failed.isEmpty()) {
            reason.append("; failed: ").append(names(failed));
        }
        if (!informational.isEmpty()) {
            reason.append("; failed with weight 0: ").append(names(informational));
        }
        if (!undecided.isEmpty()) {
            reason.append("; could not be decided (so the group fails): ").append(names(undecided));
        }
        if (!notApplicable.isEmpty()) {
            reason.append("; not applicable: ").append(names(notApplicable));
        }
        return new Score(pass, score, reason.toString(), !undecided.isEmpty(), false);
    }

    private static String names(List<String> types) {
        return types.size() <= MAX_NAMED ? String.join(", ", types)
                : String.join(", ", types.subList(0, MAX_NAMED)) + " and " + (types.size() - MAX_NAMED) + " more";
    }
}
