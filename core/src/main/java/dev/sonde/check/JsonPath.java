package dev.sonde.check;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A path to one value in a JSON document: either a JSON Pointer (RFC 6901, {@code /a/b/0/c},
 * resolved by Jackson) or the single-value subset of JSONPath: {@code $}, {@code .name},
 * {@code ['name']} / {@code ["name"]} (for names with dots or spaces) and {@code [n]} (negative
 * counts from the end), e.g. {@code $.items[0]['unit price']}. Wildcards, recursive descent,
 * slices and filters are rejected when the path is parsed, since they select many values.
 * Immutable.
 */
record JsonPath(String expression, JsonPointer pointer, List<Step> steps) {

    /** One step of a JSONPath expression. */
    sealed interface Step {
        record Field(String name) implements Step {}

        record Index(int index) implements Step {}
    }

    JsonPath {
        steps = steps == null ? null : List.copyOf(steps);
    }

    /** @throws IllegalArgumentException with a one-line explanation when the path is not supported */
    static JsonPath parse(String expression) {
        if (expression.isEmpty() || expression.startsWith("/")) {
            return new JsonPath(expression, JsonPointer.compile(expression), null);
        }
        if (!expression.startsWith("$")) {
            throw new IllegalArgumentException("a path starts with '$' (JSONPath) or '/' (JSON Pointer)");
        }
        List<Step> steps = new ArrayList<>();
        int i = 1;
        int n = expression.length();
        while (i < n) {
            char c = expression.charAt(i);
            if (c == '.') {
                if (i + 1 < n && expression.charAt(i + 1) == '.') {
                    throw unsupported("recursive descent '..'");
                }
                int end = i + 1;
                while (end < n && expression.charAt(end) != '.' && expression.charAt(end) != '[') {
                    end++;
                }
                String name = expression.substring(i + 1, end);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("empty name after '.' at position " + (i + 1));
                }
                if (name.equals("*")) {
                    throw unsupported("wildcard '*'");
                }
                steps.add(new Step.Field(name));
                i = end;
            } else if (c == '[') {
                int close;
                if (i + 1 < n && (expression.charAt(i + 1) == '\'' || expression.charAt(i + 1) == '"')) {
                    char quote = expression.charAt(i + 1);
                    StringBuilder name = new StringBuilder();
                    int j = i + 2;
                    while (j < n && expression.charAt(j) != quote) {
                        if (expression.charAt(j) == '\\' && j + 1 < n) {
                            j++;
                        }
                        name.append(expression.charAt(j));
                        j++;
                    }
                    if (j + 1 >= n || expression.charAt(j + 1) != ']') {
                        throw new IllegalArgumentException("unclosed [" + quote + "…" + quote + "] at position " + i);
                    }
                    steps.add(new Step.Field(name.toString()));
                    close = j + 1;
                } else {
                    close = expression.indexOf(']', i);
                    if (close < 0) {
                        throw new IllegalArgumentException("unclosed '[' at position " + i);
                    }
                    String inside = expression.substring(i + 1, close).strip();
                    if (!inside.matches("-?\\d{1,9}")) {
                        throw unsupported("'[" + inside + "]' (only [n], ['name'] are)");
                    }
                    steps.add(new Step.Index(Integer.parseInt(inside)));
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("expected '.' or '[' at position " + i + ", found '" + c + "'");
            }
        }
        return new JsonPath(expression, null, steps);
    }

    /** The value at this path, or null when there is none. */
    JsonNode select(JsonNode root) {
        if (pointer != null) {
            JsonNode v = root.at(pointer);
            return v.isMissingNode() ? null : v;
        }
        JsonNode cur = root;
        for (Step s : steps) {
            cur = switch (s) {
                case Step.Field f -> cur.isObject() ? cur.get(f.name()) : null;
                case Step.Index x -> !cur.isArray() ? null
                        : cur.get(x.index() < 0 ? cur.size() + x.index() : x.index());
            };
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    private static IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException(what + " is not supported: a path selects one value"
                + " ($.a.b[0].c, $['a b'], or a JSON Pointer /a/b/0/c)");
    }
}
