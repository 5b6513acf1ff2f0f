package dev.sonde.analysis;

import dev.sonde.journal.CompareRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who won each case's compare assertions ({@code select-best}, {@code max-score}) over its groups,
 * read from {@code compare.jsonl}: what the reports show per case ({@code best: sonnet (won 2 of 3
 * groups)}) and what a baseline compares. Memory: per case and type, a count per model. Immutable.
 */
public final class CompareWinners {
    /**
     * One case's one compare type.
     *
     * @param wins groups won, by model label, in the order first seen
     * @param groups groups judged (undecided ones included)
     */
    public record Tally(String caseId, String type, Map<String, Integer> wins, int groups) {
        public Tally {
            wins = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(wins));
        }

        /** The model that won most groups (the first seen on a tie), or null when no group had a winner. */
        public String best() {
            String best = null;
            for (Map.Entry<String, Integer> e : wins.entrySet()) {
                if (best == null || e.getValue() > wins.get(best)) {
                    best = e.getKey();
                }
            }
            return best;
        }

        /** One line: {@code select-best: best sonnet (won 2 of 3 groups)}, or why there is none. */
        public String line() {
            String best = best();
            return type + ": " + (best == null ? "no winner (" + groups + (groups == 1 ? " group" : " groups")
                    + " undecided or below threshold)" : "best " + best + " (won " + wins.get(best) + " of " + groups
                    + (groups == 1 ? " group)" : " groups)"));
        }
    }

    private static final CompareWinners NONE = new CompareWinners(List.of());
    private final List<Tally> tallies;

    private CompareWinners(List<Tally> tallies) {
        this.tallies = List.copyOf(tallies);
    }

    /** No compare assertions. */
    public static CompareWinners none() {
        return NONE;
    }

    /** The tallies of {@code records}, by case and type in file order. */
    public static CompareWinners of(List<CompareRecord> records) {
        Map<String, Map<String, Integer>> wins = new LinkedHashMap<>();
        Map<String, Integer> groups = new LinkedHashMap<>();
        Map<String, String[]> keys = new LinkedHashMap<>();
        for (CompareRecord r : records) {
            String key = r.caseId() + "\u0000" + r.type();
            keys.putIfAbsent(key, new String[] {r.caseId(), r.type()});
            groups.merge(key, 1, Integer::sum);
            Map<String, Integer> w = wins.computeIfAbsent(key, k -> new LinkedHashMap<>());
            if (r.winner() != null) {
                w.merge(r.winner().model(), 1, Integer::sum);
            }
        }
        List<Tally> out = new ArrayList<>();
        keys.forEach((key, ct) -> out.add(new Tally(ct[0], ct[1], wins.get(key), groups.get(key))));
        return new CompareWinners(out);
    }

    /** Every case's tallies, by case and type in the order the compare pass judged them. */
    public List<Tally> tallies() {
        return tallies;
    }

    /** The tallies of {@code caseId}. */
    public List<Tally> of(String caseId) {
        return tallies.stream().filter(t -> t.caseId().equals(caseId)).toList();
    }

    public boolean isEmpty() {
        return tallies.isEmpty();
    }
}
