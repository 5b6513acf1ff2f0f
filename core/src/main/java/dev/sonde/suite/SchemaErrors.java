package dev.sonde.suite;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.utils.JsonNodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The suite's JSON Schema ({@code dev/sonde/suite.schema.json}, draft 2020-12) and the one-line
 * {@link SuiteException} its first failure becomes: the first problem in file order, unknown keys
 * first (with a "did you mean"), at the {@code file:line:column} of the node or key. Thread-safe.
 */
final class SchemaErrors {
    private static final JsonNode SCHEMA_NODE;
    private static final Schema SCHEMA;

    static {
        try (InputStream in = SchemaErrors.class.getResourceAsStream("/dev/sonde/suite.schema.json")) {
            SCHEMA_NODE = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(SCHEMA_NODE);
    }

    private SchemaErrors() {}

    static void validate(Path file, JsonNode root, String[] lines) throws SuiteException {
        List<Error> errors = new ArrayList<>(SCHEMA.validate(root));
        errors.removeIf(SchemaErrors::forTheRegistry);
        if (errors.isEmpty()) {
            return;
        }
        // An unknown key usually causes the other errors (a typo'd 'promt' also leaves 'prompt'
        // missing), so it is reported first; composite keywords (oneOf/anyOf) are the vaguest, last.
        java.util.function.Function<Error, Location> at =
                e -> SuiteLoader.locate(file, JsonNodes.get(root, e.getInstanceLocation()));
        Error first = errors.stream()
                .min(Comparator.comparingInt((Error e) -> rank(e.getKeyword()))
                        .thenComparingInt(e -> at.apply(e).line())
                        .thenComparingInt(e -> at.apply(e).column()))
                .orElseThrow();
        throw describe(file, root, first, lines);
    }

    /**
     * An assertion {@code type} that is not kebab-case ({@code is_json}) is left to the check
     * registry, which knows the types and says "unknown assertion type 'is_json' (did you mean
     * 'is-json'?)"; the schema's pattern stays for editors, which show it as they type.
     */
    private static boolean forTheRegistry(Error e) {
        return "pattern".equals(e.getKeyword())
                && e.getSchemaLocation().getFragment().toString().endsWith("/asserts/items/properties/type/pattern");
    }

    private static int rank(String keyword) {
        return switch (keyword == null ? "" : keyword) {
            case "additionalProperties" -> 0;
            case "oneOf", "anyOf", "not" -> 2;
            default -> 1;
        };
    }

    private static SuiteException describe(Path file, JsonNode root, Error e, String[] lines) {
        List<Object> path = new ArrayList<>();
        for (int i = 0; i < e.getInstanceLocation().getNameCount(); i++) {
            path.add(e.getInstanceLocation().getElement(i));
        }
        JsonNode node = JsonNodes.get(root, e.getInstanceLocation());
        String field = fieldPath(path);
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        switch (keyword) {
            case "additionalProperties" -> {
                String key = e.getProperty();
                JsonNode child = node == null ? null : node.get(key);
                Set<String> allowed = allowedKeys(e);
                String hint = Suggest.closest(key, allowed)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse(allowed.isEmpty() ? "" : " (expected one of: " + String.join(", ", allowed) + ")");
                Location value = SuiteLoader.locate(file, child != null ? child : node);
                return new SuiteException(keyLocation(lines, key, value), join(field, key), "unknown key" + hint);
            }
            case "required" -> {
                return new SuiteException(SuiteLoader.locate(file, node), field.isEmpty() ? "(top level)" : field,
                        "missing required field '" + e.getProperty() + "'");
            }
            case "oneOf" -> {
                if (node != null && node.has("id") && (node.has("prompt") || node.has("messages") || node.size() > 0)) {
                    return new SuiteException(SuiteLoader.locate(file, node), field,
                            "a case needs exactly one of 'prompt' or 'messages'");
                }
                return new SuiteException(SuiteLoader.locate(file, node), field, e.getMessage() + example(e, path));
            }
            case "type" -> {
                return new SuiteException(SuiteLoader.locate(file, node), field, "expected " + expectedType(e)
                        + ", got " + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()
                        + " " + abbreviate(node)) + example(e, path));
            }
            case "enum" -> {
                List<String> allowed = new ArrayList<>();
                e.getSchemaNode().forEach(v -> allowed.add(v.asText()));
                String hint = node != null && node.isTextual()
                        ? Suggest.closest(node.asText(), allowed).map(s -> " (did you mean '" + s + "'?)").orElse("")
                        : "";
                return new SuiteException(SuiteLoader.locate(file, node), field, abbreviate(node) + " is not one of "
                        + e.getSchemaNode() + hint);
            }
            case "false" -> {
                return new SuiteException(SuiteLoader.locate(file, node), field, "is not allowed here (the harness sets it)");
            }
            default -> {
                String msg = e.getMessage();
                int colon = msg.indexOf(": ");
                return new SuiteException(SuiteLoader.locate(file, node), field,
                        msg.startsWith("$") && colon > 0 ? msg.substring(colon + 2) : msg);
            }
        }
    }

