package dev.sonde.baseline;

import dev.sonde.suite.Trial;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The case × model pairs a run set out to run when it runs only part of its suite ({@code --shard
 * k/n}): a shard is compared with the same pairs of the baseline, and the baseline's pairs that
 * belong to other shards are expected to be absent, not missing. A baseline pair in no shard of the
 * suite's plan (a case since removed) is still reported as missing. Keys are {@code case [model]}.
 * Immutable.
 *
 * @param mine the pairs with a trial in this run's share of the plan
 * @param plan the pairs of the whole plan
 */
public record PlannedPairs(Set<String> mine, Set<String> plan) {

    public PlannedPairs {
        mine = Set.copyOf(mine);
        plan = Set.copyOf(plan);
    }

    /** The pairs of {@code share}, a part of {@code plan} (both as {@link dev.sonde.suite.Plan} expands them). */
    public static PlannedPairs of(List<Trial> share, List<Trial> plan) {
        return new PlannedPairs(keys(share), keys(plan));
    }

    private static Set<String> keys(List<Trial> trials) {
        Set<String> keys = new HashSet<>();
        for (Trial t : trials) {
            keys.add(RunDigest.caseKey(t.caseId(), t.model().id()));
        }
        return keys;
    }

    /** Whether the baseline pair {@code key} belongs to another part of the plan than this run's. */
    boolean elsewhere(String key) {
        return !mine.contains(key) && plan.contains(key);
    }
}
