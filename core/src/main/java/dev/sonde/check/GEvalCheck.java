package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code g-eval}: for each criterion, a grader first writes the evaluation steps that judge it
 * ({@code {"steps": […]}}), then scores the answer by those steps from 0 to 10
 * ({@code {"score": 0..10, "reason"}}); the criterion's score is raw/10 and the check's score the
 * mean over the criteria. Passes when that reaches {@code threshold} (default 0.7, as promptfoo's).
 * Two grader calls per criterion, made in order; the first that fails, is filler or answers no
 * verdict (a score outside 0..10 included) leaves the check undecided with what was spent so far.
 * Immutable and thread-safe.
 */
final class GEvalCheck implements Check {
    static final double DEFAULT_THRESHOLD = 0.7;
    static final double MAX_RAW = 10;
    /** The most evaluation steps taken from the grader: more is no verdict. */
    static final int MAX_STEPS = 20;
    static final ObjectNode STEPS_SCHEMA = GraderCalls.objectSchema(GraderCalls.stringList(GraderCalls.properties(),
            "steps"));
    static final ObjectNode SCORE_SCHEMA = scoreSchema();

    private final String question;
    private final List<String> criteria;
    private final double threshold;
    private final Grader grader;

    GEvalCheck(String question, List<String> criteria, double threshold, Grader grader) {
        this.question = question;
        this.criteria = List.copyOf(criteria);
        this.threshold = threshold;
        this.grader = grader;
    }

    @Override
    public String type() {
        return "g-eval";
    }

    static String stepsSystem(String nonce) {
        return "You design evaluations. Given one criterion for judging answers, write the 3 or 4 concrete steps a "
                + "grader should follow to decide how well an answer meets it, each one short sentence. "
                + GraderCalls.dataRule(nonce, "criterion")
                + " Reply with only a JSON object: {\"steps\": [\"first step\", \"second step\", …]}.";
    }

    static String stepsPrompt(String nonce, String criterion) {
        return "G-Eval steps: write the evaluation steps for this criterion.\n\n"
                + GraderCalls.element("criterion", nonce, criterion.strip()) + "\n\n"
                + "Reply with the JSON object only.";
    }

    static String scoreSystem(String nonce) {
        return "You are a strict, impartial grader. You score an answer to a question against one criterion by "
                + "following the evaluation steps given, from 0 (does not meet the criterion at all) to 10 (meets it "
                + "fully). " + GraderCalls.dataRule(nonce, "question", "criterion", "steps", "answer")
                + " Reply with only a JSON object: {\"score\": a whole number from 0 to 10, \"reason\": \"one short "
                + "sentence\"}.";
    }

    static String scorePrompt(String nonce, String question, String criterion, List<String> steps, String answer) {
        return "G-Eval score: score the answer against the criterion by the steps.\n\n"
                + GraderCalls.element("question", nonce, question.strip()) + "\n\n"
                + GraderCalls.element("criterion", nonce, criterion.strip()) + "\n\n"
                + GraderCalls.element("steps", nonce, GraderCalls.numbered(steps)) + "\n\n"
                + GraderCalls.element("answer", nonce, answer) + "\n\n"
                + "What score does the answer earn? Reply with the JSON verdict only.";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        return GraderCalls.grade(type(), grader, calls -> {
            String answer = exchange.text();
            double sum = 0;
            List<String> parts = new ArrayList<>(criteria.size());
            for (String criterion : criteria) {
                String stepsNonce = GraderCalls.nonce(type(), criterion);
                List<String> steps = calls.strings(calls.ask(stepsSystem(stepsNonce), stepsPrompt(stepsNonce, criterion),
                        STEPS_SCHEMA), "steps");
                if (steps.isEmpty() || steps.size() > MAX_STEPS) {
                    throw calls.invalid("the grader wrote " + steps.size() + " evaluation steps (1 to " + MAX_STEPS
                            + " are usable)");
                }
                String nonce = GraderCalls.nonce(type(), question, criterion, answer);
                ObjectNode v = calls.ask(scoreSystem(nonce), scorePrompt(nonce, question, criterion, steps, answer),
                        SCORE_SCHEMA);
                JsonNode raw = v.get("score");
                if (raw == null || !raw.isNumber() || !(raw.asDouble() >= 0 && raw.asDouble() <= MAX_RAW)) {
                    throw calls.invalid("the grader's score " + (raw == null ? "is missing" : Excerpt.json(raw)
                            + " is not a number from 0 to 10"));
                }
                sum += raw.asDouble() / MAX_RAW;
                String why = GraderCalls.reason(v);
                parts.add((criteria.size() > 1 ? Excerpt.of(criterion) + " " : "")
                        + String.format(Locale.ROOT, "%s/10", Params.fmt(raw.asDouble())) + (why.isEmpty() ? "" : " (" + why + ")"));
            }
            double score = sum / criteria.size();
            boolean pass = Scoring.reaches(score, threshold);
            return calls.decided(pass, String.format(Locale.ROOT, "score %.2f (%s threshold %.2f): %s", score,
                    pass ? "≥" : "<", threshold, String.join("; ", parts)), score);
        });
    }

    private static ObjectNode scoreSchema() {
        ObjectNode props = GraderCalls.properties();
        props.putObject("score").put("type", "number").put("description", "from 0 to 10");
        props.putObject("reason").put("type", "string");
        return GraderCalls.objectSchema(props);
    }
}
