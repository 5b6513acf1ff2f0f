package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code similar}: the cosine similarity of the answer's embedding and each {@code value}'s; the
 * check passes when the best reaches {@code threshold}. Its score is that best cosine (floored at
 * 0, since a score is in [0, 1]). The values are embedded once, when the check is built; the
 * answer on each evaluation. An embedder that throws on the answer makes the result undecided (a
 * fail naming the embedder and the exception). Immutable and thread-safe (as the {@link Embedder} is).
 */
final class SimilarCheck implements Check {
    static final double DEFAULT_THRESHOLD = 0.8;

    private final Embedder embedder;
    private final List<String> values;
    private final List<float[]> vectors;
    private final double threshold;

    SimilarCheck(Embedder embedder, List<String> values, double threshold) {
        this.embedder = embedder;
        this.values = List.copyOf(values);
        this.threshold = threshold;
        List<float[]> v = new ArrayList<>(values.size());
        values.forEach(s -> v.add(embedder.embed(s)));
        this.vectors = List.copyOf(v);
    }

    @Override
    public String type() {
        return "similar";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        float[] answer;
        try {
            answer = embedder.embed(exchange.text());
            if (answer == null || answer.length != vectors.get(0).length) {
                throw new IllegalStateException("embedding of " + (answer == null ? "no" : answer.length + "")
                        + " dimensions, the values' have " + vectors.get(0).length);
            }
        } catch (RuntimeException e) {
            return CheckResult.undecided(type(), "embedder " + embedder.model() + " failed on the answer: "
                    + Guarded.describe(e), null, null);
        }
        double best = -1;
        int at = 0;
        for (int i = 0; i < vectors.size(); i++) {
            double c = cosine(answer, vectors.get(i));
            if (c > best) {
                best = c;
                at = i;
            }
        }
        boolean pass = Scoring.reaches(best, threshold);
        String reason = String.format(Locale.ROOT, "cosine %.3f %s threshold %.2f to %s (%s)", best, pass ? "≥" : "<",
                threshold, Excerpt.of(values.get(at)), embedder.model())
                + (pass ? "" : ": the output was " + Excerpt.of(exchange.text()));
        return new CheckResult(type(), pass, reason, Math.max(0, Math.min(1, best)));
    }

    /** The cosine of two vectors of one length; 0 when either is all zeros. */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different lengths: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
