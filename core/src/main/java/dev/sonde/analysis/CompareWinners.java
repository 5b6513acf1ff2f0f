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

        /**
         * The one model that won most groups, or null when no group had a winner or several models
         * tie for most (a tie names no best: see {@link #leaders}), so the journal's order never picks one.
         */
        public String best() {
            List<String> leaders = leaders();
            return leaders.size() == 1 ? leaders.get(0) : null;
        }

        /** The models that won most groups (several on a tie), in the order first seen; empty when none won. */
        public List<String> leaders() {
            int most = wins.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            return most == 0 ? List.of() : wins.entrySet().stream().filter(e -> e.getValue() == most)
                    .map(Map.Entry::getKey).toList();
        }

        /**
         * One line: {@code select-best: best sonnet (won 2 of 3 groups)}, {@code select-best: tie haiku,
         * sonnet (won 1 of 2 groups each)}, or why there is none.
         */
        public String line() {
            List<String> leaders = leaders();
            String of = " of " + groups + (groups == 1 ? " group" : " groups");
            if (leaders.isEmpty()) {
                return type + ": no winner (" + groups + (groups == 1 ? " group" : " groups")
                        + " undecided or below threshold)";
            }
            if (leaders.size() > 1) {
                return type + ": tie " + String.join(", ", leaders) + " (won " + wins.get(leaders.get(0)) + of
                        + " each)";
            }
            return type + ": best " + leaders.get(0) + " (won " + wins.get(leaders.get(0)) + of + ")";
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
