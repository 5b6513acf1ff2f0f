package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A grader's verdict {@code {"pass": bool, "score": 0..1, "reason": "…"}}, parsed leniently from
 * what a model actually writes: surrounding prose and Markdown code fences are skipped (the first
 * {@code {} to its matching {@code }} is read), {@code "true"}/{@code "false"} strings count as
 * booleans, and a missing score is 1 for a pass and 0 for a fail. Anything else — no JSON object,
 * no {@code pass}, a score outside 0..1 — is not a verdict, and {@link #parse} says why.
 */
record GraderVerdict(boolean pass, double score, String reason) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The schema asked for as structured output. */
    static final ObjectNode SCHEMA = schema();

    /** Either a verdict or why the text is not one. */
    record Parsed(GraderVerdict verdict, String problem) {}

    static Parsed parse(String text) {
        String s = text == null ? "" : text;
        int start = s.indexOf('{');
        if (start < 0) {
            return new Parsed(null, "no JSON object in the grader's answer");
        }
        JsonNode node;
        try {
            node = JSON.reader().createParser(s.substring(start)).readValueAsTree();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Parsed(null, "the grader's JSON does not parse: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            return new Parsed(null, "the grader's JSON does not parse: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            return new Parsed(null, "the grader's answer is not a JSON object");
        }
        JsonNode pass = node.get("pass");
        Boolean passed = pass == null ? null : pass.isBoolean() ? Boolean.valueOf(pass.asBoolean())
                : pass.isTextual() && pass.asText().matches("(?i)true|false") ? Boolean.valueOf(pass.asText()) : null;
        if (passed == null) {
            return new Parsed(null, "the grader's verdict has no boolean 'pass'");
        }
        JsonNode score = node.get("score");
        double value;
        if (score == null || score.isNull()) {
            value = passed ? 1 : 0;
        } else if (score.isNumber() && score.asDouble() >= 0 && score.asDouble() <= 1) {
            value = score.asDouble();
        } else {
            return new Parsed(null, "the grader's score " + score + " is not a number from 0 to 1");
        }
        String reason = node.path("reason").isTextual() ? node.get("reason").asText().strip() : "";
        return new Parsed(new GraderVerdict(passed, value, reason), null);
    }

    private static ObjectNode schema() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode s = f.objectNode().put("type", "object");
        ObjectNode props = s.putObject("properties");
        props.putObject("pass").put("type", "boolean");
        props.putObject("score").put("type", "number").put("minimum", 0).put("maximum", 1);
        props.putObject("reason").put("type", "string");
        s.putArray("required").add("pass").add("score").add("reason");
        s.put("additionalProperties", false);
        return s;
    }
}
