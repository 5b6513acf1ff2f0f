package dev.sonde.check;

import dev.sonde.api.Exchange;
import dev.sonde.metrics.Fmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rouge-n}: ROUGE-N F1 of the output against one reference text, as promptfoo computes it
 * with its default options: n-grams of {@code n} tokens (1 unless the suite says), matched
 * case-sensitively with clipped counts (a gram counts at most as often as the reference has it);
 * P = matches / output grams, R = matches / reference grams, score = 2PR / (P + R), 0 when nothing
 * matches. Tokens: each run of letters, marks and digits is a word, and every other character that
 * is not a space is a token of its own (so "Paris." is "Paris" and "."). This agrees with
 * promptfoo's Penn-Treebank tokenizer on ordinary prose; it differs on contractions ("don't" is
 * three tokens here, two there). Passes when score ≥ threshold (default 0.75). An output with no
 * tokens is undecided (promptfoo throws), so {@code not-rouge-n} fails it too. Immutable.
 */
final class RougeCheck implements Check {
    static final double DEFAULT_THRESHOLD = 0.75;
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+|[^\\s\\p{L}\\p{M}\\p{N}]");
    private final List<String> reference;
    private final int n;
    private final double threshold;

    RougeCheck(String reference, int n, double threshold) {
        this.reference = tokens(reference);
        this.n = n;
        this.threshold = threshold;
    }

    /** Whether {@code text} has a token to score, for the registry's check of {@code value}. */
    static boolean hasTokens(String text) {
        return TOKEN.matcher(text).find();
    }

    @Override
    public String type() {
        return "rouge-n";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        List<String> output = tokens(exchange.text());
        if (output.isEmpty()) {
            return CheckResult.undecided(type(), "output has no words to score against the reference", null,
                    null);
        }
        Map<List<String>, Integer> ref = grams(reference, n);
        Map<List<String>, Integer> out = grams(output, n);
        int refTotal = Math.max(0, reference.size() - n + 1);
        int outTotal = Math.max(0, output.size() - n + 1);
        int matches = 0;
        for (Map.Entry<List<String>, Integer> e : out.entrySet()) {
            matches += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
        }
        double score = 0;
        if (matches > 0) {
            double precision = (double) matches / outTotal;
            double recall = (double) matches / refTotal;
            score = 2 * precision * recall / (precision + recall);
        }
        boolean pass = score >= threshold;
        return new CheckResult(type(), pass, "ROUGE-" + n + " F1 " + Fmt.fixed(score, 3) + (pass ? " ≥ " : " < ")
                + "threshold " + Fmt.fixed(threshold, 2) + " (" + matches + " of " + outTotal + " output and " + refTotal
                + " reference " + n + "-grams match)", score);
    }

    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /** Each n-gram of {@code tokens} and how often it occurs. */
    static Map<List<String>, Integer> grams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