    /**
     * Where {@code key} is written, found from the position of its value: on the value's line
     * before it (flow style, {@code key: value}), else on a line above (block style).
     */
    static Location keyLocation(String[] lines, String key, Location value) {
        Pattern p = Pattern.compile(
                "(?:^|[\\s{,\\-])([\"']?)" + Pattern.quote(key) + "\\1\\s*:");
        for (int line = value.line(); line >= Math.max(1, value.line() - 50); line--) {
            if (line > lines.length) {
                continue;
            }
            String text = lines[line - 1];
            if (line == value.line()) {
                text = text.substring(0, Math.min(text.length(), Math.max(0, value.column() - 1)));
            }
            java.util.regex.Matcher m = p.matcher(text);
            int found = -1;
            while (m.find()) {
                found = m.start(1);
            }
            if (found >= 0) {
                return new Location(value.file(), line, found + 1);
            }
        }
        return value;
    }

    /**
     * {@code " (for example key: value)"}: the first of the {@code examples} the schema gives for the
     * failing key (or, for an entry of a list, for the list), written as one line of flow YAML; ""
     * when the schema gives none. The schema is the one place examples are kept, so editors show the
     * same ones.
     */
    static String example(Error e, List<Object> path) {
        String fragment = e.getSchemaLocation().getFragment().toString();
        String keyword = "/" + e.getKeyword();
        if (!fragment.endsWith(keyword)) {
            return "";
        }
        // one branch of a key's anyOf/oneOf failing is the key failing: its examples are the key's
        String at = ALTERNATIVE.matcher(fragment.substring(0, fragment.length() - keyword.length())).replaceFirst("");
        int named = path.size() - 1;
        JsonNode examples = SCHEMA_NODE.at(JsonPointer.compile(at)).path("examples");
        if (!examples.isArray() && at.endsWith("/items") && named >= 0 && path.get(named) instanceof Integer) {
            examples = SCHEMA_NODE.at(JsonPointer.compile(at.substring(0, at.length() - "/items".length())))
                    .path("examples");
            named--;
        }
        if (!examples.isArray() || examples.isEmpty() || named < 0 || !(path.get(named) instanceof String key)) {
            return "";
        }
        return " (for example " + key + ": " + flow(examples.get(0)) + ")";
    }

    private static final Pattern ALTERNATIVE = Pattern.compile("(/(anyOf|oneOf)/\\d+)+$");

    /** {@code node} as flow YAML on one line: {@code {id: sonnet, model: claude-sonnet-4-6}}. */
    static String flow(JsonNode node) {
        if (node.isObject()) {
            List<String> entries = new ArrayList<>();
            node.properties().forEach(p -> entries.add(p.getKey() + ": " + flow(p.getValue())));
            return "{" + String.join(", ", entries) + "}";
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(flow(n)));
            return "[" + String.join(", ", items) + "]";
        }
        if (node.isTextual() && !PLAIN.matcher(node.asText()).matches()) {
            return node.toString(); // a JSON string is a double-quoted YAML one
        }
        return node.asText();
    }

    /** Text YAML reads back as the same string without quotes (no number, boolean, null or indicator). */
    private static final Pattern PLAIN = Pattern.compile(
            "(?!(?i:true|false|null|yes|no|on|off)$)[A-Za-z_./][A-Za-z0-9_./-]*");

    /** The property names the failing {@code additionalProperties} schema's parent allows. */
    private static Set<String> allowedKeys(Error e) {
        String fragment = e.getSchemaLocation().getFragment().toString();
        if (!fragment.endsWith("/additionalProperties")) {
            return Set.of();
        }
        String parent = fragment.substring(0, fragment.length() - "/additionalProperties".length());
        JsonNode props = SCHEMA_NODE.at(JsonPointer.compile(parent.isEmpty() ? "/properties" : parent + "/properties"));
        Set<String> keys = new java.util.LinkedHashSet<>();
        props.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static String expectedType(Error e) {
        JsonNode t = e.getSchemaNode();
        if (t == null) {
            return "another type";
        }
        if (t.isArray()) {
            List<String> names = new ArrayList<>();
            t.forEach(n -> names.add(n.asText()));
            return String.join(" or ", names);
        }
        return t.asText();
    }

    static String fieldPath(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object p : path) {
            if (p instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(p);
            }
        }
        return sb.toString();
    }

    static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private static String abbreviate(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        String s = node.isTextual() ? "'" + node.asText() + "'" : node.toString();
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
