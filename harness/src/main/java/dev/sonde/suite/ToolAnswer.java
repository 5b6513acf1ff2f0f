package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * One canned tool result ({@code tool_loop.results.<tool>[i]}): sent as the {@code tool_result}
 * content when every field of {@code when} is in the call's input with an equal value — a subset
 * match: nested objects match as subsets too, arrays and scalars must be equal, numbers compare by
 * value ({@code 3} equals {@code 3.0}), strings exactly. Without {@code when} it is the tool's fallback.
 *
 * @param when the input fields to match, or null for the fallback
 * @param result the tool_result content: a string as written, any other JSON as its text
 */
public record ToolAnswer(JsonNode when, String result) {

    public boolean matches(JsonNode input) {
        return when == null || subset(when, input);
    }

    private static boolean subset(JsonNode want, JsonNode have) {
        if (have == null) {
            return false;
        }
        if (want.isObject()) {
            if (!have.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!subset(f.getValue(), have.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return equal(want, have);
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            return a.size() == b.size() && subset(a, b);
        }
        return a.equals(b);
    }
}
