package dev.sonde.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Exchange;
import java.util.List;
import java.util.Locale;

/**
 * {@code factuality}: a grader compares the facts of the answer with a reference answer to the same
 * question and picks one category — A the answer is a consistent subset of the reference, B a
 * consistent superset, C it agrees in every detail, D it disagrees, E it differs only in ways that
 * do not matter to the facts. The check's score is the category's score ({@code scores:}, defaults
 * 1, 1, 1, 0, 1, as promptfoo's) and it passes when that score is above 0. One grader call, its
 * verdict {@code {"category": "A".."E", "reason"}}. Immutable and thread-safe.
 */
final class FactualityCheck implements Check {
    /** The categories in order A..E, with their {@code scores:} keys and what each means in a reason. */
    static final List<String> KEYS = List.of("subset", "superset", "agree", "disagree", "differ_but_factual");
    private static final List<String> MEANING = List.of("a consistent subset of the reference",
            "a consistent superset of the reference", "agrees with the reference", "disagrees with the reference",
            "differs from the reference only in ways that do not matter to the facts");
    static final ObjectNode SCHEMA = schema();

    private final String question;
    private final String reference;
    private final double[] scores;
    private final Grader grader;

    /** @param scores one per category A..E, each in [0, 1] */
    FactualityCheck(String question, String reference, double[] scores, Grader grader) {
        this.question = question;
        this.reference = reference;
        this.scores = scores.clone();
        this.grader = grader;
    }

    @Override
    public String type() {
        return "factuality";
    }

    static String system(String nonce) {
        return "You are a careful, impartial grader of facts. You compare a submitted answer with an expert's "
                + "reference answer to the same question. " + GraderCalls.dataRule(nonce, "question", "reference",
                        "answer")
                + " Ignore style, wording, length, grammar and punctuation; compare only what each states as fact. "
                + "Choose the one category that fits best: A, the submitted answer states a part of the reference's "
                + "facts and nothing that conflicts with it; B, it states all of the reference's facts and more, "
                + "without conflict; C, it states the same facts as the reference; D, some fact it states conflicts "
                + "with the reference; E, the two differ, but not in any way that changes the facts. "
                + "Reply with only a JSON object: {\"category\": \"A\", \"B\", \"C\", \"D\" or \"E\", \"reason\": "
                + "\"one short sentence\"}.";
    }

    static String prompt(String nonce, String question, String reference, String answer) {
        return "Factuality: compare the submitted answer with the reference.\n\n"
                + GraderCalls.element("question", nonce, question.strip()) + "\n\n"
                + GraderCalls.element("reference", nonce, reference.strip()) + "\n\n"
                + GraderCalls.element("answer", nonce, answer) + "\n\n"
                + "Which category fits? Reply with the JSON verdict only.";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        return GraderCalls.grade(type(), grader, calls -> {
            String answer = exchange.text();
            String nonce = GraderCalls.nonce(type(), question, reference, answer);
            ObjectNode v = calls.ask(system(nonce), prompt(nonce, question, reference, answer), SCHEMA);
            String letter = v.path("category").isTextual() ? v.get("category").asText().strip().toUpperCase(Locale.ROOT)
                    : "";
            if (!letter.matches("[A-E]")) {
                throw calls.invalid("the grader's 'category' is " + (v.has("category") ? Excerpt.json(v.get("category"))
                        : "missing") + ", not one of A, B, C, D, E");
            }
            int i = letter.charAt(0) - 'A';
            boolean pass = scores[i] > 0;
            String why = GraderCalls.reason(v);
            return calls.decided(pass, String.format(Locale.ROOT, "category %s (%s), score %.2f (%s)%s", letter,
                    MEANING.get(i), scores[i], pass ? "pass" : "fail", why.isEmpty() ? "" : ": " + why), scores[i]);
        });
    }

    private static ObjectNode schema() {
        ObjectNode props = GraderCalls.properties();
        ArrayNode letters = props.putObject("category").put("type", "string").putArray("enum");
        List.of("A", "B", "C", "D", "E").forEach(letters::add);
        props.putObject("reason").put("type", "string");
        return GraderCalls.objectSchema(props);
    }
}
