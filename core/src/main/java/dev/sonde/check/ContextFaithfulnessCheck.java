package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Exchange;
import java.util.List;
import java.util.Locale;

/**
 * {@code context-faithfulness}: is every claim of the answer backed by the context? A grader first
 * breaks the answer into standalone statements ({@code {"statements": […]}}), then judges each
 * against the context ({@code {"verdicts": [{"statement", "supported": bool}]}}, in the same order).
 * Score = supported statements / statements; a statement the second call left without a verdict
 * counts as unsupported (as in promptfoo), more verdicts than statements is no verdict. An answer
 * with no statement at all (an empty answer, "I don't know") claims nothing the context could
 * contradict: score 1. Passes when the score reaches {@code threshold} (default 0). Two grader
 * calls. Immutable and thread-safe.
 */
final class ContextFaithfulnessCheck implements Check {
    static final ObjectNode STATEMENTS_SCHEMA = GraderCalls.objectSchema(GraderCalls.stringList(
            GraderCalls.properties(), "statements"));
    static final ObjectNode VERDICTS_SCHEMA = verdictsSchema();

    private final String question;
    private final List<String> context;
    private final double threshold;
    private final Grader grader;

    ContextFaithfulnessCheck(String question, List<String> context, double threshold, Grader grader) {
        this.question = question;
        this.context = List.copyOf(context);
        this.threshold = threshold;
        this.grader = grader;
    }

    @Override
    public String type() {
        return "context-faithfulness";
    }

    static String statementsSystem(String nonce) {
        return "You break an answer into the factual statements it makes. " + GraderCalls.dataRule(nonce, "question",
                "answer") + " Write each claim of the answer as one short standalone sentence that is understandable "
                + "without the others (replace pronouns with what they stand for); leave out greetings, hedges and "
                + "questions. An answer that claims nothing gives an empty list. Reply with only a JSON object: "
                + "{\"statements\": [\"…\", …]}.";
    }

    static String statementsPrompt(String nonce, String question, String answer) {
        return "Faithfulness statements: list the statements the answer makes.\n\n"
                + GraderCalls.element("question", nonce, question.strip()) + "\n\n"
                + GraderCalls.element("answer", nonce, answer) + "\n\n"
                + "Reply with the JSON object only.";
    }

    static String verdictsSystem(String nonce) {
        return "You are a strict, impartial fact checker. For each numbered statement you decide whether it can be "
                + "inferred from the context alone, without outside knowledge. " + GraderCalls.dataRule(nonce,
                        "context", "statements")
                + " Give one verdict per statement, in the order given. Reply with only a JSON object: "
                + "{\"verdicts\": [{\"statement\": \"the statement\", \"supported\": true or false}, …]}.";
    }

    static String verdictsPrompt(String nonce, String context, List<String> statements) {
        return "Faithfulness verdicts: is each statement supported by the context?\n\n"
                + GraderCalls.element("context", nonce, context) + "\n\n"
                + GraderCalls.element("statements", nonce, GraderCalls.numbered(statements)) + "\n\n"
                + "Reply with the JSON verdicts only.";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        return GraderCalls.grade(type(), grader, calls -> {
            String answer = exchange.text();
            String nonce = GraderCalls.nonce(type(), question, answer);
            List<String> statements = calls.strings(calls.ask(statementsSystem(nonce),
                    statementsPrompt(nonce, question, answer), STATEMENTS_SCHEMA), "statements");
            if (statements.isEmpty()) {
                boolean pass = Scoring.reaches(1, threshold);
                return calls.decided(pass, "score 1.00: the answer makes no statement the context could contradict",
                        1.0);
            }
            String joined = ModelGradedChecks.joined(context);
            String second = GraderCalls.nonce(type(), joined, String.join("\n", statements));
            ObjectNode v = calls.ask(verdictsSystem(second), verdictsPrompt(second, joined, statements),
                    VERDICTS_SCHEMA);
            JsonNode verdicts = v.get("verdicts");
            if (verdicts == null || !verdicts.isArray()) {
                throw calls.invalid("the grader's verdict has no list 'verdicts'");
            }
            if (verdicts.size() > statements.size()) {
                throw calls.invalid("the grader gave " + verdicts.size() + " verdicts for " + statements.size()
                        + " statements");
            }
            int supported = 0;
            String firstUnsupported = null;
            for (int i = 0; i < statements.size(); i++) {
                boolean yes = false;
                if (i < verdicts.size()) {
                    if (!(verdicts.get(i) instanceof ObjectNode one)) {
                        throw calls.invalid("the grader's verdict " + (i + 1) + " is not an object");
                    }
                    yes = calls.bool(one, "supported");
                }
                if (yes) {
                    supported++;
                } else if (firstUnsupported == null) {
                    firstUnsupported = statements.get(i);
                }
            }
            double score = (double) supported / statements.size();
            boolean pass = Scoring.reaches(score, threshold);
            int missing = statements.size() - verdicts.size();
            return calls.decided(pass, String.format(Locale.ROOT, "score %.2f (%s threshold %.2f): %d of %d "
                    + "statements supported by the context%s%s", score, pass ? "≥" : "<", threshold, supported,
                    statements.size(), missing > 0 ? " (" + missing + " without a verdict, counted unsupported)" : "",
                    firstUnsupported == null ? "" : "; not supported: " + Excerpt.of(firstUnsupported)), score);
        });
    }

    private static ObjectNode verdictsSchema() {
        ObjectNode item = GraderCalls.properties();
        item.putObject("statement").put("type", "string");
        item.putObject("supported").put("type", "boolean");
        ObjectNode props = GraderCalls.properties();
        props.putObject("verdicts").put("type", "array").set("items", GraderCalls.objectSchema(item));
        return GraderCalls.objectSchema(props);
    }
}
