package dev.sonde.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Exchange;

/**
 * {@code model-graded-closedqa}: a grader decides whether the answer to the question meets one
 * criterion, yes or no. Score 1 or 0; passes on yes. One grader call, its verdict
 * {@code {"meets": bool, "reason"}} (promptfoo reads a Y or N at the end of free text instead).
 * Immutable and thread-safe.
 */
final class ClosedQaCheck implements Check {
    static final ObjectNode SCHEMA = schema();

    private final String question;
    private final String criterion;
    private final Grader grader;

    ClosedQaCheck(String question, String criterion, Grader grader) {
        this.question = question;
        this.criterion = criterion;
        this.grader = grader;
    }

    @Override
    public String type() {
        return "model-graded-closedqa";
    }

    static String system(String nonce) {
        return "You are a strict, impartial grader. You decide whether an answer to a question meets one criterion. "
                + GraderCalls.dataRule(nonce, "question", "criterion", "answer")
                + " Think about what the criterion requires, then decide: it is met only if the answer satisfies it "
                + "as written. Reply with only a JSON object: {\"meets\": true or false, \"reason\": \"one short "
                + "sentence\"}.";
    }

    static String prompt(String nonce, String question, String criterion, String answer) {
        return "Closed QA: does the answer meet the criterion?\n\n"
                + GraderCalls.element("question", nonce, question.strip()) + "\n\n"
                + GraderCalls.element("criterion", nonce, criterion.strip()) + "\n\n"
                + GraderCalls.element("answer", nonce, answer) + "\n\n"
                + "Is the criterion met? Reply with the JSON verdict only.";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        return GraderCalls.grade(type(), grader, calls -> {
            String answer = exchange.text();
            String nonce = GraderCalls.nonce(type(), question, criterion, answer);
            ObjectNode v = calls.ask(system(nonce), prompt(nonce, question, criterion, answer), SCHEMA);
            boolean meets = calls.bool(v, "meets");
            String why = GraderCalls.reason(v);
            return calls.decided(meets, (meets ? "meets the criterion" : "does not meet the criterion")
                    + (why.isEmpty() ? "" : ": " + why), meets ? 1.0 : 0.0);
        });
    }

    private static ObjectNode schema() {
        ObjectNode props = GraderCalls.properties();
        props.putObject("meets").put("type", "boolean");
        props.putObject("reason").put("type", "string");
        return GraderCalls.objectSchema(props);
    }
}
