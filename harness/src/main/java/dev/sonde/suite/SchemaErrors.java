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
        List<Error> errors = SCHEMA.validate(root);
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
                return new SuiteException(SuiteLoader.locate(file, node), field, e.getMessage());
            }
            case "type" -> {
                return new SuiteException(SuiteLoader.locate(file, node), field, "expected " + expectedType(e)
                        + ", got " + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()
                        + " " + abbreviate(node)));
            }
            case "enum" -> {
                return new SuiteException(SuiteLoader.locate(file, node), field, abbreviate(node) + " is not one of "
                        + e.getSchemaNode());
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
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(
                "(?:^|[\\s{,\\-])([\"']?)" + java.util.regex.Pattern.quote(key) + "\\1\\s*:");
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
