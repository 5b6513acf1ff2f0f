package dev.sonde.check;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The one rule for reading a grader's structured answer: the whole reply must be one JSON object;
 * only surrounding whitespace and one Markdown code fence ({@code ```} or {@code ```json}) around it
 * are tolerated. Prose around the object is rejected, because the graded answer is quoted to the
 * grader, and a verdict planted in it and echoed back inside prose must never be read as the
 * grader's. Used by {@link GraderVerdict} and every model-graded template. Stateless.
 */
final class GraderJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Either the object or why the text is not one. */
    record Parsed(ObjectNode object, String problem) {}

    private GraderJson() {}

    static Parsed object(String text) {
        String s = unfenced(text == null ? "" : text.strip());
        if (!s.startsWith("{")) {
            return new Parsed(null, s.indexOf('{') < 0 ? "no JSON object in the grader's answer"
                    : "the grader's answer is not only a JSON object (there is text before it)");
        }
        JsonNode node;
        try (JsonParser parser = JSON.reader().createParser(s)) {
            node = parser.readValueAsTree();
            if (trailing(parser)) {
                return new Parsed(null, "the grader's answer is not only a JSON object (there is text after it)");
            }
        } catch (JsonProcessingException e) {
            return new Parsed(null, "the grader's JSON does not parse: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Parsed(null, "the grader's JSON does not parse: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            return new Parsed(null, "the grader's answer is not a JSON object");
        }
        return new Parsed(object, null);
    }

    /** A JSON boolean, or the strings {@code "true"}/{@code "false"} in any case; else null. */
    static Boolean bool(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.isTextual() && node.asText().matches("(?i)true|false") ? Boolean.valueOf(node.asText()) : null;
    }

    private static boolean trailing(JsonParser parser) {
        try {
            return parser.nextToken() != null;
        } catch (IOException e) {
            return true;
        }
    }

    /** The text inside one Markdown code fence filling all of {@code s}, else {@code s}. */
    private static String unfenced(String s) {
        if (!s.startsWith("```") || !s.endsWith("```") || s.length() < 6) {
            return s;
        }
        int firstLine = s.indexOf('\n');
        if (firstLine < 0 || !s.substring(3, firstLine).strip().matches("(?i)(json)?")) {
            return s;
        }
        return s.substring(firstLine + 1, s.length() - 3).strip();
    }
}
