package dev.sonde.check;

import dev.sonde.api.Exchange;

/**
 * {@code levenshtein}: the response's text (stripped) is within {@code max_distance} edits
 * (insertions, deletions, substitutions of UTF-16 chars) of {@code value} (stripped). The distance
 * is computed in a diagonal band of width {@code max_distance}, so a long output costs
 * O(length × max_distance), not O(length²). Immutable.
 */
final class LevenshteinCheck implements Check {
    private final String value;
    private final int maxDistance;

    LevenshteinCheck(String value, int maxDistance) {
        this.value = value.strip();
        this.maxDistance = maxDistance;
    }

    @Override
    public String type() {
        return "levenshtein";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text().strip();
        int d = distance(text, value, maxDistance);
        return d <= maxDistance
                ? CheckResult.pass(type(), "edit distance " + d + " ≤ " + maxDistance + " from " + Excerpt.of(value))
                : CheckResult.fail(type(), "edit distance more than " + maxDistance + " from " + Excerpt.of(value)
                        + ": the output was " + Excerpt.of(text));
    }

    /**
     * The Levenshtein distance of {@code a} and {@code b} when it is at most {@code limit}, else
     * {@code limit + 1}.
     */
    static int distance(String a, String b, int limit) {
        int n = a.length();
        int m = b.length();
        if (Math.abs(n - m) > limit) {
            return limit + 1;
        }
        int big = limit + 1;
        int[] prev = new int[m + 1];
        int[] cur = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            prev[j] = Math.min(j, big);
        }
        for (int i = 1; i <= n; i++) {
            int from = Math.max(1, i - limit);
            int to = Math.min(m, i + limit);
            cur[0] = Math.min(i, big);
            if (from > 1) {
                cur[from - 1] = big;
            }
            int rowMin = cur[0];
            char ca = a.charAt(i - 1);
            for (int j = from; j <= to; j++) {
                int sub = prev[j - 1] + (ca == b.charAt(j - 1) ? 0 : 1);
                int del = j <= i - 1 + limit ? prev[j] + 1 : big;
                int ins = cur[j - 1] + 1;
                cur[j] = Math.min(big, Math.min(sub, Math.min(del, ins)));
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (to < m) {
                cur[to + 1] = big;
            }
            if (rowMin > limit) {
                return big;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[m], big);
    }
}
