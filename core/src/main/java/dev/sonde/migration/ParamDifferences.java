package dev.sonde.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The request parameters ({@code models[].params}) two compared models are sent differently, as
 * clauses for the recommendation: {@code claude-sonnet-4-6 runs with thinking (budget 1024),
 * claude-haiku-4-5 without}, {@code claude-sonnet-4-6 runs with max_tokens 2048, claude-haiku-4-5
 * with max_tokens 400}. A model comparison credits cost, tokens and latency to the model; a
 * differing parameter (thinking above all) can be what actually drives them, so the paragraph
 * names it. Keys in the baseline's order, then the candidate's. Pure.
 */
final class ParamDifferences {

    private static final String NONE = "without thinking";

    private ParamDifferences() {}

    static List<String> of(String baseName, ObjectNode baseParams, String candName, ObjectNode candParams) {
        Set<String> keys = new LinkedHashSet<>();
        if (baseParams != null) {
            baseParams.fieldNames().forEachRemaining(keys::add);
        }
        if (candParams != null) {
            candParams.fieldNames().forEachRemaining(keys::add);
        }
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            JsonNode b = baseParams == null ? null : baseParams.get(key);
            JsonNode c = candParams == null ? null : candParams.get(key);
            if (key.equals("thinking")) {
                String tb = thinking(b);
                String tc = thinking(c);
                if (!tb.equals(tc)) {
                    out.add(baseName + " runs " + tb + ", " + candName + (tc.equals(NONE) ? " without" : " " + tc));
                }
            } else if (b == null ? c != null : !b.equals(c)) {
                out.add(baseName + " runs with " + key + " " + value(b) + ", " + candName + " with " + key + " "
                        + value(c));
            }
        }
        return out;
    }

    /** {@code with thinking (budget 1024)}, {@code with adaptive thinking}, {@code without thinking}. */
    private static String thinking(JsonNode t) {
        String type = t == null ? "" : t.path("type").asText("");
        return switch (type) {
            case "enabled" -> "with thinking" + (t.has("budget_tokens")
                    ? " (budget " + t.get("budget_tokens").asText() + ")" : "");
            case "adaptive" -> "with adaptive thinking";
            case "", "disabled" -> NONE;
            default -> "with thinking " + t;
        };
    }

    private static String value(JsonNode v) {
        return v == null || v.isNull() ? "unset" : v.isValueNode() ? v.asText() : v.toString();
    }
}
