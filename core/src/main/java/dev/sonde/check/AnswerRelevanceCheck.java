package dev.sonde.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Exchange;
import java.util.List;
import java.util.Locale;

/**
 * {@code answer-relevance}: does the answer answer the question asked? A grader writes the
 * {@value #QUESTIONS} questions the answer would best reply to ({@code {"questions": […]}}, one call
 * where promptfoo makes three calls of one question each); the question asked and each of them are
 * embedded ({@link Embedder}), and the score is the mean cosine of the question asked with each,
 * floored at 0. Passes when it reaches {@code threshold} (default 0.7, as promptfoo's). The question
 * asked is embedded once, when the check is built. A grader answer with other than
 * {@value #QUESTIONS} questions is no verdict; an embedder that throws leaves the check undecided
 * with the grader's spend kept. Immutable and thread-safe (as the embedder is).
 */
final class AnswerRelevanceCheck implements Check {
    static final double DEFAULT_THRESHOLD = 0.7;
    static final int QUESTIONS = 3;
    static final ObjectNode SCHEMA = GraderCalls.objectSchema(GraderCalls.stringList(GraderCalls.properties(),
            "questions"));

    private final String question;
    private final float[] questionVector;
    private final Embedder embedder;
    private final double threshold;
    private final Grader grader;

    AnswerRelevanceCheck(String question, Embedder embedder, double threshold, Grader grader) {
        this.question = question;
        this.embedder = embedder;
        this.questionVector = embedder.embed(question);
        this.threshold = threshold;
        this.grader = grader;
    }

    @Override
    public String type() {
        return "answer-relevance";
    }

    static String system(String nonce) {
        return "You read an answer and work out what it answers. " + GraderCalls.dataRule(nonce, "answer")
                + " Write " + QUESTIONS + " different questions, each one a question this answer would be a complete "
                + "and direct reply to, judged from the answer alone. Reply with only a JSON object: "
                + "{\"questions\": [\"…\", \"…\", \"…\"]}.";
    }

    static String prompt(String nonce, String answer) {
        return "Answer relevance: which questions does this answer reply to?\n\n"
                + GraderCalls.element("answer", nonce, answer) + "\n\n"
                + "Reply with the JSON object of " + QUESTIONS + " questions only.";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        return GraderCalls.grade(type(), grader, calls -> {
            String answer = exchange.text();
            String nonce = GraderCalls.nonce(type(), answer);
            List<String> generated = calls.strings(calls.ask(system(nonce), prompt(nonce, answer), SCHEMA),
                    "questions");
            if (generated.size() != QUESTIONS) {
                throw calls.invalid("the grader wrote " + generated.size() + " questions, not " + QUESTIONS);
            }
            double sum = 0;
            for (String q : generated) {
                try {
                    sum += SimilarCheck.cosine(questionVector, embedder.embed(q));
                } catch (RuntimeException e) {
                    return calls.undecidedAfterGrading("embedder " + embedder.model()
                            + " failed on a generated question: " + Guarded.describe(e));
                }
            }
            double score = Math.max(0, Math.min(1, sum / QUESTIONS));
            boolean pass = Scoring.reaches(score, threshold);
            return calls.decided(pass, String.format(Locale.ROOT, "mean cosine %.3f (%s threshold %.2f) of the question "
                    + "with the %d the answer replies to (%s), e.g. %s", score, pass ? "≥" : "<", threshold, QUESTIONS,
                    embedder.model(), Excerpt.of(generated.get(0))), score);
        });
    }
}
