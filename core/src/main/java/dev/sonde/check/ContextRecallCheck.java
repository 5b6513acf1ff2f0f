package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Exchange;
import java.util.List;
import java.util.Locale;

/**
 * {@code context-recall}: does the context hold what the ground truth ({@code value}) says? A grader
 * splits the ground truth into sentences and marks each as attributable to the context or not
 * ({@code {"sentences": [{"sentence", "attributed": bool}]}}). Score = attributed / sentences; no
 * sentence at all is no verdict (as promptfoo's grader error). Passes when the score reaches
 * {@code threshold} (default 0). It judges the context, not the answer (the answer is not sent), as
 * promptfoo's does. One grader call. Immutable and thread-safe.
 */
final class ContextRecallCheck implements Check {
    static final ObjectNode SCHEMA = schema();

    private final String groundTruth;
    private final List<String> context;
    private final double threshold;
    private final Grader grader;

    ContextRecallCheck(String groundTruth, List<String> context, double threshold, Grader grader) {
        this.groundTruth = groundTruth;
        this.context = List.copyOf(context);
        this.threshold = threshold;
        this.grader = grader;
    }

    @Override
    public String type() {
        return "context-recall";
    }

    static String system(String nonce) {
        return "You are a strict, impartial fact checker. You split a reference text into its sentences and decide, "
                + "for each, whether what it says can be found in or inferred from the context alone. "
                + GraderCalls.dataRule(nonce, "context", "reference")
                + " Reply with only a JSON object: {\"sentences\": [{\"sentence\": \"a sentence of the reference\", "
                + "\"attributed\": true or false}, …]}, one entry per sentence of the reference, in order.";
    }

    static String prompt(String nonce, String context, String groundTruth) {
        return "Context recall: which sentences of the reference does the context support?\n\n"
                + GraderCalls.element("context", nonce, context) + "\n\n"
                + GraderCalls.element("reference", nonce, groundTruth.strip()) + "\n\n"
                + "Reply with the JSON object only.";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        return GraderCalls.grade(type(), grader, calls -> {
            String joined = ModelGradedChecks.joined(context);
            String nonce = GraderCalls.nonce(type(), joined, groundTruth);
            ObjectNode v = calls.ask(system(nonce), prompt(nonce, joined, groundTruth), SCHEMA);
            JsonNode sentences = v.get("sentences");
            if (sentences == null || !sentences.isArray() || sentences.isEmpty()) {
                throw calls.invalid("the grader's verdict has no non-empty list 'sentences'");
            }
            if (sentences.size() > GraderCalls.MAX_ITEMS) {
                throw calls.invalid("the grader's 'sentences' has " + sentences.size() + " items, more than "
                        + GraderCalls.MAX_ITEMS);
            }
            int attributed = 0;
            String firstMissing = null;
            for (JsonNode s : sentences) {
                if (!(s instanceof ObjectNode one)) {
                    throw calls.invalid("an entry of the grader's 'sentences' is not an object");
                }
                if (calls.bool(one, "attributed")) {
                    attributed++;
                } else if (firstMissing == null && one.path("sentence").isTextual()) {
                    firstMissing = one.get("sentence").asText();
                }
            }
            double score = (double) attributed / sentences.size();
            boolean pass = Scoring.reaches(score, threshold);
            return calls.decided(pass, String.format(Locale.ROOT, "score %.2f (%s threshold %.2f): %d of %d "
                    + "sentences of the ground truth found in the context%s", score, pass ? "≥" : "<", threshold,
                    attributed, sentences.size(), firstMissing == null ? "" : "; not found: " + Excerpt.of(firstMissing)),
                    score);
        });
    }

    private static ObjectNode schema() {
        ObjectNode item = GraderCalls.properties();
        item.putObject("sentence").put("type", "string");
        item.putObject("attributed").put("type", "boolean");
        ObjectNode props = GraderCalls.properties();
        props.putObject("sentences").put("type", "array").set("items", GraderCalls.objectSchema(item));
        return GraderCalls.objectSchema(props);
    }
}
