package dev.sonde.check;

import dev.sonde.api.Exchange;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.util.ArrayList;
import java.util.List;

/**
 * A case's checks with their weights and the case's threshold: what the runner evaluates for each
 * successful exchange. Built once per case before anything is sent (so a bad parameter costs
 * nothing); {@link #evaluate} is then a pure function of the exchange, safe to call from many
 * threads. Scoring rules are {@link Scoring}'s.
 */
public final class CheckSet {
    private final List<Check> checks;
    private final List<Double> weights;
    private final Double threshold;

    /**
     * All results, in assertion order, and the case's verdict on them.
     *
     * @param pass whether the checks that apply passed (false when none applies)
     * @param score the passing share of the applicable checks' total weight, in [0, 1]
     * @param reason one line, e.g. {@code 2 of 3 checks passed (score 0.67 ≥ threshold 0.50); failed: regex}
     * @param evaluated false when the case has checks and none of them applies to this exchange (an
     *     answer never timed, checked only by latency bounds): no verdict, so not a pass
     */
    public record Evaluation(List<CheckResult> results, boolean pass, double score, String reason, boolean evaluated) {
        public Evaluation {
            results = List.copyOf(results);
        }

        /** What grader models used over all results, or null when none was asked. */
        public GraderUsage graderUsage() {
            GraderUsage sum = null;
            for (CheckResult r : results) {
                sum = GraderUsage.plus(sum, r.graderUsage());
            }
            return sum;
        }

        /**
         * What the priced grader calls cost (budgeted by the run), or null when none was made or none
         * was priced; {@link GraderUsage#unpricedCalls()} counts the calls left out.
         */
        public Double graderCostUsd() {
            GraderUsage sum = null;
            Double cost = null;
            for (CheckResult r : results) {
                cost = GraderUsage.plusCost(sum, cost, r.graderUsage(), r.graderCostUsd());
                sum = GraderUsage.plus(sum, r.graderUsage());
            }
            return cost;
        }
    }

    private CheckSet(List<Check> checks, List<Double> weights, Double threshold) {
        this.checks = List.copyOf(checks);
        this.weights = List.copyOf(weights);
        this.threshold = threshold;
    }

    /**
     * @param threshold the case's {@code threshold} in [0, 1] (validated by the suite loader), or
     *     null for "every check of positive weight must pass"
     * @throws SuiteException for an unknown type, a bad parameter or a bad {@code weight}
     * @throws IllegalArgumentException when {@code threshold} is outside [0, 1]
     */
    public static CheckSet create(List<AssertSpec> specs, Double threshold) throws SuiteException {
        return create(specs, threshold, Graders.NONE);
    }

    /**
     * As {@link #create(List, Double)}, with graded checks ({@code llm-rubric}) getting their
     * grader from {@code graders}.
     *
     * @throws SuiteException also for a grader that cannot be resolved (e.g. an unknown model)
     */
    public static CheckSet create(List<AssertSpec> specs, Double threshold, Graders graders) throws SuiteException {
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        List<Check> checks = new ArrayList<>(specs.size());
        List<Double> weights = new ArrayList<>(specs.size());
        for (AssertSpec s : specs) {
            checks.add(Checks.create(s, graders));
            weights.add(Checks.weight(s));
        }
        return new CheckSet(checks, weights, threshold);
    }

    /** A set of already built checks (for tests and wrappers in this package). */
    static CheckSet of(List<Check> checks, List<Double> weights, Double threshold) {
        return new CheckSet(checks, weights, threshold);
    }

    public List<Check> checks() {
        return checks;
    }

    public List<Double> weights() {
        return weights;
    }

    /** A compare assertion of the case ({@code select-best}, {@code max-score}) and its index in the case's list. */
    public record Compare(int index, CompareCheck check) {}

    /** The case's compare assertions, in order; empty for most cases. */
    public List<Compare> compares() {
        List<Compare> out = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            if (checks.get(i) instanceof CompareCheck c) {
                out.add(new Compare(i, c));
            }
        }
        return out;
    }

    /**
     * The case's verdict on {@code results} (one per check, in order), as {@link #evaluate} reaches
     * it: what a trial's verdict becomes once its compare assertions are judged.
     */
    public Scoring.Score score(List<CheckResult> results) {
        return Scoring.score(results, weights, threshold);
    }

    /** The case's threshold, or null for "all must pass". */
    public Double threshold() {
        return threshold;
    }

    /**
     * Every check's result and the case's verdict. Never throws for a check's own failure: a check
     * that throws a {@link RuntimeException} gets an undecided fail naming its class and the
     * exception ({@link Guarded}), so the trial is still scored and journaled.
     */
    public Evaluation evaluate(Exchange exchange, Double costUsd) {
        List<CheckResult> results = new ArrayList<>(checks.size());
        for (Check c : checks) {
            results.add(Guarded.evaluate(c, exchange, costUsd));
        }
        Scoring.Score o = Scoring.score(results, weights, threshold);
        return new Evaluation(results, o.pass(), o.score(), o.reason(), !o.notApplicable());
    }
}
