package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The one JSON-subset rule, for everything a suite matches against a tool call's input (a
 * {@code tool_loop} answer's {@code when}, the {@code tool-args} assertion's {@code value}):
 * <ul>
 *   <li>an expected object matches an object that has every expected key with a matching value
 *       (extra keys are fine), recursively — objects inside arrays too;
 *   <li>an expected array matches an array of the same length, element by element;
 *   <li>numbers compare by value ({@code 3} matches {@code 3.0});
 *   <li>an expected string also matches a number or boolean with that text ({@code "3"} matches
 *       {@code 3}, {@code "true"} matches {@code true}), since YAML authors quote such words;
 *   <li>any other value must be equal; a missing key never matches (not even an expected null).
 * </ul>
 * Pure, thread-safe.
 */
public final class JsonSubset {
    private static final int MAX_QUOTE = 80;

    private JsonSubset() {}

    /** Whether {@code actual} contains {@code expected}. */
    public static boolean matches(JsonNode expected, JsonNode actual) {
        return problem("$", expected, actual) == null;
    }

    /**
     * Why {@code actual} does not contain {@code expected}, naming the first place that differs
     * ({@code $.city is "Oslo", expected "Paris"}); null when it does.
     *
     * @param path how to name the root in the reason, e.g. {@code $}
     */
    public static String problem(String path, JsonNode expected, JsonNode actual) {
        if (actual == null || actual.isMissingNode()) {
            return path + " is missing";
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return path + " is " + actual.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                        + ", expected an object";
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = problem(path + "." + e.getKey(), e.getValue(), actual.get(e.getKey()));
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return path + " is " + quote(actual) + ", expected " + quote(expected);
            }
            for (int i = 0; i < expected.size(); i++) {
                String p = problem(path + "[" + i + "]", expected.get(i), actual.get(i));
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        boolean same = expected.isNumber() && actual.isNumber()
                ? expected.decimalValue().compareTo(actual.decimalValue()) == 0
                : expected.isTextual() && (actual.isNumber() || actual.isBoolean())
                        ? expected.asText().equals(actual.asText())
                        : expected.equals(actual);
        return same ? null : path + " is " + quote(actual) + ", expected " + quote(expected);
    }

    /** Compact JSON, cut to 80 characters. */
    private static String quote(JsonNode value) {
        String flat = value.toString();
        return flat.length() > MAX_QUOTE ? flat.substring(0, MAX_QUOTE - 1) + "…" : flat;
    }
}
