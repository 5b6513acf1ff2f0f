package dev.sonde.check;

import dev.sonde.api.Exchange;
import dev.sonde.metrics.Fmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bleu}: sentence BLEU of the output against one or more references, by promptfoo's
 * formula: tokens are the lower-cased, trimmed text split at whitespace (punctuation stays on its
 * word); for n = 1..4 the modified precision p_n is the largest clipped count over the references
 * divided by the output's n-gram count (0 when the output has no n-grams); the brevity penalty is 1
 * when the output is longer than the reference whose length is closest to it (the first such on a
 * tie), else the standard exp(1 − r/c) (c output words, r reference words), which is at most 1;
 * promptfoo computes exp(1 − c/r), which exceeds 1 for a short output and lets it outscore an exact
 * copy — a deliberate difference (README). score = BP · exp(Σ ¼ ln p_n), with a p_n of 0 taken as
 * 1e-7 — so an output under four words scores close to 0 however good. Passes when score ≥ threshold
 * (default 0.5). An empty output is undecided (promptfoo throws), so {@code not-bleu} fails it too.
 * Immutable.
 */
final class BleuCheck implements Check {
    static final double DEFAULT_THRESHOLD = 0.5;
    private static final double FLOOR = 1e-7;
    private final List<List<String>> references;
    private final double threshold;

    BleuCheck(List<String> references, double threshold) {
        this.references = references.stream().map(BleuCheck::tokens).toList();
        this.threshold = threshold;
    }

    @Override
    public String type() {
        return "bleu";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        if (exchange.text().isBlank()) {
            return CheckResult.undecided(type(), "output is empty, nothing to score against the reference", null,
                    null);
        }
        List<String> out = tokens(exchange.text());
        double logSum = 0;
        for (int n = 1; n <= 4; n++) {
            Map<List<String>, Integer> grams = RougeCheck.grams(out, n);
            int total = Math.max(0, out.size() - n + 1);
            int best = 0;
            for (List<String> ref : references) {
                Map<List<String>, Integer> refGrams = RougeCheck.grams(ref, n);
                int clipped = 0;
                for (Map.Entry<List<String>, Integer> e : grams.entrySet()) {
                    clipped += Math.min(e.getValue(), refGrams.getOrDefault(e.getKey(), 0));
                }
                best = Math.max(best, clipped);
            }
            double precision = total == 0 ? 0 : (double) best / total;
            logSum += 0.25 * Math.log(precision == 0 ? FLOOR : precision);
        }
        int c = out.size();
        int r = references.get(0).size();
        for (List<String> ref : references) {
            if (Math.abs(ref.size() - c) < Math.abs(r - c)) {
                r = ref.size();
            }
        }
        double brevity = c > r ? 1 : Math.exp(1 - (double) r / c);
        double score = brevity * Math.exp(logSum);
        boolean pass = score >= threshold;
        return new CheckResult(type(), pass, "BLEU " + Fmt.fixed(score, 3) + (pass ? " ≥ " : " < ") + "threshold "
                + Fmt.fixed(threshold, 2) + " (" + c + " output words, closest reference " + r + ")", score);
    }

    static List<String> tokens(String text) {
        String t = text.toLowerCase(Locale.ROOT).strip();
        return t.isEmpty() ? List.of() : new ArrayList<>(List.of(t.split("\\s+")));
    }
}
