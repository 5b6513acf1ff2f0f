package dev.sonde.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.MustacheParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders every string of a suite tree as a Mustache template (jmustache): {@code {{name}}},
 * sections {@code {{#list}}…{{/list}}} and inverted sections over list, object and boolean vars,
 * comments {@code {{! … }}} and set-delimiter {@code {{=<% %>=}}}. Nothing is HTML-escaped (prompts
 * are not HTML). A var that is a list or object written as {@code {{name}}} renders as its JSON.
 * An empty string is false in a section (a blank CSV cell); {@code false} and {@code []} are too.
 *
 * <p>A name with no value — as a variable or a section — is a {@link SuiteException} at the
 * string's location naming the variable and listing the variables that exist; a template syntax
 * error (an unclosed or mismatched section) is one too. {@code \{{} writes a literal {@code {{}
 * (while the delimiters are the default ones), as before Mustache. Partials are not supported.
 */
final class Templates {
    static final ObjectMapper PLAIN = new ObjectMapper();
    /** {@code \{{}: switch the delimiters away, write "{{", switch them back. */
    private static final String LITERAL_OPEN = Matcher.quoteReplacement("{{=<% %>=}}{{<%={{ }}=%>");
    private static final Pattern ESCAPED_OPEN = Pattern.compile("\\\\\\{\\{");
    private static final Pattern AT_LINE = Pattern.compile("\\s*@ line (\\d+)$");
    private static final Mustache.Compiler COMPILER = Mustache.compiler()
            .escapeHTML(false)
            .strictSections(true)
            .emptyStringIsFalse(true)
            .withFormatter(Templates::format);

    private final Map<String, Object> vars;
    private final Path file;
    private final String field;

    /** @param vars name → String, Boolean, List or Map (see {@link #value}) */
    Templates(Map<String, Object> vars, Path file, String field) {
        this.vars = vars;
        this.file = file;
        this.field = field;
    }

    String render(String text, JsonNode at) throws SuiteException {
        if (text.indexOf("{{") < 0) {
            return text;
        }
        String source = ESCAPED_OPEN.matcher(text).replaceAll(LITERAL_OPEN);
        try {
            return COMPILER.compile(source).execute(vars);
        } catch (MustacheException.Context e) {
            throw new SuiteException(SuiteLoader.locate(file, at), field, "unknown variable '" + e.key + "'"
                    + lineOfText(e.lineNo)
                    + (vars.isEmpty() ? " (no vars defined)" : " (vars: " + String.join(", ", vars.keySet()) + ")"));
        } catch (MustacheParseException e) {
            Matcher m = AT_LINE.matcher(e.getMessage());
            String problem = m.find() ? e.getMessage().substring(0, m.start()) + lineOfText(Integer.parseInt(m.group(1)))
                    : e.getMessage();
            throw new SuiteException(SuiteLoader.locate(file, at), field, "template syntax error: " + problem
                    + " (a literal {{ is written \\{{ or after {{=<% %>=}})");
        } catch (UnsupportedOperationException e) {
            throw new SuiteException(SuiteLoader.locate(file, at), field, "partials ({{> name}}) are not supported");
        } catch (MustacheException e) {
            throw new SuiteException(SuiteLoader.locate(file, at), field, "template error: " + e.getMessage());
        }
    }

    private static String lineOfText(int line) {
        return line > 1 ? " on line " + line + " of the text" : "";
    }

    /** Lists and objects render as JSON; everything else as its text. */
    private static CharSequence format(Object value) {
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            try {
                return PLAIN.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.valueOf(value);
    }

    /**
     * A YAML/JSON var as a template value: strings as text, numbers as {@link Number} (so a list of
     * numbers renders as JSON numbers), booleans as {@link Boolean}, arrays as {@link List}, objects
     * as {@link Map} (in order), null as "".
     */
    static Object value(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            node.forEach(n -> out.add(value(n)));
            return out;
        }
        if (node.isObject()) {
            return values(node);
        }
        return node.isNull() ? "" : node.asText();
    }

    /** The fields of {@code object} (may be null: none) as template values. */
    static Map<String, Object> values(JsonNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (object != null) {
            object.fields().forEachRemaining(f -> out.put(f.getKey(), value(f.getValue())));
        }
        return out;
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
