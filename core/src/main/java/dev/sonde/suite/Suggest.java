package dev.sonde.suite;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * "Did you mean …?" for a mistyped name (a key, an assertion type, a model id): the closest
 * candidate within a small edit distance. Case and the separators {@code _ - .} are not told
 * apart, so {@code is_json} finds {@code is-json}, {@code max-tokens} finds {@code max_tokens} and
 * {@code claude-haiku-4.5} finds {@code claude-haiku-4-5} at any length; a unit written after a name
 * ({@code ttft_ms}, {@code cost_usd}) finds the name ({@code ttft}, {@code cost}). Stateless.
 */
public final class Suggest {
    private static final Pattern SEPARATOR = Pattern.compile("[_.\\-]");
    private static final Pattern UNIT_SUFFIX = Pattern.compile("-(ms|s|usd)$");

    private Suggest() {}

    /** The candidate closest to {@code typo}, or empty when none is close enough to be meant. */
    public static Optional<String> closest(String typo, Collection<String> candidates) {
        String wanted = normal(typo);
        String unitless = UNIT_SUFFIX.matcher(wanted).replaceFirst("");
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = normal(c).equals(unitless) ? 0 : distance(wanted, normal(c));
            // the same name spelled differently beats a unit written after a name, which beats a typo
            if (d < bestDistance || d == 0 && normal(c).equals(wanted)) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, typo.length() / 3));
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    private static String normal(String name) {
        return SEPARATOR.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("-");
    }

    /** Damerau–Levenshtein (optimal string alignment) distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
