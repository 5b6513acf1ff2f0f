package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code assert-set}: a group of checks scored together by {@link Scoring} — each member's
 * {@code weight}, and the set's {@code threshold} (default: every member of positive weight must
 * pass). The set counts as one check in its case (with its own {@code weight}); its score is the
 * members' weighted passing share, and its reason names the failed members and the first one's
 * reason. A member of positive weight that could not be decided makes the set undecided (a fail,
 * whatever the threshold). Members that do not apply are left out of the score; a set none of whose
 * members applies does not apply either. Sets may nest. Immutable.
 */
final class AssertSetCheck implements Check {
    private static final int MAX_DETAIL = 160;

    private final List<Check> members;
    private final List<Double> weights;
    private final Double threshold;

    AssertSetCheck(List<Check> members, List<Double> weights, Double threshold) {
        this.members = List.copyOf(members);
        this.weights = List.copyOf(weights);
        this.threshold = threshold;
    }

    @Override
    public String type() {
        return "assert-set";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        List<CheckResult> results = new ArrayList<>(members.size());
        for (Check c : members) {
            results.add(Guarded.evaluate(c, exchange, costUsd));
        }
        Scoring.Score o = Scoring.score(results, weights, threshold);
        String detail = results.stream().filter(r -> !r.pass() && r.applicable())
                .filter(r -> !o.undecided() || r.undecided()).findFirst()
                .map(r -> " — " + r.type() + ": " + r.reason())
                .orElse("");
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL - 1) + "…";
        }
        GraderUsage graderUsage = null;
        Double graderCost = null;
        for (CheckResult r : results) {
            graderCost = GraderUsage.plusCost(graderUsage, graderCost, r.graderUsage(), r.graderCostUsd());
            graderUsage = GraderUsage.plus(graderUsage, r.graderUsage());
        }
        if (o.notApplicable()) {
            CheckResult first = results.getFirst();
            return CheckResult.notApplicable(type(), "no member applies (" + first.type() + ": "
                    + first.whyNotApplicable() + ")", graderUsage, graderCost);
        }
        return o.undecided() ? CheckResult.undecided(type(), o.reason() + detail, graderUsage, graderCost)
                : new CheckResult(type(), o.pass(), o.reason() + detail, o.score(), graderUsage, graderCost);
    }
}
