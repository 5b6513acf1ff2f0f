package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A grader's verdict {@code {"pass": bool, "score": 0..1, "reason": "…"}}. The grader is asked for
 * it as structured output, so the whole reply must be that one JSON object, read by
 * {@link GraderJson} (whitespace and one code fence tolerated, prose rejected). Within the object,
 * {@code "true"}/{@code "false"} strings count as booleans and a missing score is 1 for a pass and
 * 0 for a fail. Anything else — no JSON object, trailing text, no {@code pass}, a score outside
 * 0..1 — is not a verdict, and {@link #parse} says why.
 */
record GraderVerdict(boolean pass, double score, String reason) {
    /**
     * The schema asked for as structured output. It has no numeric bounds ({@code minimum},
     * {@code maximum}): Anthropic's structured outputs reject them with a 400, so 0..1 is enforced
     * by {@link #parse} instead.
     */
    static final ObjectNode SCHEMA = schema();

    /** Either a verdict or why the text is not one. */
    record Parsed(GraderVerdict verdict, String problem) {}

    static Parsed parse(String text) {
        GraderJson.Parsed json = GraderJson.object(text);
        return json.object() == null ? new Parsed(null, json.problem()) : of(json.object());
    }

    /** The verdict in a reply already read as one JSON object ({@link GraderJson}), or why it is none. */
    static Parsed of(ObjectNode node) {
        Boolean passed = GraderJson.bool(node.get("pass"));
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
        props.putObject("score").put("type", "number").put("description", "from 0 to 1");
        props.putObject("reason").put("type", "string");
        s.putArray("required").add("pass").add("score").add("reason");
        s.put("additionalProperties", false);
        return s;
    }
}
