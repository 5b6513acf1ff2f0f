package dev.sonde.check;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.sonde.metrics.Jackson;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finding JSON in model output, shared by the structure checks. {@link #whole} accepts exactly one
 * JSON value (surrounding whitespace and one Markdown code fence allowed); {@link #embedded}
 * finds the first JSON object or array that starts anywhere in prose. Both are strict JSON (no
 * comments, no single quotes). Stateless and thread-safe.
 */
final class JsonText {
    private static final ObjectMapper STRICT = Jackson.plain()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper FIRST_VALUE = Jackson.plain();
    private static final Pattern FENCE = Pattern.compile("^```(?:json)?\\s*\\n(.*)\\n```$", Pattern.DOTALL);
    /** Candidates tried by {@link #embedded}, so a long prose answer full of braces stays cheap. */
    private static final int MAX_CANDIDATES = 200;

    /** Parsed JSON, or why there is none. */
    record Found(JsonNode value, String problem) {
        boolean ok() {
            return value != null;
        }
    }

    private JsonText() {}

    static Found whole(String output) {
        String text = output.strip();
        Matcher fence = FENCE.matcher(text);
        if (fence.matches()) {
            text = fence.group(1).strip();
        }
        if (text.isEmpty()) {
            return new Found(null, "output is empty, not JSON");
        }
        try {
            JsonNode value = STRICT.readTree(text);
            if (value == null || value.isMissingNode()) {
                return new Found(null, "output is empty, not JSON");
            }
            return new Found(value, null);
        } catch (IOException e) {
            return new Found(null, "output is not JSON (" + originalMessage(e) + "): " + Excerpt.of(text));
        }
    }

    static Found embedded(String output) {
        char[] chars = output.toCharArray();
        int tried = 0;
        for (int i = 0; i < chars.length && tried < MAX_CANDIDATES; i++) {
            char c = chars[i];
            if (c != '{' && c != '[') {
                continue;
            }
            tried++;
            try (JsonParser p = FIRST_VALUE.getFactory().createParser(chars, i, chars.length - i)) {
                JsonNode value = FIRST_VALUE.readTree(p);
                if (value != null && value.isContainerNode()) {
                    return new Found(value, null);
                }
            } catch (IOException e) {
                // not JSON from here: try the next brace
            }
        }
        return new Found(null, "no JSON object or array in the output: " + Excerpt.of(output));
    }

    /** The first schema error (and how many more), or null when {@code value} is valid. */
    static String schemaProblem(Schema schema, JsonNode value) {
        List<Error> errors = schema.validate(value);
        if (errors.isEmpty()) {
            return null;
        }
        return "JSON does not match the schema: " + errors.get(0).toString()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
    }

    static String kind(JsonNode value) {
        return value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String originalMessage(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? "unreadable" : m.lines().findFirst().orElse(m);
    }
}
