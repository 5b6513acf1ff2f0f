package dev.sonde.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code {{name}}} (spaces allowed inside the braces) in every string of a tree.
 * A name with no value is a {@link SuiteException} at the string's location, listing the
 * variables that exist. {@code \{{} writes a literal {@code {{}.
 */
final class Templates {
    static final ObjectMapper PLAIN = new ObjectMapper();
    private static final Pattern VAR = Pattern.compile("(\\\\?)\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*}}");

    private final Map<String, String> vars;
    private final Path file;
    private final String field;

    Templates(Map<String, String> vars, Path file, String field) {
        this.vars = vars;
        this.file = file;
        this.field = field;
    }

    String render(String text, JsonNode at) throws SuiteException {
        if (text.indexOf("{{") < 0) {
            return text;
        }
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (!m.group(1).isEmpty()) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group().substring(1)));
                continue;
            }
            String value = vars.get(m.group(2));
            if (value == null) {
                throw new SuiteException(SuiteLoader.locate(file, at), field, "unknown variable '" + m.group(2)
                        + "'" + (vars.isEmpty() ? " (no vars defined)" : " (vars: " + String.join(", ", vars.keySet()) + ")"));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A plain (not location-aware) copy of {@code node} with every string rendered. */
    JsonNode renderTree(JsonNode node) throws SuiteException {
        if (node.isTextual()) {
            return TextNode.valueOf(render(node.asText(), node));
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : node) {
                out.add(renderTree(item));
            }
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                out.set(f.getKey(), renderTree(f.getValue()));
            }
            return out;
        }
        try {
            return PLAIN.readTree(node.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
