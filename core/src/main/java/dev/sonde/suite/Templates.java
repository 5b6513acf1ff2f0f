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
import com.samskivert.mustache.Template;
import dev.sonde.metrics.Jackson;
import dev.sonde.metrics.Yaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Typed values ({@link #renderValues}, for assertion configs, case params and tool results): a
 * string that is exactly one {@code {{name}}} tag (spaces around allowed) becomes the var's own
 * value — a number, boolean, list or object stays one — instead of its text. Prompt and message
 * text ({@link #renderTree}) always renders to text.
 */
final class Templates {
    /** Reads back what a suite or a dataset row holds: strings as long as a suite file ({@link Yaml}). */
    static final ObjectMapper PLAIN = Jackson.plain(Yaml.MAX_DOCUMENT_CHARS);
    /** {@code \{{}: switch the delimiters away, write "{{", switch them back. */
    private static final String LITERAL_OPEN = Matcher.quoteReplacement("{{=<% %>=}}{{<%={{ }}=%>");
    private static final Pattern ESCAPED_OPEN = Pattern.compile("\\\\\\{\\{");
    private static final Pattern AT_LINE = Pattern.compile("\\s*@ line (\\d+)$");
    /** A whole string that is one variable tag: {@code {{name}}} or {@code {{a.b}}}, spaces allowed. */
    private static final Pattern ONE_TAG = Pattern.compile("\\s*\\{\\{\\s*([A-Za-z0-9_$-]+(?:\\.[A-Za-z0-9_$-]+)*)\\s*}}\\s*");
    private static final Mustache.Compiler COMPILER = Mustache.compiler()
            .escapeHTML(false)
            .strictSections(true)
            .emptyStringIsFalse(true)
            .withFormatter(Templates::format);

    private final Map<String, Object> vars;
    private static final int MAX_COMPILED = 4_096;
    /** How a prompt says {@code {{} and means it: the hint of every template error. */
    static final String LITERAL_HINT = "a literal {{ is written \\{{ (or after {{=<% %>=}})";
    /**
     * What a variable's name looks like; a tag holding anything else ({@code {{ "a": 1 }}}) was most
     * likely meant as text, and its error says how to write it.
     */
    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Map<String, Template> COMPILED = new ConcurrentHashMap<>();
    private final Path file;
    private final String origin;

    /**
     * @param vars name → String, Number, Boolean, List or Map (see {@link #value})
     * @param origin where the vars come from, appended to an unknown-variable error (e.g.
     *     {@code " in row 2 of capitals.csv (id b)"}), or ""
     */
    Templates(Map<String, Object> vars, Path file, String origin) {
        this.vars = vars;
        this.file = file;
        this.origin = origin;
    }

    /** {@code text} rendered; {@code at} locates and {@code field} names it in errors. */
    String render(String text, JsonNode at, String field) throws SuiteException {
        if (text.indexOf("{{") < 0) {
            return text;
        }
        try {
            return compiled(text).execute(vars);
        } catch (MustacheException.Context e) {
            throw new SuiteException(SuiteLoader.locate(file, at), field, "unknown variable '" + e.key + "'"
                    + lineOfText(e.lineNo) + origin
                    + (vars.isEmpty() ? " (no vars defined)" : " (vars: " + String.join(", ", vars.keySet()) + ")")
                    + (vars.isEmpty() || !VAR_NAME.matcher(e.key).matches() ? "; " + LITERAL_HINT : ""));
        } catch (MustacheParseException e) {
            Matcher m = AT_LINE.matcher(e.getMessage());
            String problem = m.find() ? e.getMessage().substring(0, m.start()) + lineOfText(Integer.parseInt(m.group(1)))
                    : e.getMessage();
            throw new SuiteException(SuiteLoader.locate(file, at), field, "template syntax error: " + problem
                    + " (" + LITERAL_HINT + ")");
        } catch (UnsupportedOperationException e) {
            throw new SuiteException(SuiteLoader.locate(file, at), field, "partials ({{> name}}) are not supported");
        } catch (MustacheException e) {
            throw new SuiteException(SuiteLoader.locate(file, at), field, "template error: " + e.getMessage());
        }
    }

    /**
     * {@code text} compiled, once per distinct text: a dataset's rows render the same few texts
     * with their own vars (5,000 rows compiled each text 5,000 times). Compiled templates are
     * immutable and shared; the cache stops growing at {@value #MAX_COMPILED} texts.
     */
    private static Template compiled(String text) {
        Template t = COMPILED.get(text);
        if (t == null) {
            t = COMPILER.compile(ESCAPED_OPEN.matcher(text).replaceAll(LITERAL_OPEN));
            if (COMPILED.size() < MAX_COMPILED) {
                COMPILED.putIfAbsent(text, t);
            }
        }
        return t;
    }

    private static String lineOfText(int line) {
        return line > 1 ? " on line " + line + " of the text" : "";
    }

    /**
     * The value of the var a one-tag string names ({@code a.b} walks into objects), or null when the
     * string is not exactly one tag or names nothing (then it renders as text, which reports a
     * missing name).
     */
    private Object typedValue(String text) {
        Matcher m = ONE_TAG.matcher(text);
        if (!m.matches()) {
            return null;
        }
        Object value = vars;
        for (String part : m.group(1).split("\\.")) {
            if (!(value instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
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

    /**
     * A plain (not location-aware) copy of {@code node} with every string rendered to text;
     * {@code field} is the node's path, extended per element in errors ({@code cases[0].messages[1].content}).
     */
    JsonNode renderTree(JsonNode node, String field) throws SuiteException {
        return renderTree(node, field, false);
    }

    /** As {@link #renderTree}, but a string that is exactly one {@code {{name}}} tag takes the var's typed value. */
    JsonNode renderValues(JsonNode node, String field) throws SuiteException {
        return renderTree(node, field, true);
    }

    private JsonNode renderTree(JsonNode node, String field, boolean typed) throws SuiteException {
        if (node.isTextual()) {
            Object own = typed ? typedValue(node.asText()) : null;
            return own != null ? PLAIN.valueToTree(own) : TextNode.valueOf(render(node.asText(), node, field));
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                out.add(renderTree(node.get(i), field + "[" + i + "]", typed));
            }
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                out.set(f.getKey(), renderTree(f.getValue(), SchemaErrors.join(field, f.getKey()), typed));
            }
            return out;
        }
        try {
            return PLAIN.readTree(PLAIN.writeValueAsString(node)); // through the shared buffers, not toString()'s own
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
