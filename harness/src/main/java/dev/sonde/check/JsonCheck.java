package dev.sonde.check;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.sonde.api.Exchange;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code is-json}: the output is one JSON value (surrounding whitespace and a single Markdown
 * code fence allowed) and, when a {@code schema} is given, valid against it (JSON Schema 2020-12).
 * Immutable.
 */
final class JsonCheck implements Check {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern FENCE = Pattern.compile("^```(?:json)?\\s*\\n(.*)\\n```$", Pattern.DOTALL);

    private final Schema schema;

    JsonCheck(Schema schema) {
        this.schema = schema;
    }

    @Override
    public String type() {
        return "is-json";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text().strip();
        Matcher fence = FENCE.matcher(text);
        if (fence.matches()) {
            text = fence.group(1).strip();
        }
        JsonNode value;
        try {
            value = JSON.readTree(text);
        } catch (IOException e) {
            return CheckResult.fail(type(), "output is not JSON (" + originalMessage(e) + "): " + Excerpt.of(text));
        }
        if (value == null || value.isMissingNode()) {
            return CheckResult.fail(type(), "output is empty, not JSON");
        }
        if (schema != null) {
            List<Error> errors = schema.validate(value);
            if (!errors.isEmpty()) {
                return CheckResult.fail(type(), "JSON does not match the schema: " + errors.get(0).toString()
                        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
            }
            return CheckResult.pass(type(), "valid JSON matching the schema");
        }
        return CheckResult.pass(type(), "valid JSON " + value.getNodeType().toString().toLowerCase());
    }

    private static String originalMessage(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? "unreadable" : m.lines().findFirst().orElse(m);
    }
}
